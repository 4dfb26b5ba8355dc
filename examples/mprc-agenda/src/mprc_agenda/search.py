"""The agenda's events in the site search (``ModuleInfo.search_kinds``): published events
of a published agenda, upcoming and past."""

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mprc_cms.search import SearchKind, SearchResult, children_of, excerpt

from .models import AgendaPage, EventPage


def communes_of(pages):
    """{page pk: its commune (or None)}, in one query whatever the number of pages."""
    commune_model = apps.get_model("home", "CommunePage")
    steplen = EventPage.steplen
    prefixes = {
        page.path[:length] for page in pages for length in range(steplen, len(page.path), steplen)
    }
    if not prefixes:
        return {}
    communes = {
        commune.path: commune
        for commune in commune_model.objects.filter(path__in=prefixes).only("title", "path")
    }
    result = {}
    for page in pages:
        result[page.pk] = next(
            (
                communes[page.path[:length]]
                for length in range(len(page.path) - steplen, 0, -steplen)
                if page.path[:length] in communes
            ),
            None,
        )
    return result


class EventKind(SearchKind):
    key = "events"
    label = _("Agenda events")
    item_label = pgettext_lazy("noun", "Event")
    title_field = "folded__search_title"
    text_field = "folded__search_text"
    order_by = ("-start", "-pk")
    page_models = ("mprc_agenda.EventPage",)

    def records(self):
        agendas = self.scope.within(AgendaPage.objects.live().public())
        events = self.scope.within(EventPage.objects.live().public())
        return children_of(events, agendas)

    def results(self, records, request):
        events = list(records)
        communes = communes_of(events)
        results = []
        for event in events:
            commune = communes.get(event.pk)
            when = formats.date_format(timezone.localtime(event.start), "j F Y, H:i")
            details = [when, event.place, event.hamlet]
            if event.cancelled:
                details.insert(0, str(pgettext_lazy("event", "Cancelled")))
            results.append(
                SearchResult(
                    title=event.title,
                    url=event.get_url(request),
                    kind_label=str(self.item_label),
                    commune=commune.title if commune else "",
                    detail=" · ".join(str(detail) for detail in details if detail),
                    excerpt=excerpt(event.description),
                    record=event,
                )
            )
        return results
