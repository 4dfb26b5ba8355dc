"""Admin screens of the board: moderating one post, and the board's figures."""

from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from mprc_cms.communes import communes_for_user

from . import emails, listings
from .forms import ModerationForm
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
            scoped.select_related("category", "commune"), pk=kwargs["pk"]
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
