"""Notices (通报) with their exemplars: the list, a notice's page, recording and correcting
one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.orgs.scope import person_of

from ..access import (
    can_correct_notice,
    can_read_notices,
    can_record_notice,
    get_notice_for_user,
    notices_visible_to,
)
from ..forms import (
    ExemplarEditFormSet,
    ExemplarFormSet,
    NoticeEditForm,
    NoticeFilterForm,
    NoticeForm,
    exemplar_initial,
    exemplar_inputs,
)
from ..models import Notice
from ..queries import notice_names_unit, notices_listed
from ..services import notice_correct, notice_record

PAGE_SIZE = 30


@login_required
def notice_list(request):
    """Every notice, newest first; a reporter sees which name his unit."""
    if not can_read_notices(request.user):
        raise PermissionDenied("无权查看通报。")
    filter_form = NoticeFilterForm(request.GET or None, user=request.user)
    lookups, search = filter_form.lookups() if request.GET else ({}, None)
    notices = notices_visible_to(request.user, Notice.objects.filter(**lookups))
    if search is not None:
        notices = notices.filter(search)
    page = Paginator(notices_listed(notices), PAGE_SIZE).get_page(request.GET.get("page"))
    person = person_of(request.user)
    unit_id = person.unit_id if person else None
    for notice in page:
        notice.names_my_unit = notice_names_unit(notice, unit_id)
    context = {
        "filter_form": filter_form,
        "page": page,
        "can_record": can_record_notice(request.user),
    }
    return render(request, "supervision/notice_list.html", context)


@login_required
def notice_detail(request, pk):
    notice = get_notice_for_user(request.user, pk, queryset=notices_listed(Notice.objects))
    context = {
        "notice": notice,
        "history": history_of(notice, *notice.exemplars.all()),
        "may_correct": can_correct_notice(request.user, notice),
    }
    return render(request, "supervision/notice_detail.html", context)


@login_required
def notice_create(request):
    if not can_record_notice(request.user):
        raise PermissionDenied("只有专班可以录入通报。")
    data = request.POST if request.method == "POST" else None
    form = NoticeForm(data, user=request.user)
    formset = ExemplarFormSet(
        data, prefix="exemplar", form_kwargs={"user": request.user, "choices": {}}
    )
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            notice = notice_record(
                by=request.user, exemplars=exemplar_inputs(formset), **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"通报《{notice.title}》已录入。")
            return redirect(notice)
    return render(request, "supervision/notice_form.html", {"form": form, "formset": formset})


@login_required
def notice_edit(request, pk):
    """Correct a notice after entry (更正), with a reason: its fields and its exemplars."""
    queryset = notices_listed(Notice.objects)
    notice = get_notice_for_user(request.user, pk, write=True, queryset=queryset)
    exemplars = {e.pk: e for e in notice.exemplars.all()}
    data = request.POST if request.method == "POST" else None
    form = NoticeEditForm(data, notice=notice, user=request.user)
    formset = ExemplarEditFormSet(
        data,
        prefix="exemplar",
        initial=exemplar_initial(exemplars.values()),
        form_kwargs={"user": request.user, "choices": {}, "exemplars": exemplars},
    )
    guard = EditGuard(form, notice, what="通报")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            fields, exemplar_list = form.cleaned_data, exemplar_inputs(formset)
            notice = guard.save(
                lambda: notice_correct(
                    notice=notice, by=request.user, exemplars=exemplar_list, **fields
                )
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"通报《{notice.title}》已更正，更正原因记入历史记录。")
            return redirect(notice)
    context = {"form": form, "formset": formset, "notice": notice}
    return render(request, "supervision/notice_form.html", context)
