"""The life of a post, apart from the views: posting, confirming, moderating, renewing,
expiring and erasure, and the module's daily job (reminders, digests, erasure).

A post is *on the board* while it is published and its ``expires_on`` date has not passed;
expiry is not a status of its own. A post that left the board (expired, done, rejected,
hidden) is kept ``KEEP_DAYS`` days, so that its poster can still renew or correct it, then
erased with its reports and contact log. Unconfirmed posts and digest subscriptions are
erased after ``UNCONFIRMED_DAYS``.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mprc_cms import tokens

from .models import (
    DigestSubscription,
    ListingStatus,
    ServiceExchangePage,
    ServiceListing,
)

UNCONFIRMED_DAYS = 7
REMINDER_DAYS = 5
KEEP_DAYS = 30
# Every e-mail carries a fresh management link; one older than this no longer works.
MANAGE_LINK_AGE = timedelta(days=90)
CONFIRM_LINK_AGE = timedelta(days=UNCONFIRMED_DAYS)

CONFIRM_SALT = "exchange.confirm"
MANAGE_SALT = "exchange.manage"
DIGEST_CONFIRM_SALT = "exchange.digest-confirm"
UNSUBSCRIBE_SALT = "exchange.unsubscribe"

# The answers of the form to post, as ServiceListing fields.
DETAIL_FIELDS = (
    "kind",
    "category",
    "title",
    "description",
    "hamlet",
    "availability",
    "first_name",
    "phone",
    "show_phone",
)


def board_for(commune):
    """The commune's board page, or None when the module is off."""
    return ServiceExchangePage.objects.child_of(commune).first() if commune else None


# Links ------------------------------------------------------------------------------


def confirm_token(listing):
    return tokens.make_token(listing.public_id, CONFIRM_SALT, timestamped=True)


def manage_token(listing):
    return tokens.make_token(listing.public_id, MANAGE_SALT, timestamped=True)


def digest_confirm_token(subscription):
    return tokens.make_token(subscription.public_id, DIGEST_CONFIRM_SALT, timestamped=True)


def unsubscribe_token(subscription):
    # Never expires: an unsubscribe link must work for as long as digests arrive.
    return tokens.make_token(subscription.public_id, UNSUBSCRIBE_SALT)


def _by_token(queryset, token, salt, max_age):
    public_id = tokens.read_token(token, salt, max_age=max_age)
    if public_id is None:
        return None
    return queryset.filter(public_id=public_id).first()


def listing_to_confirm(page, token):
    return _by_token(
        ServiceListing.objects.filter(commune=page.commune), token, CONFIRM_SALT, CONFIRM_LINK_AGE
    )


def listing_to_manage(page, token):
    return _by_token(
        ServiceListing.objects.filter(commune=page.commune).select_related("category"),
        token,
        MANAGE_SALT,
        MANAGE_LINK_AGE,
    )


def subscription_to_confirm(page, token):
    return _by_token(
        DigestSubscription.objects.filter(commune=page.commune),
        token,
        DIGEST_CONFIRM_SALT,
        timedelta(days=UNCONFIRMED_DAYS),
    )


def subscription_to_end(token):
    return _by_token(
        DigestSubscription.objects.select_related("commune"), token, UNSUBSCRIBE_SALT, None
    )


# A post's life ----------------------------------------------------------------------


def create(page, details, email):
    """A new post, waiting for its poster to confirm it from the e-mail."""
    return ServiceListing.objects.create(
        commune=page.commune, email=email, status=ListingStatus.UNCONFIRMED, **details
    )


def create_for_resident(page, details, *, email, channel, user):
    """A post staff typed for a resident who phoned, wrote or came to the town hall (with
    their consent): on the board at once, staff being the board's moderators. ``email``
    may be empty: the town hall then passes on the answers."""
    now = timezone.now()
    listing = ServiceListing(
        commune=page.commune,
        email=email,
        channel=channel,
        entered_by=user,
        confirmed_at=now,
        created_at=now,
        **details,
    )
    _put_on_board(listing, page, now)
    listing.save()
    log(instance=listing, action="mprc.listing_entered", user=user, data={"channel": channel})
    return listing


