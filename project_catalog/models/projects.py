"""A commune's projects: its projects page and one page per project."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BaseStreamBlock
from home.blocks.rich_text import RESTRICTED_FEATURES
from home.models import SiteSectionMixin, image_field
from mprc_cms import page_cache
from mprc_cms.following import FEED_PATH, FEED_ROUTE
from mprc_cms.panels import InlinePanel

from ..sections import project_page_sections, section_stylesheets
from .status import PATH, ProjectStatus


class ListingPage(SiteSectionMixin, Page):
    """A public list with its filters (projects or templates): an introduction, then the
    list that the subclass's ``listing(request)`` builds (see project_catalog/listing.py)."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request))
        return context


class ProjectIndexPage(RoutablePageMixin, ListingPage):
    """A commune's projects page: the module is on when the commune has one. Its route
    ``flux/`` is the Atom feed of the commune's projects (project_catalog/following.py)."""

    has_feed = True
    parent_page_types = ["home.CommunePage"]
    subpage_types = ["project_catalog.ProjectPage"]
    max_count_per_parent = 1
    template = "project_catalog/project_list_page.html"

    class Meta:
        verbose_name = _("projects page")
        verbose_name_plural = _("projects pages")

    def listing(self, request):
        from project_catalog.listing import project_listing

        projects = ProjectPage.objects.child_of(self).live().public()
        return project_listing(request, projects, with_commune=False)

    @path(FEED_PATH, name=FEED_ROUTE)
    def feed_route(self, request):
        from project_catalog.following import ProjectsFeed

        return ProjectsFeed(self)(request)


