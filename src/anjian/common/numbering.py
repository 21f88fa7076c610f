"""Gap-free document numbers per kind and year (ARCHITECTURE §8).

An app registers the format of each kind once, in code::

    register_numbering("hazard", "YH-{year}-{seq:06d}", label="隐患编号")

and allocates inside the transaction that saves the numbered record::

    with transaction.atomic():
        issued = allocate_number("hazard", target=hazard)   # → "YH-2026-000123"
        hazard.number = issued.number

``{year}`` is the year, ``{seq}`` the sequence number (any ``str.format`` spec, e.g. ``{seq:06d}``).
A deployment can override the format of a kind without code, in the setting
``ANJIAN_NUMBERING_TEMPLATES`` (``{"supervision": "沪建督〔{year}〕{seq}号"}``); the setting wins.

How the sequence stays gap-free and unique: the counter row of (kind, year) is locked with
``SELECT … FOR UPDATE`` inside the caller's transaction and held until it commits. A second
allocator of the same kind and year waits; if the first transaction rolls back, so does its
increment, and the number is handed out again. (On SQLite, Anjian runs IMMEDIATE transactions,
so writers are serialised at BEGIN.) The register ``IssuedNumber`` is unique on (kind, year,
seq), so the database refuses a duplicate whatever happens, and each issue is an audit event.
The price is that allocations of one kind and year are serialised until commit: keep the
transaction that allocates short.

The 督办 kind ``SUPERVISION`` is built in: the escalation ladder issues 督办 notices itself, and
the plans app's own supervision notices take their numbers from the same sequence.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone

from anjian.common.models import IssuedNumber, NumberSequence


@dataclass(frozen=True)
class NumberingKind:
    kind: str
    template: str
    label: str
    per_year: bool


_KINDS: dict[str, NumberingKind] = {}


def _check_template(kind: str, template: str) -> None:
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
    unknown = fields - {"year", "seq"}
    if "seq" not in fields or unknown:
        raise ImproperlyConfigured(
            f"numbering template for {kind!r} must contain {{seq}} and may contain {{year}}, not {template!r}"
        )
    try:
        template.format(year=2021, seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise ImproperlyConfigured(f"numbering template for {kind!r} is not a valid format: {exc}") from exc


def register_numbering(kind: str, template: str, *, label: str = "", per_year: bool = True) -> None:
    """Declare how numbers of ``kind`` read. ``per_year=False``: one sequence that never restarts.

    Registering the same kind again with the same template is harmless; a different template
    is a configuration error (two apps would be issuing one sequence in two formats).
    """
    _check_template(kind, template)
    existing = _KINDS.get(kind)
    if existing is not None:
        if (existing.template, existing.per_year) != (template, per_year):
            raise ImproperlyConfigured(f"numbering kind {kind!r} is already registered as {existing.template!r}")
        return
    _KINDS[kind] = NumberingKind(kind, template, label or kind, per_year)


def numbering_kind(kind: str) -> NumberingKind:
    """The registered kind, with the format from ``ANJIAN_NUMBERING_TEMPLATES`` when the deployment overrides it."""
    try:
        entry = _KINDS[kind]
    except KeyError:
        known = ", ".join(sorted(_KINDS))
        raise ImproperlyConfigured(f"numbering kind {kind!r} is not registered (known: {known})") from None
    override = (getattr(settings, "ANJIAN_NUMBERING_TEMPLATES", None) or {}).get(kind)
    if override and override != entry.template:
        _check_template(kind, override)
        return NumberingKind(kind, override, entry.label, entry.per_year)
    return entry


def format_number(kind: str, year: int, seq: int) -> str:
    """The text of number ``seq`` of ``kind`` in ``year``, e.g. ``金建督〔2021〕3号``."""
    return numbering_kind(kind).template.format(year=year, seq=seq)


def allocate_number(
    kind: str, *, year: int | None = None, target: models.Model | None = None, using: str = DEFAULT_DB_ALIAS
) -> IssuedNumber:
    """Issue the next number of ``kind`` for ``year`` (default: this year in Asia/Shanghai).

    Must run inside the transaction that stores the number on its record: the counter stays
    locked until that transaction ends, and rolls back with it. ``target`` (a saved record)
    is written to the register; link it later with ``link_number`` when the record is not
    saved yet. Returns the ``IssuedNumber`` (``.number`` is the text, ``.seq`` the integer).
    """
    if year is None:
        year = timezone.localdate().year
    ((seq, number),) = allocate_numbers(kind, 1, year=year, using=using)
    key_year = year if numbering_kind(kind).per_year else 0
    issued = IssuedNumber(kind=kind, year=key_year, seq=seq, number=number)
    if target is not None and target.pk is not None:
        issued.content_type = ContentType.objects.db_manager(using).get_for_model(target)
        issued.object_id = str(target.pk)
    issued.save(using=using)
    return issued


def allocate_numbers(
    kind: str, count: int, *, year: int | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[int, str]]:
    """``count`` consecutive numbers of ``kind`` for ``year`` under one lock: [(seq, number), …].

    The batched ``allocate_number`` (a 100,000-row import cannot afford a locked round trip per
    number): the same counter row held until the caller's transaction ends, so the sequence stays
    gap-free and a rollback returns the numbers. Write the register with ``register_numbers`` once
    the records exist.
    """
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("numbers must be allocated inside the transaction that saves them")
    if count < 1:
        return []
    entry = numbering_kind(kind)
    if year is None:
        year = timezone.localdate().year
    key_year = year if entry.per_year else 0
    # get_or_create is safe under concurrency: a racing creator gets IntegrityError inside a
    # savepoint and reads the winner's row instead.
    NumberSequence.objects.using(using).get_or_create(kind=kind, year=key_year)
    counter = NumberSequence.objects.using(using).select_for_update().get(kind=kind, year=key_year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"], using=using)
    return [(seq, entry.template.format(year=year, seq=seq)) for seq in range(first, first + count)]


def register_numbers(
    kind: str, year: int, issued: Iterable[tuple[int, str, models.Model]], *, using: str = DEFAULT_DB_ALIAS
) -> list[IssuedNumber]:
    """The register rows of numbers from ``allocate_numbers`` — (seq, number, saved record) — in
    bulk, each with its audit event (a bulk insert sends no model signals)."""
    from anjian.common import audit
    from anjian.common.models import AuditAction

    key_year = year if numbering_kind(kind).per_year else 0
    content_types = ContentType.objects.db_manager(using)
    rows = [
        IssuedNumber(
            kind=kind,
            year=key_year,
            seq=seq,
            number=number,
            content_type=content_types.get_for_model(target),
            object_id=str(target.pk),
        )
        for seq, number, target in issued
    ]
    created = IssuedNumber.objects.using(using).bulk_create(rows, batch_size=1000)
    audit.append(
        [audit.entry_for(row, AuditAction.CREATE, {"after": audit.snapshot(row)}) for row in created], using=using
    )
    return created


def link_number(issued: IssuedNumber, target: models.Model) -> IssuedNumber:
    """Record in the register which (now saved) record a number was issued to."""
    issued.content_type = ContentType.objects.get_for_model(target)
    issued.object_id = str(target.pk)
    issued.save(update_fields=["content_type", "object_id"])
    return issued


def numbers_of(target: models.Model):
    """The numbers issued to ``target``, oldest first."""
    ct = ContentType.objects.get_for_model(target)
    return IssuedNumber.objects.filter(content_type=ct, object_id=str(target.pk)).order_by("issued_at", "id")


# ---------------------------------------------------------------------------
# Built-in kinds
# ---------------------------------------------------------------------------
SUPERVISION = "supervision"
register_numbering(SUPERVISION, "金建督〔{year}〕{seq}号", label="督办通知")
