"""The call for needs' public views (routes of NeedsIndexPage and CallForNeedsPage): no
account needed, everything works without JavaScript.

Every form has a honeypot and rate limits; a robot is answered as if all went well and
nothing is stored. An author's or a supporter's e-mail address never appears in a page
but their own: authors manage their need through the link in their e-mails.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from mprc_cms import page_cache, ratelimit
from mprc_cms.filters import query_string_without_page
from mprc_cms.pagination import paginate_lazily
from mprc_cms.views import email_request, private
from project_catalog.api import ProjectCategory

from . import calls, emails
from .forms import (
    SORT_RECENT,
    LinkRequestForm,
    NeedFilterForm,
    NeedForm,
    ProposeForm,
    SupportForm,
)
from .models import CallForNeedsPage, CallState, Need, NeedsIndexPage, NeedStatus, Support

PER_PAGE = 20


def _feed(request, page):
    """The address and title of the commune's feed of calls, for the pages' heads."""
    index = page if isinstance(page, NeedsIndexPage) else page.get_parent().specific
    if not isinstance(index, NeedsIndexPage):
        return {}
    return {
        "feed_url": (index.get_url(request) or "/") + index.reverse_subpage("feed"),
        "feed_title": _("%(title)s (Atom feed)") % {"title": index.title},
    }


def _need_url_prefix(request, page):
    """The address of the call's need pages but the number: ``{{ prefix }}{{ pk }}/`` in
    long lists, rather than reversing the route for every need."""
    if not isinstance(page, CallForNeedsPage):
        return ""
    return page.subpage_url(request, "need", 0)[: -len("0/")]


def _render(request, page, template, context=None, status=200):
    context = {
        "page": page,
        "self": page,
        "need_url_prefix": _need_url_prefix(request, page),
        **_feed(request, page),
        **(context or {}),
    }
    return TemplateResponse(request, f"needs/{template}", context, status=status)


def _allowed(*scopes_and_values):
    """Count one use in each (scope, value); False as soon as one limit is reached."""
    return all(ratelimit.hit(scope, value) for scope, value in scopes_and_values)


def _only(request, *methods):
    return None if request.method in methods else HttpResponseNotAllowed(methods)


def _counted_supports():
    return Q(supports__confirmed_at__isnull=False)


def attach_counts(call_list):
    """Give each call ``need_count`` and ``support_count`` (published needs, confirmed
    supports): two queries, whatever the number of calls."""
    pks = [call.pk for call in call_list]
    needs = dict(
        Need.objects.public()
        .filter(call__in=pks)
        .order_by()
        .values_list("call")
        .annotate(n=Count("pk"))
    )
    supports = dict(
        Support.objects.filter(
            need__call__in=pks, need__status=NeedStatus.PUBLISHED, confirmed_at__isnull=False
        )
        .order_by()
        .values_list("need__call")
        .annotate(n=Count("pk"))
    )
    for call in call_list:
        call.need_count = needs.get(call.pk, 0)
        call.support_count = supports.get(call.pk, 0)
    return call_list


def _call_themes(request, page):
    """The call's ``theme_choices()`` for its filters, a memo (:func:`page_cache.page_memo`)."""
    return page_cache.page_memo(request, f"needs-call-themes:{page.pk}", page.theme_choices)


def _attach_own_counts(request, page):
    """:func:`attach_counts` for the call's own page, a memo (:func:`page_cache.page_memo`)
    until anything changes (a need published, a support confirmed)."""

    def compute():
        attach_counts([page])
        return page.need_count, page.support_count

    page.need_count, page.support_count = page_cache.page_memo(
        request, f"needs-call-counts:{page.pk}", compute
    )


# The index ---------------------------------------------------------------------------


def index(request, index_page):
    if refused := _only(request, "GET", "HEAD"):
        return refused
    all_calls = attach_counts(list(index_page.calls()))
    by_state = {state: [] for state in CallState.values}
    for item in all_calls:
        by_state[item.state()].append(item)
    context = {
        "open_calls": by_state[CallState.OPEN],
        "upcoming_calls": sorted(by_state[CallState.UPCOMING], key=lambda c: c.opens_on),
        "past_calls": by_state[CallState.CLOSED],
    }
    return _render(request, index_page, "index.html", context)


