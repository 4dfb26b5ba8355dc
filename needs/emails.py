"""The e-mails of the call for needs to residents. Every e-mail to an author carries a
fresh management link; none shows one resident's address to another."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from mprc_cms.tasks import send_templated_email

from . import calls

TEMPLATES = "needs/emails"
# The admin's screen where staff moderate a need (H1b's viewset), if it is there.
MODERATION_URL_NAMES = ("needs_needs:moderate", "needs_needs:edit")


def absolute(call, name, *args, request=None):
    """The full address of one of the call's routes: on the host the request came to, or
    on the page's site without a request."""
    if request is not None:
        return request.build_absolute_uri(call.subpage_url(request, name, *args))
    return call.get_full_url() + call.reverse_subpage(name, args=args)


def _send(template, context, to, **kwargs):
    to_resident = template != "moderators"
    send_templated_email(f"{TEMPLATES}/{template}", context, to, to_resident=to_resident, **kwargs)


def _author_context(call, need, request=None):
    return {
        "call": call,
        "page": call,
        "commune": call.commune,
        "need": need,
        "need_url": absolute(call, "need", need.pk, request=request),
        "manage_url": absolute(call, "manage", calls.manage_token(need), request=request),
    }


def send_confirmation(request, call, need):
    context = _author_context(call, need, request)
    context["confirm_url"] = absolute(call, "confirm", calls.confirm_token(need), request=request)
    context["confirmation_days"] = calls.UNCONFIRMED_DAYS
    _send("confirm", context, [need.email])


def send_links(request, call, needs, email):
    """An author lost their links: one e-mail with the management link of each need."""
    items = [
        (need, absolute(call, "manage", calls.manage_token(need), request=request))
        for need in needs
    ]
    _send("links", {"call": call, "page": call, "commune": call.commune, "items": items}, [email])


def send_support_confirmation(request, call, support):
    need = support.need
    context = {
        "call": call,
        "page": call,
        "commune": call.commune,
        "need": need,
        "need_url": absolute(call, "need", need.pk, request=request),
        "confirm_url": absolute(
            call, "support_confirm", calls.support_confirm_token(support), request=request
        ),
        "confirmation_days": calls.UNCONFIRMED_DAYS,
    }
    _send("support_confirm", context, [support.email])


def moderator_addresses(commune):
    """The town hall's address and those of the commune's editors."""
    addresses = {commune.email.lower()} if commune.email else set()
    if commune.editors_group_id:
        users = commune.editors_group.user_set.filter(is_active=True).exclude(email="")
        addresses.update(email.lower() for email in users.values_list("email", flat=True))
    return sorted(addresses)


def _admin_url(need):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for name in MODERATION_URL_NAMES:
        try:
            return base + reverse(name, args=[need.pk])
        except NoReverseMatch:
            continue
    return base + reverse("wagtailadmin_home")


def notify_moderators(call, need):
    """A need waits for approval. No personal data: staff open it in the admin."""
    to = moderator_addresses(call.commune)
    if not to:
        return
    context = {
        "call": call,
        "page": call,
        "commune": call.commune,
        "need": need,
        "admin_url": _admin_url(need),
    }
    for address in to:
        _send("moderators", context, [address])
