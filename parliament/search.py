"""Micro-parliament meetings in the site search (declared in
``ParticipationConfig.mprc_module``): the meetings of the published micro-parliament
pages, linked to their place on the page. In a commune's search, those of the
micro-parliaments that serve it (its own, and those that several communes share). Only
what the page shows (title, date, place, agenda, minutes): never members nor draws."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import get_text_for_indexing

from home.models import attach_communes
from mprc_cms.search import SearchKind, SearchResult, commune_label, excerpt

from .models import MicroParliamentPage, ParliamentMeeting


def meeting_anchor(meeting):
    """The id of the meeting's article on its micro-parliament page."""
    return f"reunion-{meeting.pk}"


class MeetingKind(SearchKind):
    key = "meetings"
    label = _("Micro-parliament meetings")
    item_label = _("Meeting")
    order_by = ("-starts_at", "-pk")

    def records(self):
        parliaments = MicroParliamentPage.objects.live().public()
        commune = self.scope.commune
        if commune is not None:
            serving = MicroParliamentPage.communes.through.objects.filter(communepage=commune)
            parliaments = parliaments.filter(
                Q(path__startswith=commune.path) | Q(pk__in=serving.values("microparliamentpage"))
            )
        elif self.scope.root is not None:
            parliaments = parliaments.descendant_of(self.scope.root, inclusive=True)
        return ParliamentMeeting.objects.filter(page__in=parliaments).select_related("page")

    def results(self, records, request):
        meetings = list(records)
        parliaments = {meeting.page_id: meeting.page for meeting in meetings}
        attach_communes(list(parliaments.values()))
        served = {}  # the communes each micro-parliament names, when it names any
        links = MicroParliamentPage.communes.through.objects.filter(
            microparliamentpage__in=list(parliaments)
        ).select_related("communepage")
        for link in links.order_by("communepage__title") if parliaments else []:
            served.setdefault(link.microparliamentpage_id, []).append(link.communepage)
        results = []
        for meeting in meetings:
            page = parliaments[meeting.page_id]
            when = date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT")
            agenda = get_text_for_indexing(meeting.agenda or meeting.minutes or "")
            results.append(
                SearchResult(
                    title=meeting.title,
                    url=f"{page.get_url(request)}#{meeting_anchor(meeting)}",
                    kind_label=self.item_label,
                    commune=commune_label(served.get(page.pk) or [page.commune]),
                    detail=" · ".join(detail for detail in (str(when), meeting.place) if detail),
                    excerpt=excerpt(agenda),
                    record=meeting,
                )
            )
        return results
