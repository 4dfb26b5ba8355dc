"""The e-mails the town hall's actions send to a need's author: the moderation's outcome
(with the reason), the town hall's public answer, and the personal link of a need typed by
staff. Only to an author who left an e-mail address; each carries their management link."""

from mprc_cms.tasks import send_templated_email

TEMPLATES = "needs/emails"


def absolute(call, name, *args, request=None):
    """The full address of one of the call's routes: on the host the request came to, or
    on the page's site without a request (a signal, the daily job)."""
    if request is not None:
        return request.build_absolute_uri(call.subpage_url(request, name, *args))
    return call.get_full_url() + call.reverse_subpage(name, args=args)


def need_url(need, request=None):
    return absolute(need.call, "need", need.pk, request=request)


def manage_url(need, request=None):
    from .calls import manage_token

    return absolute(need.call, "manage", manage_token(need), request=request)


def _context(need, request=None):
    call = need.call
    return {
        "call": call,
        "commune": need.commune,
        "need": need,
        "need_url": need_url(need, request),
        "manage_url": manage_url(need, request),
    }


def _send(template, context, to):
    send_templated_email(f"{TEMPLATES}/{template}", context, to, to_resident=True)


def send_moderation_outcome(need, request=None):
    """Staff published, rejected or hid the need: its author is told (with the reason).
    Returns whether an e-mail went out."""
    if not need.email:
        return False
    _send("moderated", _context(need, request), [need.email])
    return True


def send_answer(need, request=None):
    """The town hall answered the need publicly: its author is told when they asked to
    know what becomes of it. Returns whether an e-mail went out."""
    if not (need.email and need.wants_outcome):
        return False
    _send("answered", _context(need, request), [need.email])
    return True


def send_entry_links(need, request=None):
    """Staff typed the need for a resident who gave an e-mail address: their personal link,
    once."""
    if not need.email:
        return False
    _send("entered", _context(need, request), [need.email])
    return True
