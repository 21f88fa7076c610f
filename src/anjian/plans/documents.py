"""The work plan's official documents, built with the one 公文 builder (``common.documents``, GB/T
9704-2012): the division table (责任分工表, the notice's 附件), responsibility letters (目标责任书),
supervision notices (督办通知) and the monthly bulletin (定期通报)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from docx.shared import Mm

from anjian.common.documents import PAGE_HEIGHT_MM, PAGE_WIDTH_MM, OfficialDocument, chinese_number
from anjian.common.text import join_clauses, join_list, join_phrases, labelled, long_date
from anjian.plans import rules
from anjian.plans.choices import BOARD_STATUSES, DerivedStatus, MeetingKind

# Wide table in landscape: 序号, 工作内容, 牵头单位, 配合单位, 完成时限 (mm; the landscape text width is 243 mm).
DIVISION_WIDTHS = (16, 120, 34, 43, 30)


def _issuer(plan) -> str:
    return plan.issuer or plan.owner_unit.name


def division_table_document(plan, tasks) -> OfficialDocument:
    """The 责任分工表 of a plan: every task with its lead unit, co-units and 完成时限, grouped under its
    item, in A4 landscape like the notice's own 附件."""
    from docx.enum.section import WD_ORIENT

    title = plan.attachment_names[-1] if plan.attachment_names else _("%(t)s责任分工表") % {"t": plan.title}
    doc = OfficialDocument(_issuer(plan), plan.document_number, title, plan.issued_on, red_header=False)
    section = doc.docx.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    rows = []
    current_item = None
    for task in tasks:
        item = task.item
        if item is not None and item.pk != current_item:
            current_item = item.pk
            rows.append([item.label, item.title, "", "", ""])
        elif item is None and current_item is not None:
            current_item = None
        rows.append(
            [
                task.code,
                task.text,
                task.lead_unit.name if task.lead_unit else _("（未分工）"),
                join_list(u.name for u in task.co_units.all()),
                rules.format_time_limit(task.deadline, task.cadence, task.time_limit),
            ]
        )
    doc.table(
        [_("序号"), _("工作内容"), _("牵头单位"), _("配合单位"), _("完成时限")],
        rows,
        DIVISION_WIDTHS,
        align=["center", "left", "center", "left", "center"],
        font_pt=10.5,
    )
    return doc


# ---------------------------------------------------------------------------
# Responsibility letters
# ---------------------------------------------------------------------------
GOVERNMENT_DUTIES = [
    _(
        "乙方主要负责人是本单位安全生产和消防工作第一责任人，对本单位安全生产和消防工作全面负责；分管负责人对分管范围内的安全生产和消防工作负直接领导责任。"
    ),
    _(
        "乙方按照“党政同责、一岗双责、齐抓共管、失职追责”和“三管三必须”的要求，履行行业安全监管职责，建立健全本单位安全生产责任制，逐级签订目标责任书。"
    ),
    _("乙方按时报告工作进展并提供佐证材料，对督办事项在规定期限内办结并反馈。"),
]
ENTERPRISE_DUTIES = [
    _(
        "乙方是本企业安全生产和消防安全的责任主体，主要负责人对本企业安全生产和消防工作全面负责，落实全员安全生产责任制。"
    ),
    _("乙方依法依规开展隐患排查治理，动态更新问题隐患和制度措施“两个清单”，按“一案一策”整改到位。"),
    _("乙方配合甲方开展监督检查和专项整治，如实提供情况和资料，按期整改并反馈。"),
]


