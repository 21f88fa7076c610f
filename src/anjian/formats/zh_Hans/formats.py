"""Interface formats (see anjian.formats)."""

from anjian.formats._shared import *  # noqa: F403
