"""What the hazard models share: the dotted paths their life cycle names, the scope of a hazard's records, one check."""

from django.core.exceptions import ValidationError

from anjian.common.scope import ScopeFields

SERVICES = "anjian.hazards.services"
FORMS = "anjian.hazards.forms"

# Every record that belongs to a hazard is seen by whoever sees the hazard.
HAZARD_SCOPE = ScopeFields(
    unit=("hazard__supervising_unit",),
    enterprise=("hazard__responsible_enterprise",),
    town=("hazard__town",),
)


def unit_kind_error(unit, kinds, message):
    if unit is not None and unit.kind not in kinds:
        return ValidationError(message, code="unit_kind")
    return None
