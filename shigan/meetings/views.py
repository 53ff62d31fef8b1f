"""Meeting list with cadence status, meeting detail with its decisions, meeting and decision
forms (coordinators), the decision completion table, study sessions, meeting files."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.core.params import id_or_none
from shigan.tasks.evidence import ACCEPTED_LABEL
from shigan.tasks.models import Task
from shigan.tasks.queries import task_rows

from .access import (
    can_correct_meeting_record,
    can_record_meetings,
    get_decision_for_user,
    get_meeting_for_user,
    get_series_for_user,
    get_study_session_for_user,
)
from .completion import completion_of
from .forms import (
    DecisionForm,
    MeetingFilterForm,
    MeetingForm,
    SeriesForm,
    StudySessionCorrectForm,
    StudySessionForm,
    add_service_errors,
)
from .models import Decision, Meeting, MeetingFile, MeetingSeries, StudyKind, StudySession
from .queries import (
    decision_completion,
    decision_rows,
    meeting_for_page,
    meetings_filtered,
    series_cadence,
    series_cadence_in,
    study_counts,
    study_sessions,
)
from .services import (
    decision_record,
    meeting_record,
    meeting_update,
    series_create,
    series_update,
    study_session_correct,
    study_session_record,
)

PAGE_SIZE = 50


def _require_recorder(user) -> None:
    if not can_record_meetings(user):
        raise PermissionDenied("只有专班可以录入会议、议定事项和学习。")


@login_required
@require_GET
def meeting_list(request):
    """Series with their cadence status, then the campaign's meetings, filtered and paginated."""
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    today = clock.today()
    filter_form = MeetingFilterForm(request.GET or None, campaign=campaign)
    meetings, cadences = [], []
    if campaign is not None:
        meetings = meetings_filtered(request.user, campaign, **filter_form.filters())
        cadences = series_cadence(request.user, campaign, today)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "today": today,
        "cadences": cadences,
        "filter_form": filter_form,
        "page": page,
        "can_record": can_record_meetings(request.user),
    }
    return render(request, "meetings/meeting_list.html", context)


