"""The public guide: its filters, its list and the page of each source.

Everything is in the URL (GET), so a filtered guide is a shareable link and works without
JavaScript; a value that makes no sense is reported next to its field and ignored. The
deadlines are dates stored on each source (``window_start``/``window_end``, see
windows.py), so "open now", "closing soon" and the sort by closing date are plain SQL:
the number of queries does not depend on the number of sources.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mprc_cms import page_cache
from mprc_cms.filters import FilterForm, query_string_without_page
from mprc_cms.pagination import paginate_lazily
from mprc_cms.text import search_folded
from project_catalog.api import ProjectCategory

from .models import ApplicantType, FundingKind, FundingSource, Scope
from .windows import CLOSING_SOON_DAYS, Timing

SOURCES_PER_PAGE = 20

WHEN_OPEN = "ouvert"
WHEN_CLOSING_SOON = "bientot-clos"
WHEN_PERMANENT = "permanent"
WHEN_CHOICES = [
    ("", _("Any time")),
    (WHEN_OPEN, _("Open now")),
    (WHEN_CLOSING_SOON, _("Closing within 30 days")),
    (WHEN_PERMANENT, _("All year, no deadline")),
]

SORT_CLOSING = "cloture"
SORT_NAME = "nom"
SORT_CHECKED = "verification"
SORT_CHOICES = [
    (SORT_CLOSING, _("Nearest deadline first")),
    (SORT_NAME, _("Name")),
    (SORT_CHECKED, _("Most recently checked")),
]


# The filters an iCal feed keeps: which sources, not when (the feed is about deadlines).
FEED_FILTERS = ("categorie", "nature", "porteur", "portee")


class GuideFilterForm(FilterForm):
    """The guide's filters (French parameter names: they show in shared links)."""

    categorie = forms.ModelChoiceField(
        label=_("Project category"),
        queryset=ProjectCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    nature = forms.ChoiceField(
        label=pgettext_lazy("funding source", "Kind"),
        choices=[("", _("All kinds")), *FundingKind.choices],
        required=False,
    )
    porteur = forms.ModelChoiceField(
        label=_("Who applies"),
        queryset=ApplicantType.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Anyone"),
    )
    portee = forms.ChoiceField(
        label=_("Scope"), choices=[("", _("Every scope")), *Scope.choices], required=False
    )
    quand = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    tri = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def apply(self, queryset, data, today):
        if "categorie" in data:
            queryset = queryset.for_category(data["categorie"])
        if "nature" in data:
            queryset = queryset.filter(kind=data["nature"])
        if "porteur" in data:
            queryset = queryset.filter(
                pk__in=FundingSource.applicants.through.objects.filter(
                    applicanttype=data["porteur"]
                ).values("fundingsource")
            )
        if "portee" in data:
            queryset = queryset.filter(scope=data["portee"])
        when = data.get("quand")
        if when == WHEN_OPEN:
            queryset = queryset.open_on(today)
        elif when == WHEN_CLOSING_SOON:
            queryset = queryset.closing_within(today, CLOSING_SOON_DAYS)
        elif when == WHEN_PERMANENT:
            queryset = queryset.filter(timing=Timing.PERMANENT)
        return search_folded(queryset, data.get("q", ""))


def order_sources(queryset, sort, today):
    """Sorted as asked; by default open sources first, the nearest deadline first, then
    the permanent ones, then those that open later."""
    if sort == SORT_NAME:
        return queryset.order_by("name", "pk")
    if sort == SORT_CHECKED:
        return queryset.order_by("-checked_on", "name", "pk")
    upcoming = Case(
        When(window_start__gt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(upcoming=upcoming).order_by(
        "upcoming", F("window_end").asc(nulls_last=True), "window_start", "name", "pk"
    )


def with_relations(queryset):
    return queryset.select_related("financer").prefetch_related("applicants", "categories")


def filtered_sources(request, page, today, only=None):
    """The form of the guide's filters, its valid values (``only`` these names, if given)
    and the guide's sources that are not closed, narrowed by them. Yearly windows that have
    closed are moved on first."""
    FundingSource.objects.rolled_forward(today)
    form = GuideFilterForm(request.GET)
    data = form.valid_data()
    if only is not None:
        data = {key: value for key, value in data.items() if key in only}
    return form, data, form.apply(shown_sources(page, today), data, today)


def shown_source_ids(page, today):
    """The ids of the sources the guide ``page`` lists ``today`` (not closed), in the
    guide's own order (:func:`order_sources`' default): a memo of the page cache per day,
    until anything changes. The guide's rule of who sees what (the network's sources, the
    shared ones, the commune's own, its area) is read once, not on every request."""
    return page_cache.memo(
        f"funding-guide:shown:{page.pk}:{today.isoformat()}",
        [page_cache.ANY],
        lambda: list(
            order_sources(page.sources().not_closed(today), SORT_CLOSING, today).values_list(
                "pk", flat=True
            )
        ),
    )


def shown_sources(page, today):
    """The sources the guide ``page`` lists ``today``, for the filters to narrow."""
    return FundingSource.objects.filter(pk__in=shown_source_ids(page, today))


def guide_listing(request, page):
    """The context of a guide's list: its filters, a page of sources, the feed's link."""
    today = timezone.localdate()
    form, data, sources = filtered_sources(request, page, today)
    if data.keys() <= {"tri"} and data.get("tri", SORT_CLOSING) == SORT_CLOSING:
        # The guide as it is: a page of its ids, in order, then those sources.
        shown, by_id = shown_source_ids(page, today), True
    else:
        sources = order_sources(sources, data.get("tri", SORT_CLOSING), today)
        shown, by_id = sources.select_related("financer"), False

    def load_page(items_page):
        if by_id:
            ids = list(items_page.object_list)
            found = FundingSource.objects.filter(pk__in=ids).select_related("financer")
            found = found.in_bulk()
            items_page.object_list = [found[pk] for pk in ids if pk in found]
        # Who may apply and the categories: only the cards show them, read when one is
        # rendered.
        items_page.object_list = page_cache.prefetch_on_miss(
            items_page.object_list, "applicants", "categories"
        )
        for source in items_page.object_list:
            source.current_state = source.state(today)

    # Read when the list's fragment is rendered (funding/guide_page.html).
    items_page = paginate_lazily(request, shown, SOURCES_PER_PAGE, then=load_page)
    feed_filters = {key: request.GET[key] for key in FEED_FILTERS if key in data}
    feed_url = page.get_url(request) + page.reverse_subpage("deadlines")
    return {
        "filter_form": form,
        "items_page": items_page,
        "filtered": bool({key for key in data if key != "tri"}),
        "query_string": query_string_without_page(request),
        "feed_url": f"{feed_url}?{urlencode(feed_filters)}" if feed_filters else feed_url,
        "feed_filtered": bool(feed_filters),
        "today": today,
        "soon": today + datetime.timedelta(days=CLOSING_SOON_DAYS),
    }


def source_detail(request, page, slug):
    """A source's own page, only in a guide that shows it."""
    today = timezone.localdate()

    def find():
        # Which of the guide's sources has the slug: its rule of who sees what is read
        # once per change, not on every visit (an unknown slug is not kept).
        pk = page.sources().filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404
        return pk

    pk = page_cache.memo(f"funding-guide:source:{page.pk}:{slug}", [page_cache.ANY], find)
    try:
        source = with_relations(FundingSource.objects.filter(pk=pk)).get()
    except FundingSource.DoesNotExist as error:
        raise Http404 from error
    source.current_state = source.state(today)
    return page.render(
        request,
        template="funding/source_page.html",
        context_overrides={"source": source, "subpage_title": source.name, "today": today},
    )


def possible_sources(project, commune, today, limit=6):
    """The sources fitting a project's category and its commune, open ones first (for the
    project page's "possible funding")."""
    sources = (
        FundingSource.objects.for_commune(commune).for_category(project.category).not_closed(today)
    )
    return list(order_sources(with_relations(sources), SORT_CLOSING, today)[:limit])
