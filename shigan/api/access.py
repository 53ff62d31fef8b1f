"""Who may hold API tokens and reach the API: every account with a role (a token acts as its
user, so what he reads and writes is decided by each app's own access module, as on the pages);
a token is its owner's alone."""

from django.http import Http404

from shigan.orgs.scope import has_role

from .models import ApiToken


def can_hold_tokens(user) -> bool:
    """Create API tokens: an account with a role, or an operator (superuser)."""
    return bool(getattr(user, "is_superuser", False) or has_role(user))


def tokens_of(user):
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user, pk) -> ApiToken:
    """The user's own token `pk`; anyone else's, or none, is 404."""
    token = tokens_of(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if token is None:
        raise Http404("令牌不存在。")
    return token
