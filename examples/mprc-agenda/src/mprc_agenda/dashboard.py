"""The agenda on the admin dashboard (``ModuleInfo.dashboard_items``): in each commune's
block, how many events are coming and the next one, linked to the agenda's pages in the
admin. Two queries whatever the number of communes."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from mprc_cms.dashboard import INFO, DashboardItem, DashboardLink

from .models import AgendaPage, EventPage, today_start

ORDER = 60


def _commune_of(path, communes_by_path, steplen):
    for length in range(len(path) - steplen, 0, -steplen):
        commune = communes_by_path.get(path[:length])
        if commune is not None:
            return commune
    return None


def items(communes, user, today):
    communes = list(communes)
    if not communes:
        return {}
    steplen = AgendaPage.steplen
    by_path = {commune.path: commune for commune in communes}
    below = Q()
    for commune in communes:
        below |= Q(path__startswith=commune.path, depth=commune.depth + 1)
    agendas = {}
    for agenda in AgendaPage.objects.filter(below).only("pk", "path", "depth", "title"):
        commune = by_path.get(agenda.path[:-steplen])
        if commune is not None:
            agendas[commune.pk] = agenda
    under = Q()
    for agenda in agendas.values():
        under |= Q(path__startswith=agenda.path, depth=agenda.depth + 1)
    upcoming = {pk: [] for pk in agendas}
    if agendas:
        events = (
            EventPage.objects.live()
            .filter(under)
            .annotate(finish=Coalesce("end", "start"))
            .filter(finish__gte=today_start(), cancelled=False)
            .order_by("start", "pk")
            .only("pk", "path", "title", "start")
        )
        for event in events:
            commune = _commune_of(event.path, by_path, steplen)
            if commune is not None and commune.pk in upcoming:
                upcoming[commune.pk].append(event)
    result = {}
    for commune_pk, agenda in agendas.items():
        events = upcoming[commune_pk]
        add_url = reverse("wagtailadmin_pages:add", args=("mprc_agenda", "eventpage", agenda.pk))
        if events:
            first = events[0]
            text = ngettext(
                "%(count)s upcoming event", "%(count)s upcoming events", len(events)
            ) % {"count": len(events)}
            links = (
                DashboardLink(
                    first.title,
                    reverse("wagtailadmin_pages:edit", args=[first.pk]),
                    _("Next: %(date)s")
                    % {"date": formats.date_format(timezone.localtime(first.start), "j F, H:i")},
                ),
            )
        else:
            text = _("No upcoming event: add one")
            links = ()
        result[commune_pk] = [
            DashboardItem(
                label=pgettext("module", "Agenda"),
                text=text,
                url=reverse("wagtailadmin_explore", args=[agenda.pk]) if events else add_url,
                level=INFO,
                order=ORDER,
                links=links,
            )
        ]
    return result
