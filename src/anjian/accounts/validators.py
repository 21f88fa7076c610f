"""Password rules of 等保 level 3: at least 8 characters, at least 3 of the 4 character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from anjian.accounts import policy

CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    found = sum(1 for _name, chars in CLASSES if any(c in chars for c in password))
    if any(not c.isalnum() or not c.isascii() for c in password):
        found += 1  # symbols (anything not an ASCII letter or digit)
    return found


class PolicyMinimumLengthValidator:
    """Minimum length from the live security policy (never below 8)."""

    def validate(self, password, user=None):
        minimum = max(8, policy.current().password_min_length)
        if len(password) < minimum:
            raise ValidationError(
                _("密码太短，至少需要 %(min)d 个字符。") % {"min": minimum}, code="password_too_short"
            )

    def get_help_text(self):
        return _("至少 %(min)d 个字符。") % {"min": max(8, policy.current().password_min_length)}


class CharacterClassesValidator:
    """At least 3 of: lower-case letters, upper-case letters, digits, symbols."""

    required = 3

    def validate(self, password, user=None):
        if character_classes(password) < self.required:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="password_too_simple"
            )

    def get_help_text(self):
        return _("须包含大写字母、小写字母、数字、符号中的至少三类。")
