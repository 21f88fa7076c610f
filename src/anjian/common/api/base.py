"""The API framework: scoped viewsets and the error mapping (token login is the accounts app's)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anjian.common.exceptions import DomainError


# ---------------------------------------------------------------------------
# Errors: Django ValidationError → 400 with field keys, DomainError → its status (409 …)
# ---------------------------------------------------------------------------
def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DomainError):
        response = Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
        return response
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到，或不在您的数据范围内。"))
    return drf_exception_handler(exc, context)


class ScopedViewSetMixin:
    """Every list and detail starts from ``restrict()``; outside the scope is 404."""

    scope_action = "view"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