def _put_on_board(listing, page, now):
    listing.status = ListingStatus.PUBLISHED
    listing.published_at = listing.published_at or now
    listing.expires_on = timezone.localdate(now) + timedelta(days=page.listing_days)
    listing.reminded_at = None
    listing.closed_at = None
    listing.moderation_note = ""


def confirm(listing, page):
    """The poster confirmed their address: the post is published, or waits for approval.
    Returns True when it is on the board now."""
    now = timezone.now()
    listing.confirmed_at = now
    if page.requires_approval:
        listing.status = ListingStatus.PENDING
    else:
        _put_on_board(listing, page, now)
    listing.save()
    return listing.status == ListingStatus.PUBLISHED


def update(listing, page, details):
    """The poster changed their post. Where posts wait for approval, a published or
    rejected post waits again; a hidden one stays hidden. Returns True when it now waits."""
    for name, value in details.items():
        setattr(listing, name, value)
    waits = page.requires_approval or listing.status == ListingStatus.REJECTED
    if waits and listing.status in (ListingStatus.PUBLISHED, ListingStatus.REJECTED):
        listing.status = ListingStatus.PENDING
        listing.closed_at = None
    listing.save()
    return listing.status == ListingStatus.PENDING


def can_renew(listing):
    return listing.status == ListingStatus.PUBLISHED


def renew(listing, page):
    """Keep a published post (even just expired) on the board for another period."""
    listing.expires_on = timezone.localdate() + timedelta(days=page.listing_days)
    listing.reminded_at = None
    listing.save(update_fields=["expires_on", "reminded_at", "updated_at"])


def mark_done(listing):
    listing.status = ListingStatus.DONE
    listing.closed_at = timezone.now()
    listing.save(update_fields=["status", "closed_at", "updated_at"])


def publish(listing, page, user):
    """Staff approve a post (or show again a hidden one)."""
    _put_on_board(listing, page, timezone.now())
    listing.save()
    resolve_reports(listing, user)
    log(instance=listing, action="mprc.listing_published", user=user)


def withdraw(listing, status, reason, user):
    """Staff reject or hide a post, with the reason the poster will read."""
    listing.status = status
    listing.moderation_note = reason
    listing.closed_at = timezone.now()
    listing.save()
    resolve_reports(listing, user)
    action = "mprc.listing_rejected" if status == ListingStatus.REJECTED else "mprc.listing_hidden"
    log(instance=listing, action=action, user=user, data={"reason": reason})


def resolve_reports(listing, user):
    return listing.reports.filter(resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=user
    )


def erasure_date(listing):
    """The day the post and everything it holds about its poster will be erased at the
    latest, or None while it is on the board or waits for approval."""
    if listing.status == ListingStatus.PUBLISHED and listing.expires_on:
        return listing.expires_on + timedelta(days=KEEP_DAYS + 1)
    if listing.closed_at is not None:
        return timezone.localdate(listing.closed_at) + timedelta(days=KEEP_DAYS + 1)
    return None


# Daily job --------------------------------------------------------------------------


def _erase(queryset, counts, key):
    """Delete each record through the model, so that signals erase its traces; count the
    erased records per commune under ``key``."""
    erased = list(queryset)
    for item in erased:
        per_commune = counts.setdefault(item.commune_id, {})
        per_commune[key] = per_commune.get(key, 0) + 1
        item.delete()
    return len(erased)