class ProjectPage(SiteSectionMixin, Page):
    """A project of a commune, from the first idea to its results."""

    # Read with the page when it is served (SiteSectionMixin.route): no query each.
    route_select_related = ("category", "image")

    category = models.ForeignKey(
        "project_catalog.ProjectCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.IDEA,
        help_text=_("Where the project stands now. Record the date of each stage below."),
    )
    place = models.CharField(
        _("hamlet or place"),
        max_length=120,
        blank=True,
        help_text=_("Where it happens, e.g. “Place de l'Église” or “Hameau des Brosses”."),
    )
    summary = models.TextField(
        _("summary"), max_length=280, help_text=_("One or two sentences, shown on the cards.")
    )
    image = image_field()
    need = models.TextField(
        _("need it answers"),
        blank=True,
        help_text=_("The need found during the diagnostic, in the residents' words."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    results = RichTextField(
        _("results"),
        features=RESTRICTED_FEATURES,
        blank=True,
        help_text=_("What the project achieved: figures, testimonies, what you learnt."),
    )
    planned_budget = models.PositiveIntegerField(_("planned budget (€)"), null=True, blank=True)
    actual_budget = models.PositiveIntegerField(
        _("actual budget (€)"),
        null=True,
        blank=True,
        help_text=_("What was actually spent, once known."),
    )
    source_template = models.ForeignKey(
        "project_catalog.ProjectTemplatePage",
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
        help_text=_("The template of the network library this project started from."),
    )
    source_version = models.PositiveSmallIntegerField(
        _("template version"), null=True, blank=True, editable=False
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("status")]),
                FieldPanel("place"),
                FieldPanel("summary"),
                FieldPanel("image"),
            ],
            heading=_("At a glance"),
        ),
        InlinePanel(
            "milestones",
            heading=_("Stages and their dates"),
            label=_("Stage"),
            add_label=_("Add a stage"),
        ),
        FieldPanel("need"),
        FieldPanel("body"),
        InlinePanel(
            "carriers",
            heading=_("People and partners who carry it"),
            label=_("Person or partner"),
            add_label=_("Add a person or partner"),
            help_text=_("Publish a name only with the person's agreement."),
        ),
        FieldRowPanel(
            [FieldPanel("planned_budget"), FieldPanel("actual_budget")], heading=_("Budget")
        ),
        InlinePanel(
            "updates",
            heading=_("Progress updates"),
            label=_("Update"),
            add_label=_("Add a progress update"),
        ),
        FieldPanel("results"),
        FieldPanel("source_template", read_only=True),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("need"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.SearchField("results"),
        index.FilterField("category"),
        index.FilterField("status"),
    ]

    parent_page_types = ["project_catalog.ProjectIndexPage"]
    subpage_types = []
    template = "project_catalog/project_page.html"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def clean(self):
        super().clean()
        if self.status == ProjectStatus.COMPLETED and not (self.results or "").strip():
            raise ValidationError(
                {"results": _("Describe the results before marking the project completed.")}
            )

    @cached_property
    def status_label(self):
        return ProjectStatus(self.status).label

    def path_stages(self):
        """The MPRC path as (status, label, date, state) with state done/current/ahead,
        followed by a pause or abandonment when there is one."""
        dates = {}
        for status, date in sorted(self._children()["milestones"], key=lambda m: m[1]):
            dates.setdefault(status, date)
        current = ProjectStatus(self.status)
        if current in PATH:
            position = PATH.index(current)
        else:
            reached = [PATH.index(s) for s in PATH if s in dates]
            position = max(reached) if reached else -1
        stages = []
        for number, status in enumerate(PATH):
            if status == current:
                state = "current"
            elif number <= position:
                state = "done"
            else:
                state = "ahead"
            stages.append((status, status.label, dates.get(status), state))
        if current not in PATH:
            stages.append((current, current.label, dates.get(current), "current"))
        return stages

    def _children(self):
        """The project's carriers, news and milestones: a memo of the page cache for the
        published page (their changes bump the commune's scopes); read as they are for a
        preview or a revision (edited in memory, never kept)."""
        cached = self.__dict__.get("_children_found")
        if cached is not None:
            return cached

        def compute():
            return {
                "carriers": list(self.carriers.all()),
                "updates": sorted(self.updates.all(), key=lambda u: u.date, reverse=True),
                "milestones": [(m.status, m.date) for m in self.milestones.all()],
            }

        if getattr(self, "_cluster_related_objects", None) or self.pk is None:
            found = compute()  # children edited in memory (preview, revision)
        else:
            commune = self.commune
            scopes = page_cache.commune_scopes(commune) if commune else [page_cache.ANY]
            found = page_cache.memo(f"project-children:{self.pk}", scopes, compute)
        self.__dict__["_children_found"] = found
        return found

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            self.__dict__.pop("_children_found", None)
        children = self._children()
        context.update(carriers=children["carriers"], updates=children["updates"])
        # What other modules add (the funding guide's sections…), see project_catalog/sections.py.
        sections = project_page_sections(self, request)
        context.update(module_sections=sections, module_stylesheets=section_stylesheets(sections))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The sections other modules add may show its staff more than the public (the
        # funding guide's sources it could ask for): the page depends on who is signed in,
        # and a signed-in reader's is never kept by a shared cache. Reading request.user
        # makes the response vary on cookies (SessionMiddleware; the page cache says so on
        # the pages it keeps); the anonymous page is the same for every visitor, kept by
        # the page cache (mprc_cms/page_cache.py, which never reads or keeps a signed-in one).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class ProjectMilestone(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="milestones")
    status = models.CharField(_("stage"), max_length=20, choices=ProjectStatus.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("status"), FieldPanel("date")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")


class ProjectCarrier(Orderable):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        PARTNER = "partner", _("Partner organisation")

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="carriers")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("person or partner")
        verbose_name_plural = _("people and partners")


class ProjectUpdate(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=150)
    text = RichTextField(_("text"), features=RESTRICTED_FEATURES)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("title")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")


class ProjectCatalogPage(ListingPage):
    """The network's catalogue: every published project of every commune."""

    parent_page_types = ["home.NetworkHomePage"]
    subpage_types = []
    max_count = 1
    template = "project_catalog/project_list_page.html"

    class Meta:
        verbose_name = _("network project catalogue")
        verbose_name_plural = _("network project catalogues")

    def listing(self, request):
        from project_catalog.listing import project_listing

        projects = ProjectPage.objects.live().public()
        return project_listing(request, projects, with_commune=True)
