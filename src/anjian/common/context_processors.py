from django.conf import settings

from anjian.common import nav


def shell(request):
    """What the base layout needs on every page: the site name and the user's navigation."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.ANJIAN_SITE_NAME,
        "nav_sections": nav.sections_for(user) if user is not None else [],
    }
