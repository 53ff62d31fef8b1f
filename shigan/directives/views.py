from django.http import Http404


def _stub(request, pk=None):
    raise Http404("建设中。")


directive_list = directive_create = directive_detail = directive_file_download = _stub
handdown_create = handdown_inbox = handdown_accept = handdown_return = upper_task_detail = _stub
