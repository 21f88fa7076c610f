"""The home page's panel of the special period(s) in force today (``common.home_panels``)."""

from __future__ import annotations

from anjian.common.home_panels import HomePanel
from anjian.periods import selectors, services
from anjian.periods.models import format_multiplier


def current_periods_panel(user) -> HomePanel | None:
    if not services.may(user, "view"):
        return None
    periods = list(selectors.current_periods())
    if not periods:
        return None
    return HomePanel(
        template="periods/_home_panel.html",
        weight=10,
        context={"periods": periods, "multiplier": format_multiplier(max(p.intensity for p in periods))},
    )
