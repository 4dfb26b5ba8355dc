"""The example module's kind of search result: its idea-box pages (proves that a
module's kinds plug into the site search from its ModuleInfo alone). Its records, names
and e-mail addresses, are private and never searched."""

from home.models import attach_communes
from mprc_cms.search import SearchKind, SearchResult


class IdeaBoxKind(SearchKind):
    key = "idea-boxes"
    label = "Boîtes à idées"
    item_label = "Boîte à idées"
    title_field = "folded__search_title"
    text_field = "folded__search_text"
    order_by = ("path",)
    page_models = ("example_module.ExampleIndexPage",)

    def records(self):
        from .models import ExampleIndexPage

        return self.scope.within(ExampleIndexPage.objects.live().public())

    def results(self, records, request):
        pages = attach_communes(list(records))
        return [
            SearchResult(
                title=page.title,
                url=page.get_url(request),
                kind_label=self.item_label,
                commune=page.commune.title if page.commune else "",
            )
            for page in pages
        ]
