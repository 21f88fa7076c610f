import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from anjian.common.templatetags.anjian import status_badge
from anjian.construction.models import EnterpriseProfile, HighRiskWork, Machine, Project, Worker

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


QUALIFICATION_BADGES = {
    "expired": ("danger", _("已过期")),
    "expiring": ("warning", _("90 日内到期")),
    "valid": ("success", _("有效")),
}


def qualification_badge(qualification) -> str:
    colour, label = QUALIFICATION_BADGES[qualification.state()]
    return format_html('<span class="badge text-bg-{}" data-testid="qualification-badge">{}</span>', colour, label)


def qualification_summary(expired: int, expiring: int, total: int) -> str:
    """The list's flag: how many qualifications are expired and expiring, or that all are valid."""
    if not total:
        return format_html('<span class="text-muted">{}</span>', _("无资质记录"))
    parts = []
    if expired:
        parts.append(
            format_html(
                '<span class="badge text-bg-danger" data-testid="quals-expired">{} {}</span>', _("已过期"), expired
            )
        )
    if expiring:
        parts.append(
            format_html(
                '<span class="badge text-bg-warning" data-testid="quals-expiring">{} {}</span>',
                _("90 日内到期"),
                expiring,
            )
        )
    if not parts:
        return format_html('<span class="badge text-bg-success">{} {}</span>', _("有效"), total)
    return format_html_join(" ", "{}", ((p,) for p in parts))


class EnterpriseProfileTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("企业"), linkify=lambda record: record.get_absolute_url())
    enterprise_type = tables.Column(verbose_name=_("企业类型"))
    risk_grade = tables.Column(verbose_name=_("风险等级"))
    credit_score = tables.Column(verbose_name=_("信用评分"))
    uscc = tables.Column(verbose_name=_("统一社会信用代码"), accessor="enterprise__uscc", orderable=False)
    town = tables.Column(verbose_name=_("街镇"), accessor="enterprise__division", orderable=False)
    qualifications = tables.Column(verbose_name=_("企业资质"), accessor="pk", orderable=False)

    class Meta:
        model = EnterpriseProfile
        fields = ("enterprise", "enterprise_type", "qualifications", "risk_grade", "credit_score", "uscc", "town")
        attrs = TABLE_ATTRS
        order_by = ("enterprise",)

    def render_qualifications(self, value, record):
        """From the list's annotations (``selectors.with_qualification_counts``): no query a row."""
        return qualification_summary(
            getattr(record, "quals_expired", 0), getattr(record, "quals_expiring", 0), getattr(record, "quals_total", 0)
        )

    def render_risk_grade(self, value, record):
        colour = {"A": "success", "B": "info", "C": "warning", "D": "danger"}.get(record.risk_grade, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, record.risk_grade)


