"""Admin screens of the board: moderating one post, and the board's figures."""

from collections import Counter
from datetime import timedelta

from django import forms
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from mprc_cms import french, ratelimit
from mprc_cms.channels import Channel
from mprc_cms.communes import communes_for_user
from mprc_cms.printing import LetterAddressForm, render_letter

from . import emails, listings
from .forms import ModerationForm, StaffPostForm
from .models import (
    ContactRelay,
    DigestSubscription,
    ListingStatus,
    ServiceCategory,
    ServiceListing,
)

MONTHS_SHOWN = 12


class ScopedAdminView(WagtailAdminTemplateMixin, TemplateView):
    permission_policy = None  # set by the viewset
    index_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Posts")},
            {"url": "", "label": self.get_page_title()},
        ]


class ModerationView(ScopedAdminView):
    """One post with its reports: publish, reject or hide it (with a reason e-mailed to the
    poster), or keep it and close the reports."""

    template_name = "exchange/admin/moderate.html"
    header_icon = "resubmit"

    def dispatch(self, request, *args, **kwargs):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        )
        self.listing = get_object_or_404(
            scoped.select_related("category", "commune", "entered_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.listing.title

    def get_page_subtitle(self):
        return self.listing.get_status_display()

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = self.listing
        page = listings.board_for(listing.commune)
        reports = list(listing.reports.select_related("resolved_by"))
        listing.open_reports_count = sum(1 for report in reports if report.resolved_at is None)
        context.update(
            listing=listing,
            form=form or ModerationForm(),
            reports=reports,
            contact_count=listing.contacts.count(),
            public_url=(
                page.get_url(self.request) + page.reverse_subpage("listing", args=[listing.pk])
                if page is not None and listing.is_on_board
                else ""
            ),
            edit_url=reverse("exchange_listings:edit", args=[listing.pk]),
            posted_for_url=reverse("exchange_listings:posted_for", args=[listing.pk]),
            delete_url=reverse("exchange_listings:delete", args=[listing.pk]),
            history_url=reverse("exchange_listings:history", args=[listing.pk]),
            statuses=ListingStatus,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ModerationForm(request.POST)
        listing = self.listing
        page = listings.board_for(listing.commune)
        if not form.is_valid() or page is None:
            if page is None:
                messages.error(request, _("The commune's board no longer exists."))
            return self.render_to_response(self.get_context_data(form=form))
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"].strip()
        if action == "publish":
            listings.publish(listing, page, request.user)
            emails.send_moderation_outcome(page, listing, request)
            messages.success(request, _("“%(title)s” is on the board.") % {"title": listing})
        elif action == "dismiss":
            closed = listings.resolve_reports(listing, request.user)
            log(instance=listing, action="mprc.reports_dismissed", user=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s report closed; the post stays as it is.",
                    "%(count)s reports closed; the post stays as it is.",
                    closed,
                )
                % {"count": closed},
            )
        else:
            listings.withdraw(listing, action, reason, request.user)
            emails.send_moderation_outcome(page, listing, request)
            messages.success(
                request,
                _("“%(title)s” is no longer on the board; the poster has been told why.")
                % {"title": listing},
            )
        return redirect(self.index_url_name)


class StatisticsView(ScopedAdminView):
    """How the boards of the user's communes are used: posts per category and kind, and
    per month; relayed messages per month. Counts only, no personal data."""

    template_name = "exchange/admin/statistics.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Figures of the service exchange")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        communes = list(communes_for_user(self.request.user).order_by("title"))
        chosen = [c for c in communes if str(c.pk) == self.request.GET.get("commune")]
        scope = chosen or communes
        posts = ServiceListing.objects.filter(commune__in=scope).exclude(
            status=ListingStatus.UNCONFIRMED
        )
        today = timezone.localdate()
        first_month = today.replace(day=1)
        for _month in range(MONTHS_SHOWN - 1):
            first_month = (first_month - timedelta(days=1)).replace(day=1)

        by_category = Counter()
        for category_id, kind, count in (
            posts.order_by().values_list("category", "kind").annotate(count=Count("pk"))
        ):
            by_category[category_id, kind] += count
        categories = [
            {
                "name": category.name,
                "offers": by_category[category.pk, "offer"],
                "requests": by_category[category.pk, "request"],
            }
            for category in ServiceCategory.objects.all()
        ]

        def monthly(queryset, field):
            rows = (
                queryset.filter(**{f"{field}__date__gte": first_month})
                .annotate(month=TruncMonth(field))
                .order_by()
                .values_list("month")
                .annotate(count=Count("pk"))
            )
            return {month.date() if hasattr(month, "date") else month: n for month, n in rows}

        posted = monthly(posts, "created_at")
        published = monthly(posts.exclude(published_at=None), "published_at")
        contacts = monthly(ContactRelay.objects.filter(listing__commune__in=scope), "sent_at")
        months = []
        month = first_month
        while month <= today:
            months.append(
                {
                    "month": month,
                    "posted": posted.get(month, 0),
                    "published": published.get(month, 0),
                    "contacts": contacts.get(month, 0),
                }
            )
            month = (month + timedelta(days=32)).replace(day=1)
        context.update(
            communes=communes,
            chosen=chosen[0] if chosen else None,
            categories=categories,
            category_totals={
                "offers": sum(row["offers"] for row in categories),
                "requests": sum(row["requests"] for row in categories),
            },
            months=months,
            on_board=ServiceListing.objects.filter(commune__in=scope).on_board(today).count(),
            pending=posts.filter(status=ListingStatus.PENDING).count(),
            subscribers=DigestSubscription.objects.filter(commune__in=scope)
            .exclude(confirmed_at=None)
            .count(),
        )
        return context


# Posting for a resident ----------------------------------------------------------------

# E-mails with a management link one staff member may send per window, and how often one
# post's link may be e-mailed (mprc_cms.ratelimit).
STAFF_LINK_USER_SCOPE = "exchange.staff_link.user"
STAFF_LINK_POST_SCOPE = "exchange.staff_link.listing"


class CommuneChoiceForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune"), queryset=None, empty_label=gettext_lazy("Choose…")
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class StaffPostView(ScopedAdminView):
    """Staff post on the board for a resident who phoned, wrote or came to the town hall:
    the post is on the board at once; then the letter or the e-mail with its link."""

    template_name = "exchange/admin/post_for_resident.html"
    header_icon = "resubmit"

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_any_permission(request.user, ["change"]):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Post for a resident")

    def boards(self):
        """(commune, board page) of the user's communes running the board."""
        found = []
        for commune in self.permission_policy.communes(self.request.user).order_by("title"):
            page = listings.board_for(commune)
            if page is not None:
                found.append((commune, page.specific))
        return found

    def chosen(self, data):
        """The (commune, board) asked for among the user's, or their only one; None for a
        commune that is not theirs."""
        boards = self.boards()
        wanted = str(data.get("commune", ""))
        if not wanted and len(boards) == 1:
            return boards[0], boards
        for commune, page in boards:
            if str(commune.pk) == wanted:
                return (commune, page), boards
        return None, boards

    def get(self, request, *args, **kwargs):
        board, boards = self.chosen(request.GET)
        if board is None:
            return self.render_choice(boards, request.GET)
        return self.render_form(board, StaffPostForm(page=board[1]))

    def post(self, request, *args, **kwargs):
        board, boards = self.chosen(request.POST)
        if board is None:
            return self.render_choice(boards, request.POST)
        page = board[1]
        form = StaffPostForm(request.POST, page=page)
        if not form.is_valid():
            return self.render_form(board, form, status=200)
        listing = listings.create_for_resident(
            page,
            form.details(),
            email=form.cleaned_data["email"],
            channel=form.cleaned_data["channel"],
            user=request.user,
        )
        messages.success(request, _("“%(title)s” is on the board.") % {"title": listing})
        return redirect("exchange_listings:posted_for", listing.pk)

    def render_choice(self, boards, data):
        communes = self.permission_policy.communes(self.request.user).filter(
            pk__in=[commune.pk for commune, _page in boards]
        )
        form = CommuneChoiceForm(data or None, communes=communes)
        return self.render_to_response(self.get_context_data(choice_form=form, no_board=not boards))

    def render_form(self, board, form, status=200):
        commune, page = board
        context = self.get_context_data(form=form, commune=commune, board_page=page)
        return self.render_to_response(context, status=status)


class PostedForMixin(ScopedAdminView):
    """A post the user may change that staff typed for a resident (404 otherwise: the
    private link of a post a resident made online is theirs alone)."""

    header_icon = "resubmit"

    def dispatch(self, request, *args, **kwargs):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        )
        self.listing = get_object_or_404(
            scoped.exclude(channel=Channel.ONLINE).select_related("commune", "category"),
            pk=kwargs["pk"],
        )
        self.page = listings.board_for(self.listing.commune)
        if self.page is None:
            raise Http404
        self.page = self.page.specific
        return super().dispatch(request, *args, **kwargs)

    def manage_url(self):
        return emails.absolute(
            self.page, "manage", listings.manage_token(self.listing), request=self.request
        )