def letter_document(letter) -> OfficialDocument:
    """A target-responsibility letter in 公文 layout: title, number, the two parties, the tasks the
    signee leads and co-leads (frozen when issued), the duties, assessment, and the signature block."""
    plan = letter.plan
    content = letter.content or {}
    doc = OfficialDocument(letter.issuer_unit.name, letter.number, letter.title, letter.issued_on, red_header=False)
    doc.paragraph(letter.number, indent=False, align="center")
    doc.paragraph(_("甲方：%(u)s") % {"u": letter.issuer_unit.name}, indent=False)
    doc.paragraph(_("乙方：%(u)s") % {"u": letter.signee_unit.name}, indent=False)
    doc.paragraph(
        _(
            "为贯彻落实%(doc)s《%(title)s》，压实安全生产和消防工作责任，确保安全责任环环相扣、层层压实，"
            "甲乙双方签订本责任书。"
        )
        % {"doc": plan.document_number, "title": plan.title}
    )
    doc.heading(_("工作目标"), 1)
    doc.paragraph(
        _("%(y)s年度，乙方牵头或配合完成以下工作任务，全年不发生较大及以上生产安全责任事故和火灾事故。")
        % {"y": plan.year}
    )
    groups = [
        ("lead", _("牵头任务")),
        ("co", _("配合任务")),
        ("inherited", _("配合落实%(u)s牵头的任务") % {"u": letter.issuer_unit.name}),
    ]
    for key, label in groups:
        rows = content.get(key) or []
        if not rows:
            continue
        doc.heading(label, 2)
        doc.table(
            [_("序号"), _("工作内容"), _("完成时限")],
            [[r["code"], r["text"], r["time_limit"]] for r in rows],
            [18, 104, 34],
            align=["center", "left", "center"],
        )
    doc.heading(_("工作责任"), 1)
    duties = ENTERPRISE_DUTIES if content.get("kind") == "enterprise" else GOVERNMENT_DUTIES
    for n, duty in enumerate(duties, start=1):
        doc.paragraph(f"（{chinese_number(n)}）{duty}")
    doc.heading(_("考核奖惩"), 1)
    doc.paragraph(
        _(
            "甲方按照年度考核方案，依据任务完成率、按时完成率以及提醒、督办、约谈等情况对乙方进行考核，"
            "考核结果纳入年度综合考评；对未完成目标任务的，予以通报、约谈。"
        )
    )
    doc.heading(_("附则"), 1)
    doc.paragraph(
        _("本责任书有效期自签订之日起至%(y)s年12月31日止。本责任书一式两份，甲乙双方各执一份。") % {"y": plan.year}
    )
    doc.paragraph(_("甲方（盖章）：%(u)s") % {"u": letter.issuer_unit.name}, indent=False)
    doc.paragraph(_("负责人（签字）："), indent=False)
    doc.paragraph(_("乙方（盖章）：%(u)s") % {"u": letter.signee_unit.name}, indent=False)
    doc.paragraph(_("负责人（签字）：%(n)s") % {"n": letter.signer_name}, indent=False)
    doc.signature(letter.issuer_unit.name, letter.issued_on)
    return doc


# ---------------------------------------------------------------------------
# Supervision notices
# ---------------------------------------------------------------------------
def notice_document(notice) -> OfficialDocument:
    plan = notice.task.plan
    issuer = _issuer(plan)
    doc = OfficialDocument(issuer, notice.number, _("督办通知"), notice.issued_on, issuer_mark=issuer)
    doc.salutation(notice.unit.name)
    doc.paragraph(notice.content)
    doc.paragraph(_("督办事项：%(t)s") % {"t": notice.task.text})
    if notice.reply_due:
        doc.paragraph(_("反馈期限：%(d)s（%(n)s个工作日内）") % {"d": _cn_date(notice.reply_due), "n": 3})
    doc.signature(issuer, notice.issued_on)
    return doc


def _cn_date(day: dt.date) -> str:
    """2021年3月9日 in a Chinese document (the date format of the active language otherwise)."""
    return long_date(day)


