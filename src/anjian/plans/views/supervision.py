"""Supervision notices (督办), responsibility letters (目标责任书), meetings and summons (约谈)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.common.documents import docx_response, pdf_response
from anjian.common.generic import ObjectDetailView, ObjectEditView, ObjectListView, scoped_object_or_404
from anjian.common.scope import has_role
from anjian.common.text import labelled
from anjian.orgs.choices import GOVERNMENT_ROLES
from anjian.plans import selectors, services
from anjian.plans.choices import LetterStatus, SummonsStatus
from anjian.plans.documents import letter_document, notice_document
from anjian.plans.filtersets import LetterFilterSet, MeetingFilterSet, NoticeFilterSet, SummonsFilterSet
from anjian.plans.forms import LetterIssueForm, MeetingForm, NewTaskForm, SummonsForm
from anjian.plans.models import Meeting, ResponsibilityLetter, Summons, SupervisionNotice
from anjian.plans.permissions import ISSUER_ROLES, ORGANISER_ROLES, SIGNER_ROLES
from anjian.plans.tables import LetterTable, MeetingTable, NoticeTable, SummonsTable
from anjian.plans.views.common import chosen_plan, run_service, visible_plan_or_404


# ---------------------------------------------------------------------------
# Supervision notices
# ---------------------------------------------------------------------------
class NoticeListView(ObjectListView):
    queryset = SupervisionNotice.objects.select_related("task", "unit").order_by("-issued_on", "-id")
    filterset_class = NoticeFilterSet
    table_class = NoticeTable
    title = gettext_lazy("督办通知")
    export_filename = "supervision-notices"
    export_columns = [
        (gettext_lazy("督办编号"), "number"),
        (gettext_lazy("督办日期"), "issued_on"),
        (gettext_lazy("序号"), "task.code"),
        (gettext_lazy("工作任务"), "task.text"),
        (gettext_lazy("责任单位"), "unit.name"),
        (gettext_lazy("逾期工作日"), "days_overdue"),
        (gettext_lazy("反馈期限"), "reply_due"),
        (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("办理反馈"), "reply"),
    ]


class NoticeDetailView(ObjectDetailView):
    model = SupervisionNotice
    template_name = "plans/notice_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("task__plan", "unit", "escalation")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = str(self.object)
        ctx["show_attachments"] = True
        return ctx


@login_required
def notice_docx(request, pk: int):
    notice = scoped_object_or_404(SupervisionNotice, request.user, pk)
    return docx_response(
        notice_document(notice),
        _("督办通知%(number)s") % {"number": notice.number} + ".docx",
        object_type="plans.supervisionnotice",
        object_id=notice.pk,
        actor=request.user,
        ascii_name="supervision-notice.docx",
    )


# ---------------------------------------------------------------------------
# Responsibility letters
# ---------------------------------------------------------------------------
class LetterListView(ObjectListView):
    queryset = ResponsibilityLetter.objects.select_related("issuer_unit", "signee_unit", "plan").order_by(
        "plan", "level", "issuer_unit__path", "signee_unit__path"
    )
    filterset_class = LetterFilterSet
    table_class = LetterTable
    template_name = "plans/letter_list.html"
    title = gettext_lazy("目标责任书")
    export_filename = "responsibility-letters"
    export_columns = [
        (gettext_lazy("编号"), "number"),
        (gettext_lazy("层级"), "level"),
        (gettext_lazy("甲方"), "issuer_unit.name"),
        (gettext_lazy("乙方"), "signee_unit.name"),
        (gettext_lazy("发出日期"), "issued_on"),
        (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("签订日期"), "signed_on"),
        (gettext_lazy("乙方签订人"), "signer_name"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["managed_plans"] = selectors.managed_plans(self.request.user).order_by("-year")
        ctx["plan"] = chosen_plan(self.request) if has_role(self.request.user, *SIGNER_ROLES) else None
        return ctx


class LetterDetailView(ObjectDetailView):
    model = ResponsibilityLetter
    template_name = "plans/letter_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "issuer_unit", "signee_unit", "parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        letter, user = self.object, self.request.user
        ctx["title"] = str(letter)
        ctx["show_attachments"] = True
        ctx["children"] = ResponsibilityLetter.objects.restrict(user, "view").filter(parent=letter)
        ctx["can_issue_next"] = letter.status != LetterStatus.REVOKED and selectors.acts_for(
            user, letter.signee_unit, ISSUER_ROLES
        )
        ctx["is_signee"] = selectors.acts_for(user, letter.signee_unit, SIGNER_ROLES)
        return ctx


def _letter_filename(letter, ext: str) -> str:
    return f"{letter.title}-{letter.signee_unit.name}.{ext}"


@login_required
def letter_docx(request, pk: int):
    letter = scoped_object_or_404(ResponsibilityLetter, request.user, pk)
    return docx_response(
        letter_document(letter),
        _letter_filename(letter, "docx"),
        object_type="plans.responsibilityletter",
        object_id=letter.pk,
        actor=request.user,
        ascii_name="responsibility-letter.docx",
    )


@login_required
def letter_pdf(request, pk: int):
    letter = scoped_object_or_404(ResponsibilityLetter, request.user, pk)
    response = pdf_response(
        letter_document(letter),
        _letter_filename(letter, "pdf"),
        object_type="plans.responsibilityletter",
        object_id=letter.pk,
        actor=request.user,
        ascii_name="responsibility-letter.pdf",
    )
    if response is None:
        messages.warning(request, _("服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版"))
        return redirect(letter)
    return response


@login_required
@require_POST
def letters_generate(request, pk: int):
    """The committee's letters to every unit with tasks in the plan (those still missing)."""
    plan = visible_plan_or_404(request.user, pk)
    try:
        letters = services.letters_issue_level_one(actor=request.user, plan=plan)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("plans:letter_list")
    if letters:
        messages.success(request, _("已发出 %(n)d 份目标责任书") % {"n": len(letters)})
    else:
        messages.info(request, _("每个有任务的单位都已有责任书"))
    return redirect(f"{reverse('plans:letters_unsigned')}?plan={plan.pk}")