def erase_expired(today, now):
    """Erase what is kept no longer; log per commune how many (never who or what)."""
    from home.models import CommunePage

    counts = {}
    with transaction.atomic():
        unconfirmed_limit = now - timedelta(days=UNCONFIRMED_DAYS)
        unconfirmed = _erase(
            ServiceListing.objects.filter(
                status=ListingStatus.UNCONFIRMED, created_at__lt=unconfirmed_limit
            ),
            counts,
            "unconfirmed",
        )
        keep_limit = now - timedelta(days=KEEP_DAYS)
        left_board = _erase(
            ServiceListing.objects.filter(
                Q(status=ListingStatus.PUBLISHED, expires_on__lt=today - timedelta(days=KEEP_DAYS))
                | Q(
                    status__in=[ListingStatus.DONE, ListingStatus.REJECTED, ListingStatus.HIDDEN],
                    closed_at__lt=keep_limit,
                )
            ),
            counts,
            "posts",
        )
        subscriptions = _erase(
            DigestSubscription.objects.filter(confirmed_at=None, created_at__lt=unconfirmed_limit),
            counts,
            "subscriptions",
        )
        for commune in CommunePage.objects.filter(pk__in=counts):
            log(instance=commune, action="mprc.exchange_erasure", data=counts[commune.pk])
    return unconfirmed, left_board, subscriptions


def send_reminders(today, now, communes=None):
    """Offer renewal to the posters whose post leaves the board within REMINDER_DAYS (in
    ``communes`` only, when given)."""
    from . import emails

    due = ServiceListing.objects.filter(
        status=ListingStatus.PUBLISHED,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=REMINDER_DAYS),
        reminded_at=None,
    ).exclude(email="")  # a post typed by staff for a resident without e-mail
    due = due.select_related("commune")
    if communes is not None:
        due = due.filter(commune__in=[commune.pk for commune in communes])
    pages = {}
    sent = 0
    for listing in due:
        page = pages.setdefault(listing.commune_id, board_for(listing.commune))
        if page is None:
            continue
        emails.send_reminder(page, listing)
        ServiceListing.objects.filter(pk=listing.pk).update(reminded_at=now)
        sent += 1
    return sent


def send_digests(today, now, communes=None):
    """The weekly e-mail of new posts, to each confirmed subscriber whose week is over (in
    ``communes`` only, when given)."""
    from . import emails

    sent = 0
    subscriptions = DigestSubscription.objects.exclude(confirmed_at=None).select_related("commune")
    if communes is not None:
        subscriptions = subscriptions.filter(commune__in=[commune.pk for commune in communes])
    by_commune = {}
    for subscription in subscriptions.order_by("commune_id", "pk"):
        by_commune.setdefault(subscription.commune_id, []).append(subscription)
    for subscribers in by_commune.values():
        commune = subscribers[0].commune
        page = board_for(commune)
        if page is None or not page.live:
            continue
        on_board = list(
            ServiceListing.objects.filter(commune=commune)
            .on_board(today)
            .select_related("category")
            .order_by("-published_at")
        )
        for subscription in subscribers:
            if not subscription.digest_due(now):
                continue
            start = subscription.digest_window_start(now)
            new = [item for item in on_board if item.published_at and item.published_at > start]
            if not new:
                continue
            emails.send_digest(page, subscription, new)
            DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
            sent += 1
    return sent


def daily(today, now, communes=None):
    """The module's daily job (``manage.py daily``), as a one-line report: renewal
    reminders and digests for ``communes`` (those running the module; None: every
    commune), the erasure of expired personal data for every commune."""
    unconfirmed, left_board, subscriptions = erase_expired(today, now)
    reminders = send_reminders(today, now, communes)
    digests = send_digests(today, now, communes)
    return _(
        "%(reminders)s renewal reminders and %(digests)s digests sent; erased "
        "%(unconfirmed)s unconfirmed posts, %(posts)s posts off the board for %(days)s days "
        "and %(subscriptions)s unconfirmed digest subscriptions."
    ) % {
        "reminders": reminders,
        "digests": digests,
        "unconfirmed": unconfirmed,
        "posts": left_board,
        "days": KEEP_DAYS,
        "subscriptions": subscriptions,
    }
