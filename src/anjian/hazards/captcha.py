"""A server-side CAPTCHA for the public report form: an image of a few characters drawn with
Pillow, no external service (the intranet has none). The answer is kept in the visitor's
session encrypted (Fernet, key derived from SECRET_KEY — so it stays secret even with
cookie-based sessions), with an expiry; it works once, and a few wrong tries discard it.

Kept rather than django-simple-captcha (0.7.0 read for issue 12), which also runs offline on Pillow
with a bundled font and passes the CSP: it would add an app, a ``CaptchaStore`` table with its
migration, and a database insert for every anonymous image request (plus a delete of expired rows on
every check) on the one page the public can hammer; its settings module reads Django settings at
import time (STYLE.md forbids it); its default challenge draws all 26 letters, look-alikes included,
with ``random.choice`` rather than ``secrets``; and its hidden-key field would change the form. This module stores nothing server-side, limits
wrong tries per challenge, and is tested through the same four functions the view calls."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import random
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "anjian_public_captcha"
ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)
LENGTH = 5
LIFETIME_SECONDS = 600
MAX_TRIES = 3
SIZE = (180, 60)


def _fernet(secret_key: str | None = None) -> Fernet:
    material = hashlib.sha256(f"anjian-public-captcha|{secret_key or settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(material))


def new_challenge(session) -> str:
    """Make a new challenge for this session; returns the text to draw (never sent as text)."""
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    session[SESSION_KEY] = {
        "token": _fernet().encrypt(answer.encode()).decode(),
        "expires": time.time() + LIFETIME_SECONDS,
        "tries": 0,
    }
    session.modified = True
    return answer


def stored_answer(state: dict, secret_key: str | None = None) -> str | None:
    """The answer kept in a session's challenge, or None when it cannot be read."""
    try:
        return _fernet(secret_key).decrypt(state["token"].encode()).decode()
    except (InvalidToken, KeyError, TypeError, AttributeError):
        return None


def check(session, answer: str) -> bool:
    """Whether ``answer`` solves the session's challenge. A solved challenge is used up; a wrong
    answer counts, and after a few the challenge is discarded so guessing does not pay."""
    state = session.get(SESSION_KEY)
    if not state or time.time() > state.get("expires", 0):
        session.pop(SESSION_KEY, None)
        return False
    expected = stored_answer(state)
    ok = expected is not None and hmac.compare_digest(expected, (answer or "").strip().upper())
    if ok:
        session.pop(SESSION_KEY, None)
    else:
        state["tries"] = state.get("tries", 0) + 1
        if state["tries"] >= MAX_TRIES:
            session.pop(SESSION_KEY, None)
        else:
            session[SESSION_KEY] = state
    session.modified = True
    return ok


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the bitmap font, scaled up below
        return ImageFont.load_default()


def render(text: str) -> bytes:
    """The challenge as a PNG: each character rotated and offset, over noise lines and dots."""
    rng = random.Random(secrets.randbits(64))
    width, height = SIZE
    image = Image.new("RGB", SIZE, (246, 248, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)), (rng.randint(0, width), rng.randint(0, height))],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=2,
        )
    font = _font(36)
    step = width // (len(text) + 1)
    for i, char in enumerate(text):
        glyph = Image.new("RGBA", (50, 56), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (8, 4), char, font=font, fill=(rng.randint(10, 90), rng.randint(30, 90), rng.randint(80, 160))
        )
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC, expand=True)
        image.paste(glyph, (10 + i * step + rng.randint(-4, 4), rng.randint(-2, 8)), glyph)
    for _ in range(220):
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)), fill=(rng.randint(80, 180),) * 3)
    image = image.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
