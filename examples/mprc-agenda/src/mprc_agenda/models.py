"""The agenda of a commune: an index page under the commune, an event page per event.

Pages give the module publishing, the audit log, the search, the sitemap and the
commune's page permissions for free. Nothing here is personal data.
"""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.models import SiteSectionMixin

from .filters import AgendaFilterForm
from .ical import calendar_response

EVENTS_PER_PAGE = 20
# How far back the agenda's iCal feed goes.
FEED_PAST_DAYS = 365


def today_start():
    """Midnight today, in the site's time zone: an event of today stays among the upcoming
    ones until the day is over."""
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


class AgendaPage(RoutablePageMixin, SiteSectionMixin, Page):
    """«Agenda»: the commune's upcoming events, the archive of past ones, the iCal feed."""

    intro = RichTextField(
        _("introduction"), features=["bold", "italic", "link", "ol", "ul"], blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.CommunePage"]
    subpage_types = ["mprc_agenda.EventPage"]
    max_count_per_parent = 1
    template = "mprc_agenda/agenda_page.html"

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def events(self):
        """The agenda's published events, with ``finish`` (their end, or their start)."""
        return (
            EventPage.objects.child_of(self)
            .live()
            .public()
            .annotate(finish=Coalesce("end", "start"))
        )

    def upcoming_events(self):
        return self.events().filter(finish__gte=today_start()).order_by("start", "pk")

    def past_events(self):
        return self.events().filter(finish__lt=today_start()).order_by("-start", "-pk")

    def _listing(self, request, events, *, archive):
        hamlets = (
            events.exclude(hamlet="").order_by("hamlet").values_list("hamlet", flat=True).distinct()
        )
        months = events.order_by().datetimes("start", "month")
        months = sorted({moment.date() for moment in months}, reverse=archive)
        form = AgendaFilterForm(request.GET, hamlets=list(hamlets), months=months)
        applied = form.applied()
        events = form.filter(events, applied)
        paginator = Paginator(events, EVENTS_PER_PAGE)
        try:
            events_page = paginator.page(request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(_("This page of the agenda does not exist.")) from error
        return self.render(
            request,
            template="mprc_agenda/agenda_page.html",
            context_overrides={
                "archive": archive,
                "filter_form": form,
                "filtered": bool(applied),
                "events_page": events_page,
                "query_string": urlencode(applied),
                "subpage_title": _("Past events") if archive else None,
            },
        )

    @path("", name="upcoming")
    def upcoming_route(self, request):
        return self._listing(request, self.upcoming_events(), archive=False)

    @path("archives/", name="archive")
    def archive_route(self, request):
        return self._listing(request, self.past_events(), archive=True)

    def ical_url(self):
        return reverse("mprc_agenda:agenda_ical", args=[self.pk])

    def ical(self, request):
        """The agenda's iCal feed: its events to come and those of the past year."""
        since = today_start() - datetime.timedelta(days=FEED_PAST_DAYS)
        events = self.events().filter(finish__gte=since).order_by("start", "pk")
        commune = self.commune
        name = f"{self.title} — {commune.title}" if commune else self.title
        return calendar_response(events, name, self.slug, request)


class EventPage(SiteSectionMixin, Page):
    """One event of the agenda: when, where, what; cancelled events stay, marked so."""

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Leave empty when the end is not known.")
    )
    place = models.CharField(
        _("place"), max_length=200, help_text=_("For instance: village hall, church square.")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    hamlet = models.CharField(
        _("hamlet"),
        max_length=100,
        blank=True,
        help_text=_("The hamlet (lieu-dit) where it takes place, if not the town centre."),
    )
    description = models.TextField(_("description"), blank=True)
    organiser = models.CharField(
        _("organiser"),
        max_length=200,
        blank=True,
        help_text=_("An association or a service, for instance: Foyer rural."),
    )
    link = models.URLField(_("link"), blank=True, help_text=_("A page with more details."))
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("Keep the page published: residents then see that it is cancelled."),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("When")),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("address"), FieldPanel("hamlet")],
            heading=_("Where"),
        ),
        FieldPanel("description"),
        FieldPanel("organiser"),
        FieldPanel("link"),
        FieldPanel("cancelled"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("place"),
        index.SearchField("hamlet"),
        index.SearchField("organiser"),
        index.FilterField("start"),
    ]

    parent_page_types = ["mprc_agenda.AgendaPage"]
    subpage_types = []
    template = "mprc_agenda/event_page.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must come after the start.")})

    def location_text(self):
        return ", ".join(part for part in (self.place, self.address, self.hamlet) if part)

    @property
    def is_past(self):
        return (self.end or self.start) < today_start()

    @property
    def same_day(self):
        if not self.end:
            return True
        return timezone.localdate(self.start) == timezone.localdate(self.end)

    def ical_url(self):
        return reverse("mprc_agenda:event_ical", args=[self.pk])

    def ical(self, request):
        return calendar_response([self], self.title, self.slug, request)

    def route(self, request, path_components):
        """An event is public only while its agenda is: unpublishing the agenda (switching
        the module off) takes its events off the site too."""
        parent = getattr(self, "_cached_parent_obj", None) or self.get_parent()
        if not parent.live:
            raise Http404
        return super().route(request, path_components)