class PostedForView(PostedForMixin):
    """The post is on the board: print the letter with its private link, or e-mail it."""

    template_name = "exchange/admin/posted_for.html"

    def get_page_title(self):
        return _("Letter or e-mail with the post’s link")

    def get_page_subtitle(self):
        return self.listing.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            listing=self.listing,
            address_form=LetterAddressForm(),
            letter_url=reverse("exchange_listings:letter", args=[self.listing.pk]),
            moderate_url=reverse("exchange_listings:moderate", args=[self.listing.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        listing = self.listing
        if not listing.email:
            messages.error(request, _("This post has no e-mail address."))
        elif not ratelimit.hit(STAFF_LINK_USER_SCOPE, request.user.pk):
            messages.error(request, ratelimit.refusal_message())
        elif not ratelimit.hit(STAFF_LINK_POST_SCOPE, listing.pk):
            messages.error(
                request,
                _("The link of this post was already sent by e-mail. Print the letter instead."),
            )
        else:
            emails.send_posted_for(request, self.page, listing)
            messages.success(
                request, _("The post’s link was sent to %(email)s.") % {"email": listing.email}
            )
        return redirect("exchange_listings:posted_for", listing.pk)


class PostLetterView(PostedForMixin):
    """The letter, ready to print, with the post's private link and its QR code; the
    address comes by POST (never in a web address, which logs keep)."""

    def get(self, request, *args, **kwargs):
        return redirect("exchange_listings:posted_for", self.listing.pk)

    def post(self, request, *args, **kwargs):
        listing = self.listing
        commune = listing.commune
        return render_letter(
            request,
            commune=commune,
            recipient=listing.first_name,
            address_lines=LetterAddressForm(request.POST).lines(),
            subject=_("Your post on the service exchange: “%(title)s”") % {"title": listing},
            paragraphs=[
                _("Hello %(name)s,") % {"name": listing.first_name},
                french.contract(
                    _(
                        "As you asked, the town hall of %(commune)s put your post on the "
                        "service exchange board, until %(date)s."
                    )
                    % {
                        "commune": commune.title,
                        "date": date_format(listing.expires_on, "DATE_FORMAT"),
                    },
                    commune.title,
                ),
                _(
                    "With the link below, you can change, renew or delete your post. It works "
                    "for %(days)s days; the town hall can print you a new one at any time."
                )
                % {"days": listings.MANAGE_LINK_AGE.days},
                _(
                    "Residents who answer your post write to the town hall, which passes their "
                    "messages on to you."
                )
                if not listing.email
                else _("Residents who answer your post write to you by e-mail."),
            ],
            link_url=self.manage_url(),
            link_label=_("The private link of your post"),
        )
