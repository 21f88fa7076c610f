import re
import uuid

from django.conf import settings

from anjian.common.audit import audit_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str:
    """The client address. X-Forwarded-For is believed only for the configured number of proxy hops."""
    hops = getattr(settings, "ANJIAN_TRUSTED_PROXY_HOPS", 0)
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]


class RequestContextMiddleware:
    """Gives every request an id (kept from a proxy's X-Request-ID when well-formed) and makes it,
    the client IP and the (lazily resolved) user the audit context of everything the request writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        with audit_context(request_id=request.id, ip=client_ip(request), request=request):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response
