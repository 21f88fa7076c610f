import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

DUE_BADGES = {
    "overdue": ("danger", _("已逾期")),
    "soon": ("warning", _("即将到期")),
    "later": ("success", _("未到期")),
    "none": ("secondary", _("无")),
}
CLASS_BADGES = {"A": "success", "B": "info", "C": "warning", "D": "danger"}


def due_badge(wall) -> str:
    colour, label = DUE_BADGES[wall.due_state()]
    return format_html('<span class="badge text-bg-{}" data-testid="due-badge">{}</span>', colour, label)


def class_badge(house) -> str:
    if not house.dilapidation:
        return format_html('<span class="text-muted">{}</span>', _("未评定"))
    return format_html(
        '<span class="badge text-bg-{}" data-testid="class-badge">{}</span>',
        CLASS_BADGES.get(house.dilapidation, "secondary"),
        house.get_dilapidation_display(),
    )


def flag_badge(house) -> str:
    if not house.flagged:
        return ""
    return format_html('<span class="badge text-bg-danger" data-testid="flag-badge">{}</span>', _("在用危房"))


class CurtainWallTable(tables.Table):
    # Long names wrap, so the seven columns fit at 1366 px without the table scrolling sideways.
    name = tables.Column(verbose_name=_("建筑名称"), linkify=True, attrs={"td": {"class": "text-wrap"}})
    next_due_on = tables.Column(verbose_name=_("下次到期"), empty_values=(), attrs={"td": {"class": "text-nowrap"}})
    next_due_kind = tables.Column(verbose_name=_("到期事项"), empty_values=(), orderable=False)
    town = tables.Column(verbose_name=_("街镇"), order_by=("town__sort_order",), attrs={"td": {"class": "text-wrap"}})
    owner = tables.Column(
        verbose_name=_("业主"),
        accessor="owner_name",
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-wrap"}},
    )
    height = tables.Column(verbose_name=_("高度(m)"))
    accepted_on = tables.DateColumn(verbose_name=_("竣工验收"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = CurtainWall
        # Name and due date first: at 375 px they are what the card shows on top.
        fields = ("name", "next_due_on", "next_due_kind", "town", "owner", "height", "accepted_on")
        attrs = TABLE_ATTRS

    def render_next_due_on(self, value, record):
        return format_html("{} {}", value.isoformat() if value else "—", due_badge(record))

    def render_next_due_kind(self, value, record):
        return record.next_due_label or "—"

    def render_owner(self, value, record):
        return record.owner


class RuralHouseTable(tables.Table):
    address = tables.Column(verbose_name=_("地址"), linkify=True)
    dilapidation = tables.Column(verbose_name=_("危险性等级"), empty_values=())
    flagged = tables.Column(verbose_name=_("在用危房"), empty_values=())
    town = tables.Column(verbose_name=_("街镇"), order_by=("town__sort_order",))
    village = tables.Column(verbose_name=_("村"))
    owner_name = tables.Column(verbose_name=_("户主"))
    structure = tables.Column(verbose_name=_("结构"))
    use = tables.Column(verbose_name=_("用途"))
    renovation = tables.Column(verbose_name=_("整治状态"))

    class Meta:
        model = RuralHouse
        fields = (
            "address",
            "dilapidation",
            "flagged",
            "town",
            "village",
            "owner_name",
            "structure",
            "use",
            "renovation",
        )
        attrs = TABLE_ATTRS

    def render_dilapidation(self, value, record):
        return class_badge(record)

    def render_flagged(self, value, record):
        return flag_badge(record) or "—"


class DamageEventTable(tables.Table):
    occurred_on = tables.DateColumn(
        verbose_name=_("发生日期"), format="Y-m-d", linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    kind = tables.Column(verbose_name=_("类别"))
    walls = tables.Column(verbose_name=_("受损幕墙"), empty_values=(), orderable=False)
    appraisal_days = tables.Column(verbose_name=_("鉴定期限(日)"))
    town = tables.Column(verbose_name=_("涉及街镇"))
    description = tables.Column(verbose_name=_("受损情况"), orderable=False)

    class Meta:
        model = DamageEvent
        fields = ("occurred_on", "kind", "walls", "appraisal_days", "town", "description")
        attrs = TABLE_ATTRS

    def render_walls(self, value, record):
        return record.walls.count()

    def render_description(self, value, record):
        return value if len(value) <= 40 else value[:40] + "…"
