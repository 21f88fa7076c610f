from django.conf import settings

from anjian.common import nav


class _LazyCount:
    """Counted once, and only when a template shows it (pages without the navbar pay nothing)."""

    def __init__(self, user) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            from anjian.common.notifications import unread_count

            self.value = unread_count(self.user)
        return self.value


def shell(request):
    """What the base layout needs on every page: the site name, the user's navigation and unread count."""
    user = getattr(request, "user", None)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return {
        "site_name": settings.ANJIAN_SITE_NAME,
        "nav_sections": nav.sections_for(user) if user is not None else [],
        # Templates call callables: {{ unread_notifications }} runs one indexed COUNT, once.
        "unread_notifications": _LazyCount(user) if authenticated else 0,
    }
