"""Date formats of the interface (FORMAT_MODULE_PATH): a date reads 2026-12-03 in every language and
whatever the browser's locale; documents and prose write 2026年12月3日 with an explicit format."""