# A call and its needs ---------------------------------------------------------------


def call(request, page):
    if refused := _only(request, "GET", "HEAD"):
        return refused
    form = NeedFilterForm(request.GET, call=page, themes=_call_themes(request, page))
    data = form.valid_data()
    needs = form.apply(Need.objects.public().filter(call=page), data)
    needs = needs.with_supports().select_related("theme")
    if data.get("tri") == SORT_RECENT:
        needs = needs.order_by("-published_at", "-pk")
    else:
        needs = needs.order_by("-support_count", "-published_at", "-pk")
    _attach_own_counts(request, page)
    context = {
        "filter_form": form,
        # Read only when the list's fragment is rendered (needs/call.html).
        "items_page": paginate_lazily(request, needs, PER_PAGE),
        "filtered": bool({key: value for key, value in data.items() if key != "tri"}),
        "query_string": query_string_without_page(request),
        "state": page.state(),
    }
    return _render(request, page, "call.html", context)


def _closed(request, page, status=200):
    """The call is not open (upcoming or closed): no form, and a POST changes nothing."""
    return _render(request, page, "closed.html", {"state": page.state()}, status=status)


def propose(request, page):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    if not page.is_open():
        return _closed(request, page, status=403 if request.method == "POST" else 200)
    sent_url = page.subpage_url(request, "proposed")
    status = 200
    if request.method == "POST":
        form = ProposeForm(request.POST, call=page)
        if form.is_spam():
            return redirect(sent_url)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not _allowed(
                ("needs.propose.ip", ratelimit.client_ip(request)),
                ("needs.propose.email", email),
            ):
                form.add_error(None, ratelimit.refusal_message())
                status = 429
            elif calls.awaiting_confirmation(page, email):
                # Never mail an unconfirmed address twice: the link already sent confirms
                # this proposal too. The same answer as for any address: nothing tells a
                # stranger that this one proposed something.
                calls.create(page, form.details(), email)
                return redirect(sent_url)
            else:
                need = calls.create(page, form.details(), email)
                emails.send_confirmation(request, page, need)
                return redirect(sent_url)
    else:
        form = ProposeForm(call=page)
    context = {"form": form, "subpage_title": _("Propose a need or an idea")}
    return _render(request, page, "propose.html", context, status)


def proposed(request, page):
    if refused := _only(request, "GET", "HEAD"):
        return refused
    return _render(request, page, "proposed.html", {"confirmation_days": calls.UNCONFIRMED_DAYS})


def _invalid_link(request, page):
    return private(_render(request, page, "link_invalid.html", status=404))