# ---------------------------------------------------------------------------
# The monthly bulletin
# ---------------------------------------------------------------------------
def bulletin_document(bulletin) -> OfficialDocument:
    """The monthly bulletin from its figures: overall completion, completion by unit, overdue tasks,
    supervision and summons, meetings, every section other apps registered, and the audit anchor."""
    plan = bulletin.plan
    f = bulletin.figures or {}
    issuer = _issuer(plan)
    number = bulletin.number or _("（草稿，未编号）")
    title = _("关于%(y)s年%(m)s月安全生产和消防重点工作推进情况的通报") % {"y": bulletin.year, "m": bulletin.month}
    doc = OfficialDocument(issuer, number, title, bulletin.published_on or bulletin.as_of)
    doc.salutation(plan.salutation or _("机关各科室、委属各单位"))
    as_of = dt.date.fromisoformat(f.get("as_of", bulletin.as_of.isoformat()))
    totals = f.get("totals", {})
    doc.paragraph(
        _("根据%(doc)s《%(title)s》，现将截至%(d)s重点工作推进情况通报如下。")
        % {"doc": plan.document_number, "title": plan.title, "d": _cn_date(as_of)}
    )
    doc.heading(_("总体情况"), 1)
    parts = join_phrases(
        _("%(status)s%(n)s项") % {"status": DerivedStatus(s).label, "n": totals.get(str(s), 0)}
        for s in BOARD_STATUSES
        if totals.get(str(s))
    )
    doc.paragraph(
        _("纳入跟踪的工作任务共%(n)d项，其中%(parts)s，总体完成率%(rate)s%%。")
        % {"n": totals.get("total", 0), "parts": parts or _("均未启动"), "rate": totals.get("rate", 0)}
    )
    doc.heading(_("各单位完成情况"), 1)
    units = f.get("units", [])
    if units:
        doc.table(
            [_("牵头单位"), _("牵头任务"), _("已完成"), _("逾期"), _("临期"), _("完成率")],
            [
                [
                    u["unit"],
                    u["total"],
                    u.get("done", 0),
                    u.get("overdue", 0),
                    u.get("at_risk", 0),
                    f"{u['rate']}%",
                ]
                for u in units
            ],
            [52, 20, 20, 20, 20, 24],
            align=["left", "center", "center", "center", "center", "center"],
        )
    else:
        doc.paragraph(_("暂无已分工的任务。"))
    doc.heading(_("逾期任务"), 1)
    overdue = f.get("overdue", [])
    if overdue:
        doc.paragraph(
            _("截至%(d)s，以下%(n)d项任务逾期未完成，请牵头单位抓紧推进：") % {"d": _cn_date(as_of), "n": len(overdue)}
        )
        doc.table(
            [_("序号"), _("工作任务"), _("牵头单位"), _("到期日"), _("逾期工作日")],
            [[r["code"], r["text"], r["unit"], r["due"], r["days"]] for r in overdue],
            [16, 70, 32, 22, 16],
            align=["center", "left", "left", "center", "center"],
        )
    else:
        doc.paragraph(_("截至%(d)s，无逾期任务。") % {"d": _cn_date(as_of)})
    doc.heading(_("督办约谈情况"), 1)
    esc = f.get("escalations", {})
    doc.paragraph(
        _("本月系统发出逾期提醒%(r)d次、督办通知%(s)d份、约谈建议%(y)d次；召开约谈%(h)d次。")
        % {
            "r": esc.get("reminder", 0),
            "s": esc.get("supervision", 0),
            "y": esc.get("summons_proposal", 0),
            "h": len(f.get("summonses", [])),
        }
    )
    notices = f.get("notices", [])
    if notices:
        doc.paragraph(
            _("督办通知：%(list)s。")
            % {
                "list": join_clauses(
                    _("%(number)s（%(unit)s，任务%(code)s）")
                    % {"number": n["number"], "unit": n["unit"], "code": n["code"]}
                    for n in notices
                )
            }
        )
    for s in f.get("summonses", []):
        doc.paragraph(_("%(d)s约谈%(u)s：%(r)s") % {"d": s["held_on"], "u": s["unit"], "r": s["reason"]})
    meetings = f.get("meetings", [])
    if meetings:
        doc.heading(_("会议情况"), 1)
        for m in meetings:
            doc.paragraph(labelled(f"{m['held_on']} {MeetingKind(m['kind']).label}", m["title"]))
    for section in f.get("sections", []):
        doc.heading(section["title"], 1)
        for paragraph in section.get("paragraphs", []):
            doc.paragraph(paragraph)
        if section.get("table_headers"):
            doc.table(section["table_headers"], section.get("table_rows", []))
    doc.heading(_("下步要求"), 1)
    doc.paragraph(
        _("各牵头单位要对照责任分工表，按时报告进展并提供佐证材料；对逾期任务，要分析原因、明确措施、限期办结。")
    )
    if bulletin.audit_anchor:
        doc.paragraph(
            _("本通报印发时系统审计链头：%(a)s（可用于核验审计记录未被改动）。") % {"a": bulletin.audit_anchor}
        )
    doc.signature(issuer, bulletin.published_on or bulletin.as_of)
    return doc
