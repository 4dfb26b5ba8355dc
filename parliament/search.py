"""Micro-parliament meetings in the site search (declared in
``ParticipationConfig.mprc_module``): the meetings of the published micro-parliament
pages, linked to their place on the page. In a commune's search, those of the
micro-parliaments that serve it (its own, and those that several communes share). Only
what the page shows (title, date, place, agenda, minutes): never members nor draws.

The micro-parliaments themselves are pages (the pages' kind finds them); the public API
lists them and their published draws with the kinds at the end of this file, which no
search lists (``ModuleInfo.search_kinds`` names only the meetings)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import get_text_for_indexing

from home.models import attach_communes
from mprc_cms.communes import subtree_condition
from mprc_cms.search import SearchKind, SearchResult, commune_label, excerpt

from .models import MicroParliamentPage, ParliamentMeeting


def public_micro_parliaments(scope):
    """The published micro-parliament pages of ``scope``: in a commune's, those that serve
    it (its own, and those that several communes share); in the network's, those below the
    site's root. Never one below a commune that is not online. The public set of the
    meetings (here), and of the micro-parliaments and their draws in the API
    (``parliament.rest``)."""
    parliaments = MicroParliamentPage.objects.live().public()
    commune = scope.commune
    if commune is not None:
        serving = MicroParliamentPage.communes.through.objects.filter(communepage=commune)
        parliaments = parliaments.filter(
            Q(path__startswith=commune.path) | Q(pk__in=serving.values("microparliamentpage"))
        )
    elif scope.root is not None:
        parliaments = parliaments.descendant_of(scope.root, inclusive=True)
    if scope.offline_commune_paths:
        parliaments = parliaments.exclude(subtree_condition(scope.offline_commune_paths))
    return parliaments


def meeting_anchor(meeting):
    """The id of the meeting's article on its micro-parliament page."""
    return f"reunion-{meeting.pk}"


class MeetingKind(SearchKind):
    key = "meetings"
    label = _("Micro-parliament meetings")
    item_label = _("Meeting")
    order_by = ("-starts_at", "-pk")

    def records(self):
        parliaments = public_micro_parliaments(self.scope)
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
                )
            )
        return results


class MicroParliamentKind(SearchKind):
    """The published micro-parliaments of a scope, for the API (``/api/v1/micro-parliaments/``);
    the site search shows them among the pages."""

    key = "micro-parliaments"
    label = _("Micro-parliaments")
    item_label = _("Micro-parliament")
    title_field = "folded__search_title"
    text_field = "folded__search_text"
    order_by = ("title", "pk")

    def records(self):
        return public_micro_parliaments(self.scope)


class DrawKind(SearchKind):
    """The draws by lot that a public micro-parliament page publishes (their commitment is
    published; cancelled ones stay once published, as on the page), for the API
    (``/api/v1/draws/``). Never the pool, the audit file or who is behind a pseudonym."""

    key = "draws"
    label = _("Draws by lot")
    item_label = _("Draw by lot")
    order_by = ("-published_at", "-pk")

    def records(self):
        from .models import Draw

        return (
            Draw.objects.filter(
                micro_parliament__in=public_micro_parliaments(self.scope),
                published_at__isnull=False,
            )
            .exclude(lottery={})
            .select_related("micro_parliament")
        )
