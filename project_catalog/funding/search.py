"""Funding sources in the site search (declared in ``FundingConfig.mprc_module``).

A source is found where a published guide shows it, and links to its page in that
guide: in a commune's search, the sources of the commune's guide (the network's and the
shared ones that fit its area, and its own); in the network's search, those of the
network's guide (the network's and the shared ones — never a commune's private source).
Closed sources are left out, as in the guide's list.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from mprc_cms.search import SearchKind, SearchResult, excerpt

from .models import FundingGuidePage, FundingSource


class FundingSourceKind(SearchKind):
    key = "funding"
    label = _("Funding sources")
    item_label = _("Funding source")
    order_by = (F("window_end").asc(nulls_last=True), "name", "pk")

    def records(self):
        commune = self.scope.commune
        parent = commune or self.scope.root
        if parent is None:
            return None
        self.guide = self.scope.memo(
            "funding-guide",
            lambda: FundingGuidePage.objects.child_of(parent).live().public().first(),
        )
        if self.guide is None:
            return None  # the module is off for the commune, or the network has no guide
        today = self.scope.today
        FundingSource.objects.rolled_forward(today)
        if commune is not None:
            sources = FundingSource.objects.for_commune(commune)
        else:
            sources = FundingSource.objects.visible_to(None).online()
        return sources.not_closed(today).select_related("financer", "commune")

    def results(self, records, request):
        guide_url = self.guide.get_url(request)
        today = self.scope.today
        return [
            SearchResult(
                title=source.name,
                url=guide_url + self.guide.reverse_subpage("source", args=[source.slug]),
                kind_label=self.item_label,
                commune=source.commune.title if source.commune_id else "",
                detail=f"{source.financer.name} · {source.deadline_label(today)}",
                excerpt=excerpt(source.summary),
            )
            for source in records
        ]
