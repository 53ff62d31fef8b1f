"""Monthly unit report, progress corrections, evidence downloads (stub: being built)."""

from django.http import HttpResponse


def monthly_report(request):
    return HttpResponse("todo")


def progress_correct(request, pk):
    return HttpResponse("todo")


def evidence_download(request, pk):
    return HttpResponse("todo")
