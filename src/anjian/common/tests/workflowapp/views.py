from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from rest_framework import serializers

from anjian.common.api.base import ScopedReadOnlyViewSet
from anjian.common.api.workflow import TransitionActionsMixin
from anjian.common.generic import scoped_object_or_404
from anjian.common.tests.workflowapp.models import Ticket


@login_required
def ticket_detail(request, pk: int):
    ticket = scoped_object_or_404(Ticket, request.user, pk)
    return render(request, "workflowapp/ticket_detail.html", {"object": ticket, "title": ticket.title})


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "title", "status", "unit", "enterprise", "due_date", "closed_at", "version"]
        read_only_fields = fields


class TicketViewSet(TransitionActionsMixin, ScopedReadOnlyViewSet):
    """Test tickets, with one POST route per transition."""

    queryset = Ticket.objects.order_by("pk")
    serializer_class = TicketSerializer