@login_required
def letter_issue_next(request, pk: int):
    """The signee of a letter issues the next level down: to a sub-unit or a supervised enterprise."""
    parent = scoped_object_or_404(ResponsibilityLetter, request.user, pk)
    if not selectors.acts_for(request.user, parent.signee_unit, ISSUER_ROLES):
        raise PermissionDenied(_("只有“%(u)s”可以向下级签发责任书") % {"u": parent.signee_unit})
    form = LetterIssueForm(request.POST or None, parent=parent, user=request.user)
    if request.method == "POST" and form.is_valid():
        letter = run_service(
            request,
            form,
            lambda: services.letter_issue(
                actor=request.user, plan=parent.plan, signee_unit=form.cleaned_data["signee_unit"], parent=parent
            ),
        )
        if letter is not None:
            messages.success(request, _("已发出责任书 %(n)s") % {"n": letter.number})
            return redirect(letter)
    return render(
        request,
        "plans/simple_form.html",
        {
            "form": form,
            "title": _("签发下级责任书"),
            "intro": _("甲方：%(u)s") % {"u": parent.signee_unit},
            "back": parent,
        },
    )


@login_required
def letters_unsigned(request):
    """Who has not signed: the units expected to sign with the committee (every unit with tasks) and
    their letters' state, then every letter issued at any level and not yet signed."""
    plan = chosen_plan(request)
    if plan is None:
        raise Http404
    user = request.user
    letters = ResponsibilityLetter.objects.restrict(user, "view").filter(plan=plan).exclude(status=LetterStatus.REVOKED)
    level_one = {letter.signee_unit_id: letter for letter in letters.filter(level=1).select_related("signee_unit")}
    # The plan's manager sees every unit expected to sign; anyone else sees the units they belong to
    # (another unit's letter is outside their scope, so its absence would read as "not issued").
    manager = selectors.can_manage(user, plan)
    own = set(selectors.units_acted_for(user, GOVERNMENT_ROLES).values_list("pk", flat=True))
    expected = [
        {"unit": unit, "letter": level_one.get(unit.pk)}
        for unit in services.level_one_units(plan)
        if manager or unit.pk in own
    ]
    pending = letters.filter(status=LetterStatus.ISSUED, level__gte=2).select_related("issuer_unit", "signee_unit")
    summary = {
        "expected": len(expected),
        "signed": sum(1 for e in expected if e["letter"] and e["letter"].status == LetterStatus.SIGNED),
        "issued": sum(1 for e in expected if e["letter"] and e["letter"].status == LetterStatus.ISSUED),
        "missing": sum(1 for e in expected if not e["letter"]),
    }
    return render(
        request,
        "plans/letters_unsigned.html",
        {
            "title": _("责任书签订情况"),
            "plan": plan,
            "plans": selectors.visible_plans(user).order_by("-year"),
            "expected": expected,
            "pending": pending,
            "summary": summary,
            "can_manage": manager,
        },
    )


# ---------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------
class MeetingListView(ObjectListView):
    queryset = (
        Meeting.objects.select_related("organiser_unit")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "-id")
    )
    filterset_class = MeetingFilterSet
    table_class = MeetingTable
    title = gettext_lazy("会议")
    create_url = "plans:meeting_add"
    create_roles = tuple(ISSUER_ROLES)
    export_filename = "meetings"
    export_columns = [
        (gettext_lazy("日期"), "held_on"),
        (gettext_lazy("类型"), "get_kind_display"),
        (gettext_lazy("会议名称"), "title"),
        (gettext_lazy("召集单位"), "organiser_unit.name"),
        (gettext_lazy("主持人"), "host"),
        (gettext_lazy("会议纪要"), "minutes"),
    ]


