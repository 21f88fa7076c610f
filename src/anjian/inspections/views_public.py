"""The public pages of 一公开 (no login; ``/public/`` is outside the login policy): the published
draws, each with its commitment, seed, canonical digests, result and a verification anyone can
repeat — on the server (the button) or offline with ``tools/verify_draw.py`` on the downloaded inputs.
Only published draws exist here: any other id is a 404."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from anjian.inspections.models import DrawStatus, RandomDraw
from anjian.inspections.services.draws import draw_verify
from anjian.inspections.views import draw_context


def _published():
    return RandomDraw.objects.filter(status=DrawStatus.PUBLISHED).select_related("item", "plan", "unit", "redraw_of")


@never_cache
def draw_list(request):
    rows = _published().defer("pool_snapshot", "officers_snapshot", "labels", "result").order_by("-published_at", "-pk")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request, "inspections/public_draw_list.html", {"page": page, "title": _("双随机抽取结果公开"), "public": True}
    )


@never_cache
def draw_detail(request, pk: int):
    draw = get_object_or_404(_published(), pk=pk)
    verified = None
    if request.GET.get("verify"):
        ok, reasons = draw_verify(draw)
        verified = {"ok": ok, "reasons": reasons}
    return render(
        request,
        "inspections/public_draw_detail.html",
        {
            "object": draw,
            "verified": verified,
            "redraws": draw.redraws.filter(status=DrawStatus.PUBLISHED),
            "title": str(draw),
            "public": True,
            **draw_context(draw),
        },
    )


@never_cache
def draw_data(request, pk: int):
    """The inputs and the result, as ``tools/verify_draw.py`` and ``anjian rule verify_draw`` take them."""
    draw = get_object_or_404(_published(), pk=pk)
    body = {
        "commitment": draw.commitment,
        "seed": draw.seed,
        "pool": draw.pool_snapshot,
        "officers": draw.officers_snapshot,
        "config": draw.config,
        "result": draw.result,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.number}.json"'
    return response
