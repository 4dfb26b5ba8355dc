"""The call for needs: a commune's page listing its calls, each call's page, the needs and
ideas residents propose and the supports («Me too») they receive.

The MPRC diagnostic starts from what residents live: a call asks «What is missing in the
village?» for a few weeks; residents propose a need or an idea without an account (confirmed
by e-mail), support their neighbours' with one click, and the micro-parliament takes up the
most supported. What became of each need (kept for a priority, not kept, under
consideration) is shown on its page.

Needs and supports hold plain text only (escaped on output). The personal data (author's
first name and e-mail, supporters' e-mails) is erased by ``needs.calls.daily`` twelve months
after the call closes; the texts and the counts stay for the results.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.blocks.rich_text import RESTRICTED_FEATURES
from home.models import SiteSectionMixin
from mprc_cms.channels import Channel
from mprc_cms.text import fold


def default_index_intro():
    return "<p>{}</p>".format(
        gettext(
            "What is missing in the village? Say it here, or support what your neighbours "
            "asked for: the micro-parliament starts from the most supported needs and ideas."
        )
    )


def default_question():
    return gettext("What is missing in the village?")


class RoutesMixin:
    def subpage_url(self, request, name, *args):
        """The path of one of the page's routes, e.g. ``("manage", token)``."""
        return self.get_url(request) + self.reverse_subpage(name, args=args)


