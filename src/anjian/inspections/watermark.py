"""Burn a field photo's watermark into its pixels (time, place, inspector) with Pillow.

The text is Chinese, so it needs a CJK font: the Noto Sans CJK face is looked up once with
``fc-match`` (fontconfig) and used when found; otherwise Pillow's default font is used and the photo
records that (``font`` is ``"default"``) — Pillow's built-in bitmap font has no CJK glyphs, so the
Chinese characters then render as boxes, and the page says so. No network, no bundled font file.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess

from PIL import Image, ImageDraw, ImageFont, ImageOps

DEFAULT_FONT = "default"
MAX_EDGE = 2560  # larger photos are scaled down before the watermark (phones give 4000+ px)


@functools.cache
def cjk_font_path() -> str | None:
    """The file of the Noto Sans CJK SC face as fontconfig resolves it, or ``None``."""
    binary = shutil.which("fc-match")
    if binary is None:
        return None
    try:
        out = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [binary, "-f", "%{file}", "Noto Sans CJK SC:style=Regular"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if "CJK" in out else None


def _font(size: int) -> tuple[ImageFont.ImageFont, str]:
    path = cjk_font_path()
    if path:
        try:
            return ImageFont.truetype(path, size), path
        except OSError:
            pass
    return ImageFont.load_default(), DEFAULT_FONT


def burn(data: bytes, lines: list[str]) -> tuple[bytes, str, str]:
    """The photo with ``lines`` written on a dark band at its foot, as JPEG; returns
    (bytes, MIME type, font used). The photo is turned upright first (EXIF orientation)."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
    if max(image.size) > MAX_EDGE:
        image.thumbnail((MAX_EDGE, MAX_EDGE))
    width, height = image.size
    size = max(14, width // 40)
    font, used = _font(size)
    draw = ImageDraw.Draw(image, "RGBA")
    line_height = int(size * 1.35)
    band = line_height * len(lines) + size // 2
    draw.rectangle([(0, height - band), (width, height)], fill=(0, 0, 0, 150))
    y = height - band + size // 4
    for line in lines:
        draw.text((size // 2, y), line, font=font, fill=(255, 255, 255, 255))
        y += line_height
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue(), "image/jpeg", used