def render_meeting_detail(request, meeting: Meeting, *, decision_form=None):
    rows = decision_rows(request.user, clock.today(), meeting=meeting)
    may_record = can_correct_meeting_record(request.user, meeting)
    context = {
        "meeting": meeting,
        "rows": rows,
        "completion": completion_of(item.row.status for item in rows),
        "can_record": may_record,
        "decision_form": decision_form or (DecisionForm(user=request.user) if may_record else None),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_GET
def meeting_detail(request, pk):
    return render_meeting_detail(request, meeting_for_page(request.user, pk))


def _meeting_initial(request) -> dict:
    """A new meeting's defaults: today, the campaign, and a chosen series' name and chair."""
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    initial = {"campaign": campaign, "date": clock.today()}
    series_id = id_or_none(request.GET.get("series"))
    if campaign is not None and series_id is not None:
        series = campaign.meeting_series.filter(pk=series_id).first()
        if series is not None:
            initial |= {"series": series, "chair": series.chair, "title": series.name}
    return initial


def _meeting_initial_from(meeting: Meeting) -> dict:
    fields = ["campaign", "series", "kind", "title", "date", "chair", "agenda", "minutes"]
    initial = {name: getattr(meeting, name) for name in fields}
    return initial | {"attendees": list(meeting.attendees.all())}


def _meeting_form_page(request, meeting: Meeting | None):
    posted = request.method == "POST"
    form = MeetingForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=_meeting_initial_from(meeting) if meeting else _meeting_initial(request),
        user=request.user,
    )
    guard = None if meeting is None else EditGuard(form, meeting, what="会议")
    if posted and form.is_valid():
        try:
            fields = form.service_fields()
            if meeting is None:
                saved = meeting_record(by=request.user, **fields)
            else:
                saved = guard.save(
                    lambda: meeting_update(meeting=meeting, by=request.user, **fields)
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"会议“{saved.title}”已保存。")
            return redirect(saved)
    context = {
        "meeting": meeting,
        "form": form,
        "accepted_label": ACCEPTED_LABEL,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
    }
    return render(request, "meetings/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    _require_recorder(request.user)
    return _meeting_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    return _meeting_form_page(request, meeting_for_page(request.user, pk, write=True))


@login_required
@require_POST
def decision_create(request, pk):
    """Add a decision to a meeting; on bad input the meeting page shows the form's messages."""
    meeting = meeting_for_page(request.user, pk, write=True)
    form = DecisionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            decision = decision_record(meeting=meeting, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"议定事项{decision.number}“{decision.task.title}”已录入。")
            return redirect(meeting)
    return render_meeting_detail(request, meeting, decision_form=form)


@login_required
@require_GET
def decision_detail(request, pk):
    """A decision, the meeting it came from and its task's computed status."""
    queryset = Decision.objects.select_related("meeting__series", "meeting__chair")
    decision = get_decision_for_user(request.user, pk, queryset=queryset)
    row = task_rows(Task.objects.filter(pk=decision.task_id), clock.today())[0]
    return render(request, "meetings/decision_detail.html", {"decision": decision, "row": row})


@login_required
@require_GET
def decision_table(request):
    """The decision completion table per series and per meeting, then the decisions themselves."""
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    table = decision_completion(request.user, campaign, clock.today()) if campaign else None
    context = {"campaign": campaign, "table": table, "today": clock.today()}
    return render(request, "meetings/decision_list.html", context)


def render_study_list(request, campaign, *, form=None):
    kind = request.GET.get("kind") if request.GET.get("kind") in StudyKind.values else None
    sessions = study_sessions(request.user, campaign, kind=kind) if campaign else []
    today = clock.today()
    may_record = can_record_meetings(request.user)
    if may_record and form is None:
        form = StudySessionForm(initial={"campaign": campaign, "date": today}, user=request.user)
    context = {
        "campaign": campaign,
        "sessions": sessions,
        "counts": study_counts(request.user, campaign, today.year, today) if campaign else {},
        "kinds": StudyKind.choices,
        "kind": kind,
        "today": today,
        "form": form if may_record else None,
    }
    return render(request, "meetings/study_session_list.html", context)


@login_required
@require_GET
def study_list(request):
    return render_study_list(request, campaign_for_user(request.user, request.GET.get("campaign")))


@login_required
@require_POST
def study_create(request):
    _require_recorder(request.user)
    form = StudySessionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            session = study_session_record(by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"学习“{session.topic}”已录入。")
            return redirect("meetings:study_list")
    # The form names a bad campaign itself; the page around it shows the current one.
    campaign = campaign_for_user(request.user, id_or_none(request.POST.get("campaign")))
    return render_study_list(request, campaign, form=form)


@login_required
@require_GET
def meeting_file_download(request, pk):
    stored = get_object_or_404(MeetingFile, pk=pk)
    get_meeting_for_user(request.user, stored.meeting_id)
    return stored.download()


# --- meeting series (会议系列): set up by coordinators, read by every role -----------------------

SERIES_FIELDS = ["campaign", "name", "cadence", "organiser", "chair", "active_from", "active_to"]


@login_required
@require_GET
def series_detail(request, pk):
    """A series with its cadence as of today, its meetings and its history."""
    queryset = MeetingSeries.objects.select_related("campaign", "organiser", "chair")
    series = get_series_for_user(request.user, pk, queryset=queryset)
    cadence = series_cadence_in(
        series.campaign, clock.today(), MeetingSeries.objects.filter(pk=series.pk)
    )
    context = {
        "series": series,
        "cadences": cadence,
        "meetings": series.meetings.select_related("chair").order_by("-date", "-id"),
        "can_record": can_correct_meeting_record(request.user, series),
        "history": history_of(series),
    }
    return render(request, "meetings/series_detail.html", context)


def _series_form_page(request, series: MeetingSeries | None):
    if series is not None:
        initial = {name: getattr(series, name) for name in SERIES_FIELDS}
    else:
        campaign = campaign_for_user(request.user, request.GET.get("campaign"))
        initial = {"campaign": campaign, "active_from": campaign and campaign.start_date}
    form = SeriesForm(request.POST or None, user=request.user, initial=initial)
    guard = None if series is None else EditGuard(form, series, what="会议系列")
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.service_fields()
            if series is None:
                saved = series_create(by=request.user, **fields)
            else:
                saved = guard.save(lambda: series_update(series=series, by=request.user, **fields))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"会议系列“{saved.name}”已保存。")
            return redirect("meetings:series_detail", pk=saved.pk)
    context = {
        "series": series,
        "form": form,
        "history": history_of(series) if series else None,
    }
    return render(request, "meetings/series_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def series_create_page(request):
    _require_recorder(request.user)
    return _series_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    return _series_form_page(request, get_series_for_user(request.user, pk, write=True))


# --- a study session's page and its correction (with a reason) ----------------------------------


def _study_session(request, pk, *, write: bool = False) -> StudySession:
    queryset = StudySession.objects.select_related("campaign").prefetch_related("attendees")
    return get_study_session_for_user(request.user, pk, write=write, queryset=queryset)


@login_required
@require_GET
def study_detail(request, pk):
    session = _study_session(request, pk)
    context = {
        "session": session,
        "can_record": can_correct_meeting_record(request.user, session),
        "history": history_of(session),
    }
    return render(request, "meetings/study_session_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_correct(request, pk):
    """Correct a recorded study session; the reason is required and kept in its history. A
    correction by someone else since the form was shown refuses this one (EditGuard)."""
    session = _study_session(request, pk, write=True)
    fields = ["topic", "date", "kind", "notes"]
    initial = {name: getattr(session, name) for name in fields}
    initial["attendees"] = list(session.attendees.all())
    form = StudySessionCorrectForm(request.POST or None, initial=initial, user=request.user)
    guard = EditGuard(form, session, what=StudySession._meta.verbose_name)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        data.pop("campaign", None)
        try:
            guard.save(lambda: study_session_correct(session=session, by=request.user, **data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"学习“{data['topic'].strip()}”已更正，原内容保留在历史记录中。"
            )
            return redirect("meetings:study_detail", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "cancel": reverse("meetings:study_detail", args=[session.pk]),
        "history": history_of(session),
    }
    return render(request, "meetings/study_session_correct.html", context)
