from rest_framework import serializers, viewsets

from anjian.places.models import Division


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "code", "name", "level", "parent", "lat", "lng", "point_source"]


class DivisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative divisions (reference data, readable by every logged-in user)."""

    queryset = Division.objects.order_by("sort_order", "code")
    serializer_class = DivisionSerializer
    filterset_fields = ["level", "parent", "code"]
