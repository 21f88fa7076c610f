from django.urls import path

from anjian.plans.views import board, plans, reporting, supervision

app_name = "plans"

urlpatterns = [
    # Plans
    path("", plans.PlanListView.as_view(), name="plan_list"),
    path("import/", plans.notice_import, name="plan_import"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/letters/generate/", supervision.letters_generate, name="letters_generate"),
    path("<int:pk>/bulletins/prepare/", reporting.bulletin_prepare, name="bulletin_prepare"),
    path("<int:pk>/assessment/", reporting.assessment, name="assessment"),
    path("<int:pk>/assessment/scheme/", reporting.AssessmentSchemeEditView.as_view(), name="assessment_scheme"),
    # Tasks: the division table
    path("tasks/", plans.TaskListView.as_view(), name="task_list"),
    path("tasks/import/", plans.AssignmentImportView.as_view(), name="assignment_import"),
    path("tasks/<int:pk>/", plans.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/assign/", plans.TaskAssignView.as_view(), name="task_assign"),
    path("tasks/<int:pk>/report/", plans.task_report, name="task_report"),
    path("tasks/<int:pk>/supervise/", plans.task_supervise, name="task_supervise"),
    # Progress reports
    path("reports/", plans.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", plans.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", plans.ReportEditView.as_view(), name="report_edit"),
    # 挂图作战
    path("board/", board.board, name="board"),
    path("charts/", board.charts, name="charts"),
    path("charts/completion.json", board.chart_completion, name="chart_completion"),
    path("charts/overdue.json", board.chart_overdue, name="chart_overdue"),
    # Supervision notices
    path("notices/", supervision.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", supervision.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/docx/", supervision.notice_docx, name="notice_docx"),
    # Responsibility letters
    path("letters/", supervision.LetterListView.as_view(), name="letter_list"),
    path("letters/unsigned/", supervision.letters_unsigned, name="letters_unsigned"),
    path("letters/<int:pk>/", supervision.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/docx/", supervision.letter_docx, name="letter_docx"),
    path("letters/<int:pk>/pdf/", supervision.letter_pdf, name="letter_pdf"),
    path("letters/<int:pk>/issue/", supervision.letter_issue_next, name="letter_issue_next"),
    # Meetings
    path("meetings/", supervision.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", supervision.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", supervision.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", supervision.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", supervision.decision_add, name="decision_add"),
    # Summons
    path("summonses/", supervision.SummonsListView.as_view(), name="summons_list"),
    path("summonses/new/", supervision.summons_add, name="summons_add"),
    path("summonses/<int:pk>/", supervision.SummonsDetailView.as_view(), name="summons_detail"),
    path("summonses/<int:pk>/commitments/", supervision.commitment_add, name="commitment_add"),
    # Bulletins
    path("bulletins/", reporting.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/<int:pk>/", reporting.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/docx/", reporting.bulletin_docx, name="bulletin_docx"),
]