class MeetingDetailView(ObjectDetailView):
    model = Meeting
    template_name = "plans/meeting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        decisions, _day = selectors.tasks_for(user, plans=[meeting.plan])
        ctx["title"] = str(meeting)
        ctx["show_attachments"] = True
        ctx["decisions"] = decisions.filter(meeting=meeting).select_related("lead_unit").order_by("position")
        ctx["is_organiser"] = selectors.acts_for(user, meeting.organiser_unit, ISSUER_ROLES)
        ctx["units"] = meeting.units.order_by("path")
        if ctx["is_organiser"]:
            ctx["decision_form"] = NewTaskForm(plan=meeting.plan, user=user)
        return ctx


class MeetingEditView(ObjectEditView):
    model = Meeting
    form_class = MeetingForm
    title = gettext_lazy("会议")

    def check_create_permission(self):
        if self.object is None and not selectors.units_acted_for(self.request.user, ISSUER_ROLES).exists():
            raise PermissionDenied(_("您的角色无权登记会议"))
        if self.object is not None and not selectors.acts_for(
            self.request.user, self.object.organiser_unit, ISSUER_ROLES
        ):
            raise PermissionDenied(_("只有召集单位可以修改会议记录"))

    def save(self, form):
        data = form.service_data()
        return services.meeting_save(
            actor=self.request.user, data=data, meeting=self.object, version=form.cleaned_data.get("version")
        )


@login_required
@require_POST
def decision_add(request, pk: int):
    meeting = scoped_object_or_404(Meeting, request.user, pk)
    form = NewTaskForm(request.POST, plan=meeting.plan, user=request.user)
    if form.is_valid():
        task = run_service(
            request, form, lambda: services.decision_add(actor=request.user, meeting=meeting, data=form.service_data())
        )
        if task is not None:
            messages.success(request, _("已登记决定事项 %(c)s，作为工作任务跟踪") % {"c": task.code})
            return redirect(meeting)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, labelled(label, error) if label else error)
    return redirect(meeting)


# ---------------------------------------------------------------------------
# Summons
# ---------------------------------------------------------------------------
class SummonsListView(ObjectListView):
    queryset = Summons.objects.select_related("target_unit", "organiser_unit").order_by("-held_on", "-id")
    filterset_class = SummonsFilterSet
    table_class = SummonsTable
    title = gettext_lazy("约谈")
    create_url = "plans:summons_add"
    create_roles = tuple(ORGANISER_ROLES)
    export_filename = "summonses"
    export_columns = [
        (gettext_lazy("被约谈单位"), "target_unit.name"),
        (gettext_lazy("被约谈人及职务"), "target_person"),
        (gettext_lazy("约谈单位"), "organiser_unit.name"),
        (gettext_lazy("约谈人"), "interviewers"),
        (gettext_lazy("约谈日期"), "held_on"),
        (gettext_lazy("约谈事由"), "reason"),
        (gettext_lazy("约谈内容"), "content"),
        (gettext_lazy("状态"), "get_status_display"),
    ]


class SummonsDetailView(ObjectDetailView):
    model = Summons
    template_name = "plans/summons_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "task", "target_unit", "organiser_unit", "escalation")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        summons, user = self.object, self.request.user
        commitments, _day = selectors.tasks_for(user, plans=[summons.plan])
        ctx["title"] = str(summons)
        ctx["show_attachments"] = True
        ctx["commitments"] = commitments.filter(summons=summons).select_related("lead_unit").order_by("position")
        ctx["is_organiser"] = selectors.acts_for(user, summons.organiser_unit, ORGANISER_ROLES)
        if ctx["is_organiser"] and summons.status == SummonsStatus.HELD:
            form = NewTaskForm(plan=summons.plan, allow_enterprise=True, user=user)
            form.fields["lead_unit"].initial = summons.target_unit_id
            ctx["commitment_form"] = form
        return ctx


@login_required
def summons_add(request):
    if not selectors.units_acted_for(request.user, ORGANISER_ROLES).exists():
        raise PermissionDenied(_("您的角色无权安排约谈"))
    form = SummonsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        summons = run_service(
            request, form, lambda: services.summons_create(actor=request.user, data=form.service_data())
        )
        if summons is not None:
            messages.success(request, _("已登记拟约谈事项，约谈后请记录约谈情况"))
            return redirect(summons)
    return render(request, "plans/simple_form.html", {"form": form, "title": _("安排约谈")})


@login_required
@require_POST
def commitment_add(request, pk: int):
    summons = scoped_object_or_404(Summons, request.user, pk)
    form = NewTaskForm(request.POST, plan=summons.plan, allow_enterprise=True, user=request.user)
    if form.is_valid():
        task = run_service(
            request,
            form,
            lambda: services.commitment_add(actor=request.user, summons=summons, data=form.service_data()),
        )
        if task is not None:
            messages.success(request, _("已登记整改承诺 %(c)s，作为工作任务跟踪") % {"c": task.code})
            return redirect(summons)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, labelled(label, error) if label else error)
    return redirect(summons)
