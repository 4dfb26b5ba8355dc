"""The board's public views (routes of ServiceExchangePage): no account needed.

Every form has a honeypot and rate limits; a robot is answered as if all went well and
nothing is stored. A poster's e-mail address never appears in a page: residents answer
through the relay form, and posters manage their post through the link in their e-mails.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mprc_cms import ratelimit
from mprc_cms.filters import query_string_without_page
from mprc_cms.pagination import paginate_lazily
from mprc_cms.views import email_request, private

from . import emails, listings
from .forms import (
    BoardFilterForm,
    ContactForm,
    DigestForm,
    LinkRequestForm,
    ListingForm,
    PostForm,
    ReportForm,
)
from .models import (
    ContactRelay,
    DigestSubscription,
    ListingReport,
    ListingStatus,
    ServiceListing,
)

PER_PAGE = 12


def _render(request, page, template, context=None, status=200):
    context = {"page": page, "self": page, **(context or {})}
    return TemplateResponse(request, f"exchange/{template}", context, status=status)


def _allowed(*scopes_and_values):
    """Count one use in each (scope, value); False as soon as one limit is reached."""
    return all(ratelimit.hit(scope, value) for scope, value in scopes_and_values)


def _only(request, *methods):
    return None if request.method in methods else HttpResponseNotAllowed(methods)


# The board and its posts -------------------------------------------------------------


def board(request, page):
    if refused := _only(request, "GET", "HEAD"):
        return refused
    form = BoardFilterForm(request.GET, hamlets=page.hamlets())
    data = form.valid_data()
    posts = ServiceListing.objects.filter(commune=page.commune).on_board()
    posts = form.apply(posts, data).select_related("category").order_by("-published_at", "-pk")
    context = {
        "filter_form": form,
        # Read when the list's fragment is rendered (exchange/board.html).
        "items_page": paginate_lazily(request, posts, PER_PAGE),
        "filtered": bool(data),
        "query_string": query_string_without_page(request),
    }
    return _render(request, page, "board.html", context)


def _post_on_board(page, pk):
    return (
        ServiceListing.objects.filter(commune=page.commune, pk=pk)
        .on_board()
        .select_related("category")
        .first()
    )


def _gone(request, page):
    """A post that is not (or no longer) on the board: it can be neither read nor answered."""
    return _render(request, page, "listing_gone.html", status=404)


def _listing_form(request, page, pk, form_class, template, subpage_title, limits, act, robot):
    """A form about a post on the board (answer it, report it). ``limits(data)`` gives the
    rate-limit (scope, value) pairs; ``act(listing, data)`` does the work and returns the
    message to show on the post's page; a robot is shown ``robot`` and nothing is done."""
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    listing = _post_on_board(page, pk)
    if listing is None:
        return _gone(request, page)
    listing_url = page.subpage_url(request, "listing", listing.pk)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_spam():
            messages.success(request, robot)
            return redirect(listing_url)
        if form.is_valid():
            if _allowed(*limits(form.cleaned_data)):
                messages.success(request, act(listing, form.cleaned_data))
                return redirect(listing_url)
            form.add_error(None, ratelimit.refusal_message())
            status = 429
    else:
        form = form_class()
    context = {"listing": listing, "form": form, "subpage_title": subpage_title or listing.title}
    return _render(request, page, template, context, status)


def listing_detail(request, page, pk):
    def relay(listing, data):
        commune = page.commune
        if not emails.can_relay(listing, commune):
            # No address to pass the message to (the form is not shown): nothing is done.
            return _("Please contact the town hall about this post.")
        emails.send_relay(request, page, listing, data["name"], data["email"], data["message"])
        ContactRelay.objects.create(listing=listing)
        if emails.relays_to_town_hall(listing, commune):
            return _(
                "Your message has been passed on to the town hall, which will pass it on to "
                "%(name)s with your e-mail address so that they can answer you."
            ) % {"name": listing.first_name}
        return _(
            "Your message has been passed on to %(name)s, with your e-mail address so that "
            "they can answer you."
        ) % {"name": listing.first_name}

    return _listing_form(
        request,
        page,
        pk,
        ContactForm,
        "listing.html",
        None,
        lambda data: (
            ("exchange.contact.ip", ratelimit.client_ip(request)),
            ("exchange.contact.sender", data["email"]),
            ("exchange.contact.listing", pk),
        ),
        relay,
        robot=_("Your message has been passed on."),
    )


def report(request, page, pk):
    thanks = _("Thank you. The town hall will look at this post.")

    def record(listing, data):
        first = not listing.reports.filter(resolved_at=None).exists()
        ListingReport.objects.create(
            listing=listing, reason=data["reason"], comment=data["comment"]
        )
        if first:
            emails.notify_moderators(page, listing, "reported")
        return thanks

    return _listing_form(
        request,
        page,
        pk,
        ReportForm,
        "report.html",
        _("Report a post"),
        lambda data: (("exchange.report.ip", ratelimit.client_ip(request)),),
        record,
        robot=thanks,
    )


# Posting ---------------------------------------------------------------------------


def post(request, page):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    sent_url = page.subpage_url(request, "posted")
    status = 200
    if request.method == "POST":
        form = PostForm(request.POST, page=page)
        if form.is_spam():
            return redirect(sent_url)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if _allowed(
                ("exchange.post.ip", ratelimit.client_ip(request)),
                ("exchange.email", email),
            ):
                listing = listings.create(page, form.details(), email)
                emails.send_confirmation(request, page, listing)
                return redirect(sent_url)
            form.add_error(None, ratelimit.refusal_message())
            status = 429
    else:
        form = PostForm(page=page)
    context = {"form": form, "subpage_title": _("Post an offer or a request")}
    return _render(request, page, "post.html", context, status)