class NeedsIndexPage(RoutesMixin, RoutablePageMixin, SiteSectionMixin, Page):
    """“Needs and ideas”: the commune's calls for needs, open ones first."""

    intro = RichTextField(
        _("introduction"), features=RESTRICTED_FEATURES, blank=True, default=default_index_intro
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.CommunePage"]
    subpage_types = ["needs.CallForNeedsPage"]
    max_count_per_parent = 1
    template = "needs/index.html"

    class Meta:
        verbose_name = _("needs and ideas page")
        verbose_name_plural = _("needs and ideas pages")

    def calls(self):
        return CallForNeedsPage.objects.child_of(self).live().public().order_by("-opens_on")

    @path("")
    def index_route(self, request):
        from .views import index

        return index(request, self)

    @path("flux/", name="feed")
    def feed_route(self, request):
        from .feeds import CallsFeed

        return CallsFeed(self)(request)


class CallState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", pgettext_lazy("call for needs", "Open")
    CLOSED = "closed", pgettext_lazy("call for needs", "Closed")


class CallForNeedsPage(RoutesMixin, RoutablePageMixin, SiteSectionMixin, Page):
    """A call for needs: a question put to the residents between two dates."""

    question = models.CharField(_("question"), max_length=200, default=default_question)
    intro = RichTextField(_("introduction"), features=RESTRICTED_FEATURES, blank=True)
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    closes_on = models.DateField(
        _("closes on"), help_text=_("Last day residents can propose and support.")
    )
    themes = ParentalManyToManyField(
        "project_catalog.ProjectCategory",
        verbose_name=_("themes"),
        blank=True,
        related_name="+",
        help_text=_(
            "The themes residents choose from; none ticked: every theme. «Other» is always offered."
        ),
    )
    hamlets = models.TextField(
        _("hamlets"),
        blank=True,
        help_text=_("One per line. Left blank: the commune's hamlets."),
    )
    requires_approval = models.BooleanField(
        _("new needs wait for approval"),
        default=True,
        help_text=_(
            "When ticked, a confirmed need appears only once the town hall has approved it "
            "(and again after each change). Otherwise it appears at once, and staff "
            "moderate afterwards."
        ),
    )
    micro_parliament = models.ForeignKey(
        "parliament.MicroParliamentPage",
        verbose_name=_("micro-parliament"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The micro-parliament that takes up the needs. Left blank: the one serving the commune."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("question"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("opens_on"), FieldPanel("closes_on")], heading=_("Dates")),
        FieldPanel("themes"),
        FieldPanel("hamlets"),
        FieldPanel("micro_parliament"),
    ]
    settings_panels_call = [FieldPanel("requires_approval")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(settings_panels_call, heading=_("Moderation")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["needs.NeedsIndexPage"]
    subpage_types = []
    template = "needs/call.html"

    class Meta:
        verbose_name = _("call for needs")
        verbose_name_plural = _("calls for needs")

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The call must close after it opens.")})

    def hamlet_choices(self):
        """The hamlets residents choose from: the call's own list, or the commune's."""
        names = []
        for line in (self.hamlets or "").splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if names:
            return names
        commune = self.commune
        return commune.hamlet_list() if commune is not None else []

    def theme_choices(self):
        """The themes offered (ProjectCategory), then None for «Other»."""
        from project_catalog.api import ProjectCategory

        themes = list(self.themes.all()) if self.pk else []
        if not themes:
            themes = list(ProjectCategory.objects.all())
        return [*themes, None]

    def state(self, today=None):
        today = today or timezone.localdate()
        if today < self.opens_on:
            return CallState.UPCOMING
        if today > self.closes_on:
            return CallState.CLOSED
        return CallState.OPEN

    def is_open(self, today=None):
        return self.state(today) == CallState.OPEN

    def get_state_display(self, today=None):
        return CallState(self.state(today)).label

    def serving_micro_parliament(self):
        """The micro-parliament that takes up the needs: the chosen one, or the first
        serving the commune."""
        if self.micro_parliament_id:
            return self.micro_parliament
        commune = self.commune
        if commune is None:
            return None
        from parliament.api import micro_parliaments_serving

        pages = micro_parliaments_serving([commune]).get(commune.pk, [])
        return pages[0] if pages else None

    # Routes: the views live in needs/views.py.

    @path("", name="call")
    def call_route(self, request):
        from .views import call

        return call(request, self)

    @path("proposer/", name="propose")
    def propose_route(self, request):
        from .views import propose

        return propose(request, self)

    @path("proposer/envoye/", name="proposed")
    def proposed_route(self, request):
        from .views import proposed

        return proposed(request, self)

    @path("confirmer/<str:token>/", name="confirm")
    def confirm_route(self, request, token):
        from .views import confirm

        return confirm(request, self, token)

    @path("gerer/<str:token>/", name="manage")
    def manage_route(self, request, token):
        from .views import manage

        return manage(request, self, token)

    @path("mes-propositions/", name="link_request")
    def link_request_route(self, request):
        from .views import link_request

        return link_request(request, self)

    @path("besoin/<int:pk>/", name="need")
    def need_route(self, request, pk):
        from .views import need_detail

        return need_detail(request, self, pk)

    @path("soutien/confirmer/<str:token>/", name="support_confirm")
    def support_confirm_route(self, request, token):
        from .views import support_confirm

        return support_confirm(request, self, token)

    @path("resultats/", name="results")
    def results_route(self, request):
        from .views import results

        return results(request, self)


class NeedStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the e-mail confirmation")
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", pgettext_lazy("need", "Published")
    REJECTED = "rejected", pgettext_lazy("need", "Rejected")
    HIDDEN = "hidden", pgettext_lazy("need", "Hidden")


class NeedKind(models.TextChoices):
    NEED = "need", _("A need")
    IDEA = "idea", _("An idea")


class Outcome(models.TextChoices):
    OPEN = "open", _("Under consideration")
    KEPT = "kept", _("Kept by the micro-parliament")
    NOT_KEPT = "not_kept", _("Not kept")


class NeedQuerySet(models.QuerySet):
    def public(self):
        """Needs residents see."""
        return self.filter(status=NeedStatus.PUBLISHED)

    def with_supports(self):
        """Each need with ``support_count``: its confirmed supports."""
        return self.annotate(
            support_count=models.Count(
                "supports", filter=models.Q(supports__confirmed_at__isnull=False)
            )
        )

    def most_supported(self):
        return self.with_supports().order_by("-support_count", "-published_at", "-pk")


class Need(models.Model):
    """A need or an idea proposed by a resident (or typed by staff for one)."""

    call = models.ForeignKey(
        CallForNeedsPage,
        verbose_name=_("call for needs"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=NeedKind.choices, default=NeedKind.NEED
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=1500, blank=True)
    theme = models.ForeignKey(
        "project_catalog.ProjectCategory",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Blank: «Other»."),
    )
    hamlet = models.CharField(_("hamlet"), max_length=100, blank=True)
    first_name = models.CharField(
        _("first name"), max_length=60, blank=True, help_text=_("Shown publicly when given.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    wants_outcome = models.BooleanField(_("wants to know what becomes of it"), default=True)
    status = models.CharField(
        pgettext_lazy("need", "status"),
        max_length=12,
        choices=NeedStatus.choices,
        default=NeedStatus.UNCONFIRMED,
        db_index=True,
    )
    moderation_note = models.TextField(_("reason given to the author"), blank=True, max_length=1000)
    staff_answer = models.TextField(
        _("the town hall's answer"),
        blank=True,
        max_length=2000,
        help_text=_("Public: shown under the need."),
    )
    staff_answer_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    priority = models.ForeignKey(
        "parliament.ParliamentPriority",
        verbose_name=_("priority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_note = models.TextField(
        _("outcome note"),
        blank=True,
        max_length=1000,
        help_text=_("Public: why it was not kept, or what was done."),
    )
    outcome_decided_at = models.DateTimeField(_("outcome decided at"), null=True, blank=True)
    outcome_sent_at = models.DateTimeField(_("author told at"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("typed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("withdrawn from the list at"),
        null=True,
        blank=True,
        help_text=_("When the need was rejected or hidden."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    search_text = models.TextField(editable=False, blank=True, default="")

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need or idea")
        verbose_name_plural = _("needs and ideas")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["call", "status"], name="needs_need_call_status"),
            models.Index(fields=["commune", "status"], name="needs_need_commune_status"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def set_search_text(self):
        """Set what ``save()`` derives (call it before ``bulk_create``)."""
        self.search_text = fold(" ".join((self.title, self.description, self.hamlet)))
        return self

    @property
    def is_public(self):
        return self.status == NeedStatus.PUBLISHED

    def theme_display(self):
        return self.theme.name if self.theme_id else gettext("Other")


class Support(models.Model):
    """A resident's «Me too» on a need: counted once confirmed by e-mail."""

    need = models.ForeignKey(
        Need, verbose_name=_("need or idea"), on_delete=models.CASCADE, related_name="supports"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                "need",
                Lower("email"),
                condition=~models.Q(email=""),
                name="needs_support_unique_email",
            )
        ]
        indexes = [models.Index(fields=["need", "confirmed_at"], name="needs_support_counted")]

    def __str__(self):
        return f"{self.need_id} {self.created_at:%Y-%m-%d}"
