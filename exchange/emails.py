"""The e-mails of the board. Every e-mail to a poster carries a fresh management link;
none shows one resident's address to another."""

from django.conf import settings
from django.urls import reverse

from mprc_cms.tasks import send_templated_email

from . import listings

TEMPLATES = "exchange/emails"


def absolute(page, name, *args, request=None):
    """The full address of one of the board's routes: on the host the request came to (as
    the other modules' e-mails), or on the page's site for the daily job."""
    if request is not None:
        return request.build_absolute_uri(page.subpage_url(request, name, *args))
    return page.get_full_url() + page.reverse_subpage(name, args=args)


def _send(template, context, to, **kwargs):
    """An e-mail of the board; those to residents are answered to the town hall."""
    to_resident = template != "moderators"
    send_templated_email(f"{TEMPLATES}/{template}", context, to, to_resident=to_resident, **kwargs)


def _poster_context(page, listing, request=None):
    return {
        "page": page,
        "commune": page.commune,
        "listing": listing,
        "listing_url": absolute(page, "listing", listing.pk, request=request),
        "manage_url": absolute(page, "manage", listings.manage_token(listing), request=request),
    }


def send_confirmation(request, page, listing):
    context = _poster_context(page, listing, request)
    context["confirm_url"] = absolute(
        page, "confirm", listings.confirm_token(listing), request=request
    )
    context["confirmation_days"] = listings.UNCONFIRMED_DAYS
    _send("confirm", context, [listing.email])


def send_moderation_outcome(page, listing, request=None):
    """Staff published, rejected or hid the post: the poster is told, with the reason (a
    poster without e-mail is told by the town hall)."""
    if listing.email:
        _send("moderated", _poster_context(page, listing, request), [listing.email])


def send_reminder(page, listing):
    if not listing.email:
        return
    context = _poster_context(page, listing)
    context["reminder_days"] = listings.REMINDER_DAYS
    _send("reminder", context, [listing.email])


def send_links(request, page, posts, email):
    """A poster lost their links: one e-mail with the management link of each post."""
    items = [
        (listing, absolute(page, "manage", listings.manage_token(listing), request=request))
        for listing in posts
    ]
    _send("links", {"page": page, "commune": page.commune, "items": items}, [email])


def send_relay(request, page, listing, sender_name, sender_email, message):
    """A resident's message to a poster: the poster can answer straight to the sender;
    the sender never learns the poster's address unless the poster answers."""
    context = _poster_context(page, listing, request)
    context.update(sender_name=sender_name, message=message)
    if listing.email:
        _send("relay", context, [listing.email], reply_to=[sender_email])
    elif page.commune.email:
        # A post typed by staff for a resident without e-mail: the town hall passes the
        # message on (and only it sees the management link).
        _send("relay_town_hall", context, [page.commune.email], reply_to=[sender_email])


def relays_to_town_hall(listing, commune):
    """Whether the board passes the messages about this post to the town hall."""
    return not listing.email and bool(commune.email)


def can_relay(listing, commune):
    """Whether the post's page offers the form to write to its poster: to their address,
    or, for a resident without e-mail, to the town hall's."""
    return bool(listing.email) or bool(commune.email)


def send_posted_for(request, page, listing):
    """To a resident staff posted for, who gave an e-mail: their management link."""
    _send("posted_for", _poster_context(page, listing, request), [listing.email])


def moderator_addresses(commune):
    """The town hall's address and those of the commune's editors."""
    addresses = {commune.email.lower()} if commune.email else set()
    if commune.editors_group_id:
        users = commune.editors_group.user_set.filter(is_active=True).exclude(email="")
        addresses.update(email.lower() for email in users.values_list("email", flat=True))
    return sorted(addresses)


def notify_moderators(page, listing, event):
    """``event``: "pending" (a post waits for approval) or "reported". No personal data:
    staff open the post in the admin."""
    to = moderator_addresses(page.commune)
    if not to:
        return
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "exchange_listings:moderate", args=[listing.pk]
    )
    context = {"page": page, "commune": page.commune, "listing": listing, "event": event}
    context["admin_url"] = admin_url
    for address in to:
        _send("moderators", context, [address])


def send_digest_confirmation(request, page, subscription):
    context = {
        "page": page,
        "commune": page.commune,
        "confirm_url": absolute(
            page, "digest_confirm", listings.digest_confirm_token(subscription), request=request
        ),
        "confirmation_days": listings.UNCONFIRMED_DAYS,
    }
    _send("digest_confirm", context, [subscription.email])


def unsubscribe_url(page, subscription, request=None):
    """The one-click unsubscribe link (a plain URL of the module, not a page route): on the
    host the request came to, or on the page's site for the daily job."""
    path = reverse("exchange:unsubscribe", args=[listings.unsubscribe_token(subscription)])
    if request is not None:
        return request.build_absolute_uri(path)
    site = page.get_site()
    root = site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + path


def send_digest(page, subscription, posts):
    url = unsubscribe_url(page, subscription)
    context = {
        "page": page,
        "commune": page.commune,
        "board_url": page.get_full_url(),
        "items": [(listing, absolute(page, "listing", listing.pk)) for listing in posts],
        "unsubscribe_url": url,
    }
    # RFC 8058: mail clients offer their own unsubscribe button, which POSTs to the URL.
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    _send("digest", context, [subscription.email], headers=headers)