class ProjectTable(tables.Table):
    name = tables.Column(verbose_name=_("项目名称"), linkify=True)
    status = tables.Column(verbose_name=_("状态"))
    permit_no = tables.Column(verbose_name=_("施工许可证号"), attrs={"td": {"class": "text-nowrap font-monospace"}})
    town = tables.Column(verbose_name=_("街镇"), order_by=("town__sort_order",))
    contractor = tables.Column(verbose_name=_("施工总承包单位"))
    contract_value = tables.Column(verbose_name=_("合同价(万元)"))
    start_date = tables.DateColumn(verbose_name=_("开工日期"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = Project
        # Name and status first: at 375 px they are what the card shows on top.
        fields = ("name", "status", "permit_no", "town", "contractor", "contract_value", "start_date")
        attrs = TABLE_ATTRS

    def render_status(self, value, record):
        return status_badge(record)


class WorkerTable(tables.Table):
    name = tables.Column(verbose_name=_("姓名"), linkify=True)
    id_number = tables.Column(verbose_name=_("身份证号"), orderable=False, attrs={"td": {"class": "font-monospace"}})
    sex = tables.Column(verbose_name=_("性别"))
    age = tables.Column(verbose_name=_("年龄"), accessor="birth_date", order_by=("-birth_date",))
    trade = tables.Column(verbose_name=_("工种"))
    # The long names wrap (the house table keeps cells on one line), so the row fits at 1366 px.
    employer = tables.Column(verbose_name=_("用工企业"), attrs={"td": {"class": "text-wrap"}})
    project = tables.Column(verbose_name=_("工程项目"), attrs={"td": {"class": "text-wrap"}})
    certificate = tables.Column(verbose_name=_("特种作业操作证"), accessor="cert_expiry", empty_values=())
    exit_date = tables.Column(verbose_name=_("在场"), empty_values=())

    class Meta:
        model = Worker
        fields = ("name", "id_number", "sex", "age", "trade", "certificate", "employer", "project", "exit_date")
        attrs = TABLE_ATTRS

    def render_certificate(self, value, record):
        return certificate_badge(record)

    def render_id_number(self, value, record):
        return record.masked_id_number

    def render_age(self, value, record):
        from anjian.construction.rules import age_on

        return age_on(value, timezone.localdate())

    def render_exit_date(self, value, record):
        if value is None:
            return format_html('<span class="badge text-bg-success">{}</span>', _("在场"))
        return format_html('<span class="text-muted">{} {}</span>', _("已退场"), value.isoformat())


CERTIFICATE_BADGES = {  # short: the column (and the page's row) is headed 特种作业操作证
    "expired": ("danger", _("已过期")),
    "expiring": ("warning", _("即将到期")),
    "missing": ("danger", _("缺证")),
}


def certificate_badge(worker, *, with_date: bool = True) -> str:
    """The 特种作业操作证 of a worker: its validity, flagged when expired, expiring or missing."""
    state = worker.certificate_state()
    if state == "none":
        return format_html('<span class="text-muted">{}</span>', "—")
    if state == "valid":
        return format_html('<span class="text-nowrap">{}</span>', worker.cert_expiry.isoformat())
    colour, label = CERTIFICATE_BADGES[state]
    expiry = worker.cert_expiry.isoformat() if worker.cert_expiry and with_date else ""
    return format_html(
        '<span class="text-nowrap">{} <span class="badge text-bg-{}" data-testid="cert-badge">{}</span></span>',
        expiry,
        colour,
        label,
    )


LEVEL_BADGES = {"beyond_scale": "danger", "danda": "warning", "none": "secondary"}


def level_badge(work) -> str:
    return format_html(
        '<span class="badge text-bg-{}" data-testid="level-badge">{}</span>',
        LEVEL_BADGES.get(work.level, "secondary"),
        work.get_level_display(),
    )


class HighRiskWorkTable(tables.Table):
    name = tables.Column(verbose_name=_("工程名称"), linkify=True)
    level = tables.Column(verbose_name=_("等级"))
    status = tables.Column(verbose_name=_("状态"))
    obligations_open = tables.Column(verbose_name=_("义务"))
    category = tables.Column(verbose_name=_("类别"))
    project = tables.Column(verbose_name=_("工程项目"))
    planned_start = tables.DateColumn(
        verbose_name=_("计划开始"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}}
    )

    class Meta:
        model = HighRiskWork
        # Name, level and status first: at 375 px they are what the card shows on top.
        fields = ("name", "level", "status", "obligations_open", "category", "project", "planned_start")
        attrs = TABLE_ATTRS

    def render_level(self, value, record):
        return level_badge(record)

    def render_status(self, value, record):
        return status_badge(record)

    def render_obligations_open(self, value, record):
        if not record.obligations:
            return format_html('<span class="text-muted">{}</span>', _("无"))
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', _("未完成"))
        return format_html('<span class="badge text-bg-success">{}</span>', _("已完成"))


INSPECTION_BADGES = {
    "expired": ("danger", _("已过期")),
    "expiring": ("warning", _("即将到期")),
    "valid": ("success", _("有效")),
    "unknown": ("secondary", _("未记录")),
}


def inspection_badge(machine) -> str:
    colour, label = INSPECTION_BADGES[machine.inspection_state()]
    return format_html('<span class="badge text-bg-{}" data-testid="inspection-badge">{}</span>', colour, label)


class MachineTable(tables.Table):
    record_no = tables.Column(verbose_name=_("备案编号"), linkify=True, attrs={"td": {"class": "font-monospace"}})
    inspection_valid_until = tables.Column(
        verbose_name=_("检验有效期至"), empty_values=(), attrs={"td": {"class": "text-nowrap"}}
    )
    machine_type = tables.Column(verbose_name=_("设备类型"))
    model_no = tables.Column(verbose_name=_("规格型号"))
    project = tables.Column(verbose_name=_("工程项目"))
    use_registered_on = tables.Column(verbose_name=_("使用登记"), empty_values=())

    class Meta:
        model = Machine
        fields = ("record_no", "inspection_valid_until", "machine_type", "model_no", "project", "use_registered_on")
        attrs = TABLE_ATTRS

    def render_inspection_valid_until(self, value, record):
        return format_html("{} {}", value.isoformat() if value else "—", inspection_badge(record))

    def render_use_registered_on(self, value, record):
        if not record.registered_for_use:
            return format_html('<span class="text-muted">{}</span>', _("未登记"))
        return format_html("{} · {}", record.use_registration_no, value.isoformat())
