"""Who may hold API tokens and reach the API: every account with a role (a token acts as its
user, so what he reads and writes is decided by each app's own access module, as on the pages);
a token is its owner's alone."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.orgs.scope import district_id_of, has_role, is_coordinator

from .models import ApiToken, WebhookDelivery, WebhookSubscription


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


def can_manage_webhooks(user) -> bool:
    """Create, edit and delete webhook subscriptions, and read their delivery logs: a
    coordinator, for his own level only (webhooks_of)."""
    return is_coordinator(user)


def webhooks_of(user):
    """The webhook subscriptions of the user's own level (none unless a coordinator's): a
    county's coordinator does not see or edit a district's, nor a district another's."""
    if not can_manage_webhooks(user):
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.filter(district_id=district_id_of(user))


def get_webhook_for_user(user, pk) -> WebhookSubscription:
    """A subscription of the user's level; 403 for someone who manages none, 404 for one of
    another level or none."""
    if not can_manage_webhooks(user):
        raise PermissionDenied("只有专班可以管理数据推送。")
    found = webhooks_of(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404("推送订阅不存在。")
    return found


def get_delivery_for_user(user, subscription_pk, pk) -> WebhookDelivery:
    """A delivery of one of the user's subscriptions (get_webhook_for_user), else 404."""
    subscription = get_webhook_for_user(user, subscription_pk)
    found = subscription.deliveries.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404("推送记录不存在。")
    found.subscription = subscription
    return found
