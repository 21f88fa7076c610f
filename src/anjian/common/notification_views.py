"""The notification centre: each user's own inbox. Another user's notification is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.common.notifications import inbox, mark_read, unread_count

PAGE_SIZE = 20


@login_required
def notification_list(request):
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = inbox(request.user).select_related("content_type")
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "common/notification_list.html",
        {"title": _("消息中心"), "page_obj": page, "show": show, "unread": unread_count(request.user)},
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("common:notification_list")


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one of the user's own notifications read; with ``open``, go to the page it links to."""
    notification = get_object_or_404(inbox(request.user), pk=pk)
    mark_read(user=request.user, notification_ids=[notification.pk])
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    count = mark_read(user=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": count})
    return _back(request)
