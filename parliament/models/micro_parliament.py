"""The micro-parliament: its page (mandate, cycle, meetings, priorities) and its members."""

import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from home.blocks import BaseStreamBlock
from home.blocks.rich_text import RESTRICTED_FEATURES
from home.models import SiteSectionMixin
from mprc_cms import page_cache
from mprc_cms.communes import subtree_condition
from mprc_cms.panels import InlinePanel
from mprc_cms.text import fold


class Phase(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")
    ACTION = "action", _("Action")


class Role(models.TextChoices):
    DRAWN_RESIDENT = "drawn_resident", _("Resident drawn by lot")
    ELECTED = "elected", _("Elected official")
    LOCAL_ACTOR = "local_actor", _("Local actor")
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    GUARANTOR = "guarantor", _("Guarantor")


def project_page_type():
    """The page type a priority may link to: a project of the catalogue when that module is
    installed, any page otherwise."""
    if apps.is_installed("project_catalog"):
        return "project_catalog.ProjectPage"
    return "wagtailcore.Page"


def micro_parliaments_serving(communes, pages=None):
    """Map commune pk → the micro-parliament pages (of ``pages``, all by default) that serve
    it: those that chose it among their communes, and a commune's own page that chose none
    (see ``MicroParliamentPage.served_communes``). Two queries, whatever the number of
    communes."""
    communes = list(communes)
    if not communes:
        return {}
    pages = MicroParliamentPage.objects.all() if pages is None else pages
    pks = {commune.pk for commune in communes}
    through = MicroParliamentPage.communes.through
    chosen = through.objects.filter(communepage_id__in=pks).values("microparliamentpage_id")
    under = models.Q(depth__in={commune.depth + 1 for commune in communes}) & subtree_condition(
        [commune.path for commune in communes]
    )
    pages = list(pages.filter(models.Q(pk__in=chosen) | under))
    served = {}
    for page_id, commune_id in through.objects.filter(
        microparliamentpage_id__in=[page.pk for page in pages]
    ).values_list("microparliamentpage_id", "communepage_id"):
        served.setdefault(page_id, set()).add(commune_id)
    by_path = {commune.path: commune.pk for commune in communes}
    serving = {}
    for page in pages:
        parent = by_path.get(page.path[: -page.steplen])
        for commune_pk in (served.get(page.pk) or ({parent} if parent else set())) & pks:
            serving.setdefault(commune_pk, []).append(page)
    return serving


def take_part_pages(commune):
    """The micro-parliaments serving ``commune`` that its home lists under «Take part»
    (``ModuleInfo.commune_pages``): its own, or one it shares with its neighbours, which
    sits under the network home and is in no commune's menu."""
    pages = MicroParliamentPage.objects.live().public().order_by("path")
    text = _("Who sits in it, when it meets, its draws by lot and the projects it carries.")
    return [
        (page, text) for page in micro_parliaments_serving([commune], pages).get(commune.pk, [])
    ]


class MicroParliamentPage(RoutablePageMixin, SiteSectionMixin, Page):
    """A micro-parliament: under a commune, or under the network home when several communes
    share one. The one page residents read about it: what it is and how it works (the body),
    then its mandate, cycle, members, meetings, priorities and draws."""

    intro = RichTextField(_("introduction"), features=RESTRICTED_FEATURES, blank=True)
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("how it works"),
        blank=True,
        help_text=_(
            "What a micro-parliament is, who sits in it, how a cycle runs, frequent "
            "questions: shown before the members and the meetings."
        ),
    )
    mandate = RichTextField(
        _("mandate"),
        features=RESTRICTED_FEATURES,
        blank=True,
        help_text=_("What the council asked of the micro-parliament, and what it may decide."),
    )
    communes = ParentalManyToManyField(
        "home.CommunePage",
        verbose_name=_("communes"),
        blank=True,
        related_name="+",
        help_text=_("The communes it serves. Empty: the commune the page is in."),
    )
    cycle_name = models.CharField(
        _("cycle"),
        max_length=100,
        blank=True,
        help_text=_("E.g. “Cycle 1 — autumn 2026”."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("mandate"),
        FieldPanel("communes"),
    ]
    cycle_panels = [
        FieldPanel("cycle_name"),
        InlinePanel(
            "phases",
            heading=_("Phases of the cycle"),
            label=_("Phase"),
            add_label=_("Add a phase"),
        ),
        InlinePanel(
            "meetings", heading=_("Meetings"), label=_("Meeting"), add_label=_("Add a meeting")
        ),
        InlinePanel(
            "priorities",
            heading=_("Priorities and projects"),
            label=_("Priority or project"),
            add_label=_("Add a priority or project"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("mandate"),
        index.SearchField("cycle_name"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(cycle_panels, heading=_("Cycle and meetings")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["home.CommunePage", "home.NetworkHomePage"]
    subpage_types = []
    template = "parliament/micro_parliament_page.html"

    class Meta:
        verbose_name = _("micro-parliament")
        verbose_name_plural = _("micro-parliaments")

    def served_communes(self):
        """The communes the micro-parliament serves (the parent commune by default)."""
        CommunePage = apps.get_model("home", "CommunePage")
        chosen = list(self.communes.all()) if self.pk else []
        if chosen:
            return chosen
        parent = self.get_parent().specific if self.pk else None
        return [parent] if isinstance(parent, CommunePage) else []

    def page_cache_communes(self):
        """The communes whose pages show this micro-parliament (``mprc_cms.page_cache``):
        their homes list it under «Take part»."""
        return self.served_communes()

    def page_cache_scopes(self, request):
        """What the page depends on besides its own commune's data: the communes it serves
        (their names and pages are on it)."""
        return [page_cache.commune_scope(commune) for commune in self.served_communes()]

    def phase_rows(self, today=None, phases=None):
        """The cycle's phases in date order, each marked done, current or ahead.
        ``phases``: the page's phases when already read."""
        today = today or timezone.localdate()
        phases = self.phases.all() if phases is None else phases
        rows = []
        for phase in sorted(phases, key=lambda p: (p.starts_on, p.sort_order or 0)):
            if phase.ends_on < today:
                state = "done"
            elif phase.starts_on <= today:
                state = "current"
            else:
                state = "ahead"
            rows.append({"phase": phase, "state": state})
        return rows

    def current_phase(self, today=None):
        current = [row["phase"] for row in self.phase_rows(today) if row["state"] == "current"]
        return current[0] if current else None

    def upcoming_meetings(self, meetings=None):
        """The meetings not over yet (``meetings``: the page's, when already read)."""
        now = timezone.now()
        meetings = self.meetings.all() if meetings is None else meetings
        return [m for m in meetings if (m.ends_at or m.starts_at) >= now]

    def past_meetings(self, meetings=None):
        now = timezone.now()
        meetings = self.meetings.all() if meetings is None else meetings
        return [m for m in meetings if (m.ends_at or m.starts_at) < now][::-1]

    def public_members(self):
        return self.members.filter(left_on__isnull=True).order_by("role", "sort_name", "pk")

    def public_draws(self):
        from .draws import Draw

        return Draw.objects.filter(micro_parliament=self, published_at__isnull=False).order_by(
            "-published_at"
        )

    def subpage_url(self, request, name, *args):
        return self.get_url(request) + self.reverse_subpage(name, args=args)

    # Routes: the views live in parliament/views.py.

    @path("")
    def index(self, request):
        from ..views import parliament_page

        return parliament_page(request, self)

    @path("agenda/")
    def calendar(self, request):
        from ..views import calendar

        return calendar(request, self)

    @path("tirages/<int:draw_id>/")
    def draw(self, request, draw_id):
        from ..views import public_draw

        return public_draw(request, self, draw_id)

    @path("tirages/<int:draw_id>/fichier/")
    def draw_file(self, request, draw_id):
        from ..views import public_draw_file

        return public_draw_file(request, self, draw_id)

    @path("invitation/<str:token>/")
    def invitation(self, request, token):
        from ..views import invitation

        return invitation(request, self, token)


class ParliamentPhase(Orderable):
    page = ParentalKey(MicroParliamentPage, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("what happens"), blank=True, max_length=600)

    panels = [
        FieldPanel("phase"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.get_phase_display()

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must come after the start.")})


class ParliamentMeeting(Orderable):
    page = ParentalKey(MicroParliamentPage, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=200, help_text=_("E.g. “Salle des fêtes, Le Bourg”.")
    )
    agenda = RichTextField(_("agenda"), features=RESTRICTED_FEATURES, blank=True)
    minutes = RichTextField(
        _("minutes"),
        features=RESTRICTED_FEATURES,
        blank=True,
        help_text=_("What was said and decided, once the meeting is over."),
    )
    minutes_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("minutes (document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Folded (lower case, no accents) for the site search: the title, and the title with
    # the place, agenda and minutes.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place"),
        FieldPanel("agenda"),
        FieldPanel("minutes"),
        FieldPanel("minutes_document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_title", "search_text"}
        super().save(*args, **kwargs)

    def set_search_text(self):
        """Set the folded search columns (call it before ``bulk_create``)."""
        texts = [get_text_for_indexing(text or "") for text in (self.agenda, self.minutes)]
        self.search_title = fold(self.title)
        self.search_text = fold(" ".join([self.title, self.place, *texts]))
        return self

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})


class ParliamentPriority(Orderable):
    page = ParentalKey(MicroParliamentPage, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    project = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The project page it became, if any."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        PageChooserPanel("project", page_type=project_page_type()),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self):
        return self.title


class ParliamentMember(models.Model):
    """A member of a micro-parliament. Kept out of the page (and its revisions) because it is
    personal data: erasing a member erases them everywhere."""

    micro_parliament = models.ForeignKey(
        MicroParliamentPage,
        verbose_name=_("micro-parliament"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    commune = models.ForeignKey(
        "home.CommunePage",
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The commune whose staff manage this member."),
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("As it may appear on the public page.")
    )
    sort_name = models.CharField(max_length=150, editable=False, blank=True)
    role = models.CharField(
        pgettext_lazy("member of a group", "role"), max_length=20, choices=Role.choices
    )
    organisation = models.CharField(
        _("organisation or mandate"),
        max_length=150,
        blank=True,
        help_text=_("E.g. “Deputy mayor”, “Familles Rurales association”."),
    )
    show_name = models.BooleanField(
        _("name shown on the public page"),
        default=False,
        help_text=_("Only with the member's agreement. Otherwise the page shows the role only."),
    )
    volunteer = models.OneToOneField(
        "participation.Volunteer",
        verbose_name=_("person in the lists"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership",
    )
    draw = models.ForeignKey(
        "parliament.Draw",
        verbose_name=_("draw"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("member of a micro-parliament")
        verbose_name_plural = _("members of micro-parliaments")
        ordering = ["micro_parliament", "role", "sort_name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_name = self.name.casefold()
        super().save(*args, **kwargs)

    @property
    def public_name(self):
        return self.name if self.show_name else self.get_role_display()


class MeetingReminder(models.Model):
    """A reminder e-mail sent to a member before a meeting: a second run of the daily job
    sends it no second time. Erased with the member."""

    meeting_uid = models.UUIDField(_("meeting"))
    member = models.ForeignKey(
        ParliamentMember,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="meeting_reminders",
    )
    sent_at = models.DateTimeField(_("sent on"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_uid", "member"], name="parliament_meeting_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.meeting_uid} → {self.member_id}"
