"""Published needs in the site search (declared in ``NeedsConfig.mprc_module``): only
published needs of live calls, and nothing of the author but the first name the call's
page shows."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mprc_cms.search import SearchKind, SearchResult, excerpt

from .models import CallForNeedsPage, Need


class NeedSearchKind(SearchKind):
    key = "needs"
    label = _("Needs and ideas")
    item_label = pgettext_lazy("noun", "Need or idea")
    order_by = ("-published_at", "-pk")
    # The folded text starts with the title: its start ranks as a title match.
    title_field = "search_text"

    def records(self):
        def calls():
            found = self.scope.within(CallForNeedsPage.objects.live().public())
            return {call.pk: call for call in found}

        self.calls = self.scope.memo("needs-calls", calls)
        if not self.calls:
            return None
        return Need.objects.public().filter(call__in=list(self.calls)).select_related("theme")

    def results(self, records, request):
        results = []
        for need in records:
            call = self.calls[need.call_id]
            details = [need.get_kind_display(), need.theme_display(), need.hamlet]
            results.append(
                SearchResult(
                    title=need.title,
                    url=call.get_url(request) + call.reverse_subpage("need", args=[need.pk]),
                    kind_label=self.item_label,
                    commune=call.commune.title if call.commune else "",
                    detail=" · ".join(str(detail) for detail in details if detail),
                    excerpt=excerpt(need.description),
                )
            )
        return results
