"""The checker page: paste a report's text or upload its file, see every figure claim marked in
the text (green holds, red does not, grey cannot be checked) with the stated and recomputed
values. Every signed-in role may use it: it reads nothing but what is posted."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ..checker import check_text
from ..checker.forms import CheckForm
from ..checker.output import claim_operands, highlight_segments


@login_required
@require_http_methods(["GET", "POST"])
def check_page(request):
    """GET: the empty form. POST: the form with the text checked and marked."""
    posted = request.method == "POST"
    form = CheckForm(request.POST, request.FILES) if posted else CheckForm()
    context = {"form": form}
    if posted and form.is_valid():
        result = check_text(form.report_text())
        context |= {
            "result": result,
            "segments": highlight_segments(result),
            "rows": claim_operands(result),
        }
    return render(request, "reports/checker.html", context)
