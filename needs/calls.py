"""The life of a need and of a support, apart from the views: proposing, confirming,
changing, withdrawing, supporting, and the module's daily job (erasure and anonymisation).

Retention (also in docs/needs.md and the privacy policy, ``privacy.py``):

* a need or a support not confirmed within ``UNCONFIRMED_DAYS`` is erased;
* ``ANONYMISE_DAYS`` after its call closed, a need loses its author's first name and e-mail
  (its text, theme, hamlet and outcome stay for the results) and each support loses its
  e-mail (the row stays, so that the counts do not change);
* a need withdrawn by its author is erased at once, with its supports.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mprc_cms import page_cache, tokens

from .models import CallForNeedsPage, Need, NeedStatus, Support

UNCONFIRMED_DAYS = 7
ANONYMISE_MONTHS = 12
ANONYMISE_DAYS = 365
CONFIRM_LINK_AGE = timedelta(days=UNCONFIRMED_DAYS)
# Every e-mail carries a fresh management link; one older than this no longer works (the
# call's page sends fresh links on request).
MANAGE_LINK_AGE = timedelta(days=180)

CONFIRM_SALT = "needs.confirm"
MANAGE_SALT = "needs.manage"
SUPPORT_CONFIRM_SALT = "needs.support-confirm"
SUPPORTER_SALT = "needs.supporter"
SUPPORTER_COOKIE_AGE = timedelta(days=90)

# The answers of the form to propose, as Need fields.
DETAIL_FIELDS = ("kind", "title", "description", "theme", "hamlet", "first_name", "wants_outcome")


# Links ------------------------------------------------------------------------------


def confirm_token(need):
    return tokens.make_token(need.public_id, CONFIRM_SALT, timestamped=True)


def manage_token(need):
    return tokens.make_token(need.public_id, MANAGE_SALT, timestamped=True)


def support_confirm_token(support):
    return tokens.make_token(support.public_id, SUPPORT_CONFIRM_SALT, timestamped=True)


def _by_token(queryset, token, salt, max_age):
    public_id = tokens.read_token(token, salt, max_age=max_age)
    if public_id is None:
        return None
    return queryset.filter(public_id=public_id).first()


def need_to_confirm(call, token):
    return _by_token(Need.objects.filter(call=call), token, CONFIRM_SALT, CONFIRM_LINK_AGE)


def need_to_manage(call, token):
    return _by_token(
        Need.objects.filter(call=call).select_related("theme", "priority"),
        token,
        MANAGE_SALT,
        MANAGE_LINK_AGE,
    )


def support_to_confirm(call, token):
    return _by_token(
        Support.objects.filter(need__call=call).select_related("need"),
        token,
        SUPPORT_CONFIRM_SALT,
        CONFIRM_LINK_AGE,
    )


# A need's life ----------------------------------------------------------------------


def awaiting_confirmation(call, email, now=None):
    """An unconfirmed need of ``email`` in ``call`` whose confirmation link still works:
    its address was mailed already and must not be mailed again."""
    now = now or timezone.now()
    return Need.objects.filter(
        call=call,
        email__iexact=email,
        status=NeedStatus.UNCONFIRMED,
        created_at__gte=now - CONFIRM_LINK_AGE,
    ).exists()


def create(call, details, email):
    """A new need, waiting for its author to confirm it from the e-mail."""
    return Need.objects.create(
        call=call, commune=call.commune, email=email, status=NeedStatus.UNCONFIRMED, **details
    )


def _publish(need, now):
    need.status = NeedStatus.PUBLISHED
    need.published_at = need.published_at or now
    need.closed_at = None
    need.moderation_note = ""


def confirm(need, call):
    """The author confirmed their address: the need is published, or waits for approval,
    with the address's other proposals in the call whose confirmation was never mailed
    (see ``awaiting_confirmation``). Returns True when ``need`` is public now."""
    now = timezone.now()
    others = Need.objects.filter(
        call=call,
        email__iexact=need.email,
        status=NeedStatus.UNCONFIRMED,
        created_at__gte=now - CONFIRM_LINK_AGE,
    ).exclude(pk=need.pk)
    for each in [need, *others]:
        each.confirmed_at = now
        if call.requires_approval:
            each.status = NeedStatus.PENDING
        else:
            _publish(each, now)
        each.save()
    return need.status == NeedStatus.PUBLISHED


def update(need, call, details):
    """The author changed their need. Where needs wait for approval, a published or
    rejected need waits again; a hidden one stays hidden. Returns True when it now waits."""
    for name, value in details.items():
        setattr(need, name, value)
    waits = call.requires_approval or need.status == NeedStatus.REJECTED
    if waits and need.status in (NeedStatus.PUBLISHED, NeedStatus.REJECTED):
        need.status = NeedStatus.PENDING
        need.closed_at = None
    need.save()
    return need.status == NeedStatus.PENDING


def can_edit(need, call, today=None):
    return call.is_open(today) and need.status != NeedStatus.HIDDEN


def withdraw(need):
    """The author withdraws their need: it is erased, with its supports."""
    need.delete()


# Supports ---------------------------------------------------------------------------


def is_author(need, email):
    return bool(need.email) and need.email.casefold() == (email or "").casefold()


def support_of(need, email):
    return Support.objects.filter(need=need, email__iexact=email).first()


def ask_support(need, email, now=None):
    """Record an unconfirmed support of ``email`` for ``need``. Returns ``(support,
    mail)``: ``mail`` is False when that address was already mailed for this need and its
    link still works (it is never mailed twice), or when it supports the need already."""
    now = now or timezone.now()
    support = support_of(need, email)
    if support is not None:
        if support.confirmed_at is not None:
            return support, False
        if support.created_at >= now - CONFIRM_LINK_AGE:
            return support, False
        support.created_at = now
        support.save(update_fields=["created_at"])
    else:
        try:
            with transaction.atomic():
                support = Support.objects.create(need=need, email=email, created_at=now)
        except IntegrityError:
            return support_of(need, email), False
    # The address waits for the confirmation of another support in this call: never mail
    # an unconfirmed address twice. Confirming that one counts this one too.
    return support, not pending_supports(need.call_id, email, now).exclude(pk=support.pk).exists()


def pending_supports(call_id, email, now=None):
    """The address's supports in the call waiting for their confirmation, whose link (or
    that of another of them) still works."""
    now = now or timezone.now()
    return Support.objects.filter(
        need__call_id=call_id,
        email__iexact=email,
        confirmed_at=None,
        created_at__gte=now - CONFIRM_LINK_AGE,
    )


def confirm_support(support, now=None):
    """The address confirmed ``support`` from its e-mail: it counts, with the address's
    other supports in the call asked within the link's age (whose confirmation was never
    mailed, see ``ask_support``) of needs still published."""
    now = now or timezone.now()
    if support.confirmed_at is None:
        support.confirmed_at = now
        support.save(update_fields=["confirmed_at"])
        pending_supports(support.need.call_id, support.email, now).filter(
            need__status=NeedStatus.PUBLISHED
        ).update(confirmed_at=now)
        # The other supports' counts changed without signals (all in the call's commune).
        page_cache.changed(support.need)
    return support


def support_at_once(need, email, now=None):
    """A support by a resident whose address is known confirmed (the cookie): counted at
    once. Returns False when it was counted already."""
    now = now or timezone.now()
    support = support_of(need, email)
    if support is not None:
        if support.confirmed_at is not None:
            return False
        confirm_support(support, now)
        return True
    try:
        with transaction.atomic():
            Support.objects.create(need=need, email=email, created_at=now, confirmed_at=now)
    except IntegrityError:
        return False
    return True


# The supporter's cookie: the confirmed address of a resident, for one call ----------


def supporter_cookie_name(call):
    return f"needs_supporter_{call.pk}"


def set_supporter_cookie(request, response, call, record):
    """Remember on this browser that the resident confirmed ``record`` (a Need or a
    Support) in ``call``: their next «Me too» in the call is one click. The cookie holds
    the record's random public id, signed (never the address)."""
    prefix = "n" if isinstance(record, Need) else "s"
    response.set_signed_cookie(
        supporter_cookie_name(call),
        f"{prefix}:{record.public_id.hex}",
        salt=SUPPORTER_SALT,
        max_age=int(SUPPORTER_COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def supporter_email(request, call):
    """The confirmed address the browser's cookie stands for in ``call``, or ''."""
    value = request.get_signed_cookie(
        supporter_cookie_name(call),
        default=None,
        salt=SUPPORTER_SALT,
        max_age=SUPPORTER_COOKIE_AGE.total_seconds(),
    )
    if not value or ":" not in value:
        return ""
    prefix, _sep, hex_id = value.partition(":")
    if len(hex_id) != 32 or any(c not in "0123456789abcdef" for c in hex_id):
        return ""
    if prefix == "n":
        email = (
            Need.objects.filter(call=call, public_id=hex_id, confirmed_at__isnull=False)
            .values_list("email", flat=True)
            .first()
        )
    elif prefix == "s":
        email = (
            Support.objects.filter(need__call=call, public_id=hex_id, confirmed_at__isnull=False)
            .values_list("email", flat=True)
            .first()
        )
    else:
        email = None
    return email or ""


# Daily job --------------------------------------------------------------------------


def _count(counts, commune_id, key, number=1):
    per_commune = counts.setdefault(commune_id, {})
    per_commune[key] = per_commune.get(key, 0) + number


def erase_expired(today, now):
    """Erase unconfirmed needs and supports, anonymise the needs and supports of calls
    closed ``ANONYMISE_DAYS`` ago; log per commune how many (never who or what)."""
    from home.models import CommunePage

    counts = {}
    limit = now - timedelta(days=UNCONFIRMED_DAYS)
    with transaction.atomic():
        needs = list(Need.objects.filter(status=NeedStatus.UNCONFIRMED, created_at__lt=limit))
        for need in needs:
            _count(counts, need.commune_id, "unconfirmed_needs")
            need.delete()
        supports = list(
            Support.objects.filter(confirmed_at=None, created_at__lt=limit).select_related("need")
        )
        for support in supports:
            _count(counts, support.need.commune_id, "unconfirmed_supports")
            support.delete()
        old_calls = CallForNeedsPage.objects.filter(
            closes_on__lt=today - timedelta(days=ANONYMISE_DAYS)
        ).values("pk")
        to_anonymise = Need.objects.filter(call__in=old_calls, anonymised_at=None)
        anonymised = 0
        for commune_id, number in _per_commune(to_anonymise):
            _count(counts, commune_id, "anonymised_needs", number)
            anonymised += number
        to_anonymise.update(first_name="", email="", anonymised_at=now)
        old_supports = Support.objects.filter(need__call__in=old_calls).exclude(email="")
        supports_anonymised = 0
        for commune_id, number in _per_commune(old_supports, "need__commune_id"):
            _count(counts, commune_id, "anonymised_supports", number)
            supports_anonymised += number
        Support.objects.filter(pk__in=list(old_supports.values_list("pk", flat=True))).update(
            email=""
        )
        communes = list(CommunePage.objects.filter(pk__in=counts))
        for commune in communes:
            log(instance=commune, action="mprc.needs_erasure", data=counts[commune.pk])
        # The names and supports anonymised in bulk left the public pages of these communes.
        page_cache.changed(*communes)
    return len(needs), len(supports), anonymised, supports_anonymised


def _per_commune(queryset, field="commune_id"):
    from django.db.models import Count

    return queryset.order_by().values_list(field).annotate(number=Count("pk"))


def daily(today, now, communes=None):
    """The module's daily job (``manage.py daily``), as a one-line report: the followers
    told of the calls that opened or closed, the erasure and anonymisation of personal
    data, for every commune."""
    from . import following

    announced = following.announce_calls(today)
    needs, supports, anonymised, supports_anonymised = erase_expired(today, now)
    return _(
        "%(announced)s announcements of calls opened or closed; erased %(needs)s "
        "unconfirmed needs and %(supports)s unconfirmed supports; anonymised "
        "%(anonymised)s needs and %(supporters)s supports of calls closed for %(days)s days."
    ) % {
        "announced": announced,
        "needs": needs,
        "supports": supports,
        "anonymised": anonymised,
        "supporters": supports_anonymised,
        "days": ANONYMISE_DAYS,
    }
