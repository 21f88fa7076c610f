"""The interface language: Chinese unless the person picks English with the footer switch.

A browser's Accept-Language never decides (a Chinese government platform opened in a browser with
no zh-CN locale is still Chinese). The choice is, in order: the logged-in user's stored preference
(copied into the session at login, so no query per request), the language cookie the switch sets
(which also serves anonymous pages), the site default ``LANGUAGE_CODE``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "_anjian_language"


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_for(request) -> str:
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is not None and user is not None and user.is_authenticated:
        chosen = _supported(session.get(SESSION_KEY))
        if chosen:
            return chosen
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Django's LocaleMiddleware without the Accept-Language step (and after authentication, so it
    can read the user's choice)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page varies with the cookie (and the session), never with Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def remember(user, request, language: str) -> None:
    """Store ``language`` as ``user``'s choice and apply it to this session."""
    from anjian.accounts.models import UserPreference

    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    request.session[SESSION_KEY] = language


def load_into_session(user, request) -> None:
    """At login: the stored choice follows the person to this browser."""
    from anjian.accounts.models import UserPreference

    language = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if _supported(language):
        request.session[SESSION_KEY] = language


def set_language(request):
    """The footer switch: Django's set_language (cookie, redirect), remembered for a logged-in user."""
    response = django_set_language(request)
    language = _supported(request.POST.get("language")) if request.method == "POST" else None
    if language and request.user.is_authenticated:
        remember(request.user, request, language)
    return response
