"""The app's API endpoints: (prefix, viewset, basename) registered under /api/v1/ by config/urls.py."""

ROUTES: list[tuple] = []