def posted(request, page):
    return _render(request, page, "posted.html", {"confirmation_days": listings.UNCONFIRMED_DAYS})


def _invalid_link(request, page):
    return private(_render(request, page, "link_invalid.html", status=404))


def confirm(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    listing = listings.listing_to_confirm(page, token)
    if listing is None:
        return _invalid_link(request, page)
    manage_url = page.subpage_url(request, "manage", listings.manage_token(listing))
    if listing.status != ListingStatus.UNCONFIRMED:
        messages.info(request, _("This post was already confirmed."))
        return redirect(manage_url)
    if request.method == "POST":
        # A GET never confirms: mail scanners open links.
        if listings.confirm(listing, page):
            messages.success(request, _("Thank you! Your post is on the board."))
        else:
            emails.notify_moderators(page, listing, "pending")
            messages.success(
                request,
                _(
                    "Thank you! Your post will appear once the town hall has approved it; "
                    "we will write to you."
                ),
            )
        return redirect(manage_url)
    return private(_render(request, page, "confirm.html", {"listing": listing}))


def manage(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    listing = listings.listing_to_manage(page, token)
    if listing is None:
        return _invalid_link(request, page)
    if listing.status == ListingStatus.UNCONFIRMED:
        # Opened from the confirmation e-mail before the confirmation link: confirm first.
        return redirect(page.subpage_url(request, "confirm", listings.confirm_token(listing)))
    here = request.path
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew" and listings.can_renew(listing):
            listings.renew(listing, page)
            messages.success(
                request,
                _("Your post stays on the board until %(date)s.")
                % {"date": date_format(listing.expires_on, "DATE_FORMAT")},
            )
            return redirect(here)
        if action == "done" and listing.status in (ListingStatus.PUBLISHED, ListingStatus.PENDING):
            listings.mark_done(listing)
            messages.success(request, _("Your post has left the board. Thank you for helping!"))
            return redirect(here)
        if action == "save" and listing.status != ListingStatus.DONE:
            form = ListingForm(request.POST, page=page)
            if form.is_valid():
                if listings.update(listing, page, form.details()):
                    emails.notify_moderators(page, listing, "pending")
                    messages.success(
                        request,
                        _("Your changes are saved; the town hall will approve them first."),
                    )
                else:
                    messages.success(request, _("Your changes are saved."))
                return redirect(here)
        elif action not in ("renew", "done", "save"):
            return HttpResponseNotAllowed(["GET"])
    if form is None and listing.status != ListingStatus.DONE:
        initial = {name: getattr(listing, name) for name in listings.DETAIL_FIELDS}
        initial["category"] = listing.category_id
        form = ListingForm(initial=initial, page=page)
    context = {
        "listing": listing,
        "form": form,
        "token": token,
        "can_renew": listings.can_renew(listing),
        "listing_url": page.subpage_url(request, "listing", listing.pk)
        if listing.is_on_board
        else "",
        "contact_count": listing.contacts.count(),
        "erasure_date": listings.erasure_date(listing),
    }
    return private(_render(request, page, "manage.html", context))


def delete_post(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    listing = listings.listing_to_manage(page, token)
    if listing is None:
        return _invalid_link(request, page)
    if request.method == "POST":
        listing.delete()
        return private(_render(request, page, "deleted.html"))
    return private(_render(request, page, "delete.html", {"listing": listing, "token": token}))


def _email_request(request, page, form_class, template, send):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    return email_request(
        request,
        form_class,
        ("exchange.request.ip", "exchange.email"),
        send,
        lambda context, status: _render(request, page, template, context, status),
    )


def link_request(request, page):
    def send_links(email):
        posts = list(
            ServiceListing.objects.filter(commune=page.commune, email__iexact=email)
            .exclude(status=ListingStatus.UNCONFIRMED)
            .order_by("-created_at")
        )
        if posts:
            emails.send_links(request, page, posts, email)

    return _email_request(request, page, LinkRequestForm, "link_request.html", send_links)


# The weekly digest -------------------------------------------------------------------


def digest_subscribe(request, page):
    def subscribe(email):
        subscription = DigestSubscription.objects.filter(
            commune=page.commune, email__iexact=email
        ).first()
        if subscription is None:
            subscription = DigestSubscription.objects.create(commune=page.commune, email=email)
        if subscription.confirmed_at is None:
            emails.send_digest_confirmation(request, page, subscription)

    return _email_request(request, page, DigestForm, "digest.html", subscribe)


def digest_confirm(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    subscription = listings.subscription_to_confirm(page, token)
    if subscription is None:
        return _invalid_link(request, page)
    confirmed = subscription.confirmed_at is not None
    if request.method == "POST" and not confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        confirmed = True
    context = {
        "confirmed": confirmed,
        "unsubscribe_url": emails.unsubscribe_url(page, subscription, request) if confirmed else "",
    }
    return private(_render(request, page, "digest_confirm.html", context))


@csrf_exempt
def unsubscribe(request, token):
    """The link in every digest. A GET shows one button (mail scanners open links); a POST
    unsubscribes: the button, or the mail client's own one-click button (RFC 8058), which
    sends no CSRF token — the signed token in the address is what authorises it."""
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    subscription = listings.subscription_to_end(token)
    page = listings.board_for(subscription.commune) if subscription is not None else None
    if page is None:
        return private(TemplateResponse(request, "exchange/unsubscribed.html", {}, status=404))
    if request.method == "POST":
        subscription.delete()
        return private(_render(request, page, "unsubscribed.html", {"done": True}))
    return private(_render(request, page, "unsubscribe.html"))