def confirm(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    need = calls.need_to_confirm(page, token)
    if need is None:
        return _invalid_link(request, page)
    manage_url = page.subpage_url(request, "manage", calls.manage_token(need))
    if need.status != NeedStatus.UNCONFIRMED:
        messages.info(request, _("This proposal was already confirmed."))
        return redirect(manage_url)
    if request.method == "POST":
        # A GET never confirms: mail scanners open links.
        if calls.confirm(need, page):
            messages.success(request, _("Thank you! Your proposal is published."))
        else:
            emails.notify_moderators(page, need)
            messages.success(
                request,
                _(
                    "Thank you! Your proposal will appear once the town hall has approved it; "
                    "we will write to you."
                ),
            )
        return calls.set_supporter_cookie(request, redirect(manage_url), page, need)
    return private(_render(request, page, "confirm.html", {"need": need}))


def _outcome_context(request, need):
    """What became of a need: the priority it became and the project page, if live."""
    project_url = ""
    priority = need.priority if need.priority_id else None
    if priority is not None and priority.project_id and priority.project.live:
        project_url = priority.project.get_url(request) or ""
    return {"priority": priority, "project_url": project_url}


def manage(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    need = calls.need_to_manage(page, token)
    if need is None:
        return _invalid_link(request, page)
    if need.status == NeedStatus.UNCONFIRMED:
        # Opened from the confirmation e-mail before the confirmation link: confirm first.
        return redirect(page.subpage_url(request, "confirm", calls.confirm_token(need)))
    here = request.path
    can_edit = calls.can_edit(need, page)
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "withdraw":
            return private(_render(request, page, "withdraw.html", {"need": need}))
        if action == "withdraw_confirmed":
            calls.withdraw(need)
            return private(_render(request, page, "withdrawn.html"))
        if action == "save" and can_edit:
            form = NeedForm(request.POST, call=page)
            if form.is_valid():
                if calls.update(need, page, form.details()):
                    emails.notify_moderators(page, need)
                    messages.success(
                        request,
                        _("Your changes are saved; the town hall will approve them first."),
                    )
                else:
                    messages.success(request, _("Your changes are saved."))
                return redirect(here)
        elif action == "save":
            messages.error(request, _("The call is closed: your proposal can no longer change."))
            return redirect(here)
        elif action in ("stop_news", "want_news"):
            # Open at any time, also after the call closed: the outcome e-mails are the
            # author's to stop.
            # Without an e-mail address there is nobody to write to.
            wanted = action == "want_news" and bool(need.email)
            Need.objects.filter(pk=need.pk).update(wants_outcome=wanted)
            if wanted:
                messages.success(
                    request, _("You will receive an e-mail about what becomes of your proposal.")
                )
            else:
                messages.success(
                    request,
                    _("You will no longer receive e-mails about what becomes of your proposal."),
                )
            return redirect(here)
        else:
            return HttpResponseNotAllowed(["GET"])
    if form is None and can_edit:
        form = NeedForm(initial=NeedForm.initial_for(need), call=page)
    context = {
        "need": need,
        "form": form,
        "token": token,
        "call_open": page.is_open(),
        "need_url": page.subpage_url(request, "need", need.pk) if need.is_public else "",
        "support_count": need.supports.filter(confirmed_at__isnull=False).count(),
        "anonymise_months": calls.ANONYMISE_MONTHS,
        **_outcome_context(request, need),
    }
    return private(_render(request, page, "manage.html", context))


def link_request(request, page):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused

    def send_links(email):
        needs = list(
            Need.objects.filter(call=page, email__iexact=email)
            .exclude(status=NeedStatus.UNCONFIRMED)
            .order_by("-created_at")
        )
        if needs:
            emails.send_links(request, page, needs, email)

    return email_request(
        request,
        LinkRequestForm,
        ("needs.request.ip", "needs.propose.email"),
        send_links,
        lambda context, status: _render(request, page, "link_request.html", context, status),
    )


# One need and its supports -----------------------------------------------------------


def _public_need(page, pk):
    return (
        Need.objects.public()
        .filter(call=page, pk=pk)
        .with_supports()
        .select_related("theme", "priority__project")
        .first()
    )


def need_detail(request, page, pk):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    need = _public_need(page, pk)
    if need is None:
        return _render(request, page, "need_gone.html", status=404)
    need_url = page.subpage_url(request, "need", need.pk)
    is_open = page.is_open()
    supporter = calls.supporter_email(request, page) if is_open else ""
    status = 200
    form = SupportForm() if is_open else None
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("The call is closed: supports are no longer counted."))
            return _render(request, page, "need.html", _need_context(request, page, need), 403)
        if request.POST.get("action") == "one_click" and supporter:
            messages.info(request, _support_at_once(need, supporter))
            return redirect(need_url)
        form = SupportForm(request.POST)
        if form.is_spam():
            messages.success(request, _check_inbox())
            return redirect(need_url)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not _allowed(
                ("needs.support.ip", ratelimit.client_ip(request)),
                ("needs.support.email", email),
            ):
                form.add_error(None, ratelimit.refusal_message())
                status = 429
            else:
                messages.info(request, _ask_support(request, page, need, email))
                return redirect(need_url)
    context = _need_context(request, page, need)
    context.update(form=form, supporter=supporter)
    return _render(request, page, "need.html", context, status)


def _need_context(request, page, need):
    return {
        "need": need,
        "is_open": page.is_open(),
        "subpage_title": need.title,
        **_outcome_context(request, need),
    }


def _check_inbox():
    """The answer to a support asked with an e-mail address, whatever the address: nothing
    tells a stranger who wrote or already supports the need."""
    return _(
        "If this address may support this need, we have sent it an e-mail: open the link in "
        "it to confirm your support. An address counts once, and an author does not support "
        "their own proposal. If nothing arrives, look in your junk mail folder."
    )


def _support_at_once(need, email):
    if calls.is_author(need, email):
        return _("This is your own proposal: it counts already, you cannot support it.")
    if calls.support_at_once(need, email):
        return _("Thank you! Your support is counted.")
    return _("You support this need already.")


def _ask_support(request, page, need, email):
    """A support asked with an address typed in the form: mailed only to an address that
    may support the need and was not mailed already; the answer is the same for any."""
    if not calls.is_author(need, email):
        support, mail = calls.ask_support(need, email)
        if mail:
            emails.send_support_confirmation(request, page, support)
    return _check_inbox()


def support_confirm(request, page, token):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    support = calls.support_to_confirm(page, token)
    if support is None:
        return _invalid_link(request, page)
    need = support.need
    need_url = (
        page.subpage_url(request, "need", need.pk) if need.is_public else page.get_url(request)
    )
    if support.confirmed_at is not None:
        messages.info(request, _("You support this need already."))
        return calls.set_supporter_cookie(request, redirect(need_url), page, support)
    if not page.is_open():
        if request.method == "POST":
            messages.error(request, _("The call is closed: supports are no longer counted."))
            return redirect(need_url)
        return private(_render(request, page, "closed.html", {"state": page.state()}))
    if request.method == "POST":
        calls.confirm_support(support)
        messages.success(request, _("Thank you! Your support is counted."))
        return calls.set_supporter_cookie(request, redirect(need_url), page, support)
    return private(_render(request, page, "support_confirm.html", {"need": need}))


# Results ----------------------------------------------------------------------------


def _by(needs, field):
    """Rows (value, needs, supports) of ``needs`` grouped by ``field``, biggest first."""
    rows = (
        needs.order_by()
        .values(field)
        .annotate(
            needs=Count("pk", distinct=True),
            supports=Count("supports", filter=_counted_supports()),
        )
    )
    return sorted(
        ((row[field], row["needs"], row["supports"]) for row in rows),
        key=lambda row: (-row[2], -row[1], str(row[0] or "")),
    )


def results(request, page):
    if refused := _only(request, "GET", "HEAD"):
        return refused
    needs = Need.objects.public().filter(call=page)
    theme_rows = _by(needs, "theme")
    theme_names = dict(
        ProjectCategory.objects.filter(pk__in=[row[0] for row in theme_rows if row[0]]).values_list(
            "pk", "name"
        )
    )
    by_theme = [
        (theme_names.get(theme, _("Other")) if theme else _("Other"), n, s)
        for theme, n, s in theme_rows
    ]
    by_hamlet = [(hamlet or _("Not said"), n, s) for hamlet, n, s in _by(needs, "hamlet")]
    ranked = list(
        needs.with_supports()
        .select_related("theme", "priority__project")
        .order_by("-support_count", "-published_at", "-pk")
    )
    totals = Support.objects.filter(need__in=needs, confirmed_at__isnull=False).aggregate(
        supports=Count("pk")
    )
    for need in ranked:
        priority = need.priority
        need.project_url = ""
        if priority is not None and priority.project_id and priority.project.live:
            need.project_url = priority.project.get_url(request) or ""
    context = {
        "state": page.state(),
        "by_theme": by_theme,
        "by_hamlet": by_hamlet,
        "needs": ranked,
        "need_total": len(ranked),
        "support_total": totals["supports"] or 0,
        "subpage_title": _("Results"),
    }
    return _render(request, page, "results.html", context)
