"""Filtering, searching and paging the public lists of projects and templates.

The filters live in the URL (GET), so a filtered list can be shared and works without
JavaScript. A value that makes no sense (an unknown category…) is reported next to its
field and ignored. Words are looked for in each page's folded search text
(home/search.py), as the site search does: accent-blind, the best title matches first.
The number of SQL queries does not depend on how many items there are.
"""

from django import forms
from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from home.models import CommunePage, attach_communes
from mprc_cms import page_cache
from mprc_cms.filters import FilterForm, query_string_without_page
from mprc_cms.pagination import paginate_lazily
from mprc_cms.text import search_ranked

from .models import ProjectCategory, ProjectStatus

PROJECTS_PER_PAGE = 12
TEMPLATES_PER_PAGE = 12

BUDGET_CHOICES = [
    ("", _("Any budget")),
    ("2000", _("Up to 2,000 €")),
    ("5000", _("Up to 5,000 €")),
    ("8000", _("Up to 8,000 €")),
    ("15000", _("Up to 15,000 €")),
]


class ListingFilterForm(FilterForm):
    """The words and category every list offers; subclasses add their own filters."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ProjectCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )

    def apply(self, queryset, data):
        if "category" in data:
            queryset = queryset.filter(category=data["category"])
        return queryset


class ProjectFilterForm(ListingFilterForm):
    status = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *ProjectStatus.choices], required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=CommunePage.objects.none(),  # per form: see __init__
        to_field_name="slug",
        required=False,
        empty_label=_("All communes"),
    )

    def __init__(self, data, *, with_commune, **kwargs):
        super().__init__(data, **kwargs)
        if not with_commune:
            del self.fields["commune"]
        else:
            # Built for each form: ``.public()`` reads the view restrictions when it is
            # called, so a queryset made at import would keep those of the start-up.
            self.fields["commune"].queryset = CommunePage.objects.live().public().order_by("title")

    def apply(self, queryset, data):
        queryset = super().apply(queryset, data)
        if "status" in data:
            queryset = queryset.filter(status=data["status"])
        if "commune" in data:
            queryset = queryset.descendant_of(data["commune"])
        return queryset


class TemplateFilterForm(ListingFilterForm):
    budget = forms.ChoiceField(label=_("Typical budget"), choices=BUDGET_CHOICES, required=False)

    def apply(self, queryset, data):
        queryset = super().apply(queryset, data)
        if "budget" in data:
            queryset = queryset.filter(budget_min__lte=int(data["budget"]))
        return queryset


def _listing(request, queryset, form, per_page, order_by, prefetch, load=None, then=None):
    """Filter, search and page ``queryset``; the shown items are loaded in one query, then
    given to ``then(items)``, when the list is rendered. What only their cards show (their
    pictures' renditions, and ``load(items)``) is read when a card is rendered, not when
    every card comes from its memo."""
    data = form.valid_data()
    queryset = form.apply(queryset, data)
    query = data.get("q", "").strip()
    if query:
        # Best title matches first (« covoiturage » lists « Covoiturage des Coteaux »
        # before a project that only mentions it), then the list's own order.
        results = search_ranked(
            queryset,
            query,
            title="folded__search_title",
            text="folded__search_text",
            order=(*order_by, "pk"),
        )
    else:
        results = queryset.order_by(*order_by)
    model = queryset.model

    def load_page(page):
        # The page's ids only (below): the shown items are read once, without their bodies.
        ids = [item.pk for item in page.object_list]
        items = model.objects.filter(pk__in=ids).select_related(*prefetch)
        # The cards show none of the pages' StreamFields: not read, not decoded.
        by_id = {item.pk: item for item in items.defer_streamfields()}
        page.object_list = page_cache.load_on_miss(
            [by_id[pk] for pk in ids if pk in by_id], load_for_cards
        )
        if then is not None:
            then(page.object_list)

    def load_for_cards(shown):
        prefetch_related_objects(shown, "image__renditions")
        if load is not None:
            load(shown)

    # Read when the list's fragment is rendered (project_catalog/listing_page.html).
    page = paginate_lazily(request, results.only("pk"), per_page, then=load_page)
    return {
        "filter_form": form,
        "items_page": page,
        "query": query,
        "filtered": bool(data),
        "query_string": query_string_without_page(request),
    }


def project_listing(request, projects, *, with_commune):
    form = ProjectFilterForm(request.GET, with_commune=with_commune)
    context = _listing(
        request,
        projects,
        form,
        PROJECTS_PER_PAGE,
        order_by=("-last_published_at",),
        prefetch=("category", "image"),
        then=attach_communes if with_commune else None,
    )
    context["with_commune"] = with_commune
    return context


def template_listing(request, templates):
    form = TemplateFilterForm(request.GET)
    context = _listing(
        request,
        templates,
        form,
        TEMPLATES_PER_PAGE,
        order_by=("category__sort_order", "title"),
        prefetch=("category", "image"),
        load=adoption_counts,
    )
    return context


def adoption_counts(templates):
    """How many projects adopted each template (its card shows it), of those the
    catalogue shows."""
    from .search import shown_projects

    counts = dict(
        shown_projects()
        .filter(source_template__in=[template.pk for template in templates])
        .order_by()  # the tree's ordering by path would split the groups
        .values_list("source_template")
        .annotate(count=Count("pk"))
        .values_list("source_template", "count")
    )
    for template in templates:
        template.adoption_count = counts.get(template.pk, 0)
