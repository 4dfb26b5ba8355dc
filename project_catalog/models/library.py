"""The network's library of project templates, and their published versions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.models import SiteSectionMixin, attach_communes, image_field
from mprc_cms import page_cache
from project_catalog.blocks import ResourcesBlock, StepsBlock

from .projects import ListingPage


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0")
    CC0 = "cc0-1.0", _("Public domain (CC0 1.0)")


LICENCE_URLS = {
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
}


def lines(text):
    """The non-empty lines of a “one per line” field."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class ProjectLibraryPage(ListingPage):
    """The network's library of project templates."""

    parent_page_types = ["home.NetworkHomePage"]
    subpage_types = ["project_catalog.ProjectTemplatePage"]
    max_count = 1
    template = "project_catalog/project_library_page.html"

    class Meta:
        verbose_name = _("project template library")
        verbose_name_plural = _("project template libraries")

    def listing(self, request):
        from project_catalog.listing import template_listing

        templates = ProjectTemplatePage.objects.child_of(self).live().public()
        return template_listing(request, templates)


ONE_PER_LINE = _("One per line.")


class ProjectTemplatePage(RoutablePageMixin, SiteSectionMixin, Page):
    """A reusable recipe for a project, that communes adopt and adapt."""

    # Read with the page when it is served (SiteSectionMixin.route): no query each.
    route_select_related = ("category", "image")

    category = models.ForeignKey(
        "project_catalog.ProjectCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="templates",
    )
    summary = models.TextField(
        _("summary"), max_length=280, help_text=_("One or two sentences, shown on the cards.")
    )
    problem = models.TextField(_("problem it answers"))
    image = image_field()
    steps = StreamField(StepsBlock(), verbose_name=_("steps"), blank=True)
    budget_min = models.PositiveIntegerField(_("typical budget from (€)"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("typical budget up to (€)"), null=True, blank=True)
    duration = models.CharField(
        _("typical duration"), max_length=60, blank=True, help_text=_("e.g. 3 to 4 months")
    )
    roles = models.TextField(_("roles and partners needed"), blank=True, help_text=ONE_PER_LINE)
    pitfalls = models.TextField(_("pitfalls"), blank=True, help_text=ONE_PER_LINE)
    success_factors = models.TextField(_("success factors"), blank=True, help_text=ONE_PER_LINE)
    resources = StreamField(ResourcesBlock(), verbose_name=_("resources"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_SA
    )
    origin = models.CharField(
        _("first done in"),
        max_length=200,
        blank=True,
        help_text=_("Where the project was first carried out, e.g. “Saint-Aubin (2026)”."),
    )
    origin_project = models.ForeignKey(
        "project_catalog.ProjectPage",
        verbose_name=_("project it comes from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Raise it when the recipe changes in substance: the earlier version stays "
            "readable. Keep it to correct a detail."
        ),
    )
    version_note = models.CharField(_("what changed in this version"), max_length=250, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("summary"),
                FieldPanel("problem"),
                FieldPanel("image"),
            ],
            heading=_("At a glance"),
        ),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("budget_min"), FieldPanel("budget_max")]),
                FieldPanel("duration"),
            ],
            heading=_("Budget and duration"),
        ),
        FieldPanel("roles"),
        FieldPanel("pitfalls"),
        FieldPanel("success_factors"),
        FieldPanel("resources"),
        MultiFieldPanel(
            [
                FieldPanel("licence"),
                FieldPanel("origin"),
                FieldPanel("origin_project", read_only=True),
                FieldRowPanel([FieldPanel("version"), FieldPanel("version_note")]),
            ],
            heading=_("Origin, licence and version"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("problem"),
        index.SearchField("steps"),
        index.SearchField("roles"),
        index.SearchField("origin"),
        index.FilterField("category"),
        index.FilterField("budget_min"),
    ]

    parent_page_types = ["project_catalog.ProjectLibraryPage"]
    subpage_types = []
    template = "project_catalog/project_template_page.html"

    class Meta:
        verbose_name = _("project template")
        verbose_name_plural = _("project templates")

    def clean(self):
        super().clean()
        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_max < self.budget_min
        ):
            raise ValidationError(
                {"budget_max": _("The upper bound must be at least the lower bound.")}
            )

    @cached_property
    def licence_label(self):
        return Licence(self.licence).label

    @cached_property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence)

    def role_list(self):
        return lines(self.roles)

    def pitfall_list(self):
        return lines(self.pitfalls)

    def success_factor_list(self):
        return lines(self.success_factors)

    def adoptions_for_display(self):
        """The projects adopted from this template that the catalogue shows, each with its
        commune."""
        from ..search import shown_projects

        projects = list(
            shown_projects()
            .filter(source_template=self)
            .select_related("category")
            .order_by("-first_published_at")
        )
        return attach_communes(projects)

    def adoptions_and_versions(self):
        """What the page shows around the template: its adoptions and its published
        versions (number, date, note; not their content). A memo of the page cache until
        anything changes, for a saved template; computed for a new one's preview."""

        def compute():
            versions = self.versions.order_by("-number").defer("content")
            return {"adoptions": self.adoptions_for_display(), "versions": list(versions)}

        if self.pk is None:
            return compute()
        return page_cache.memo(f"template-page:{self.pk}", [page_cache.ANY], compute)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from mprc_cms.communes import communes_for_user

        user = getattr(request, "user", None)
        context.update(
            # The button is for commune staff (who may adopt it), never for visitors.
            may_adopt=bool(
                user and user.is_authenticated and communes_for_user(user).live().exists()
            ),
            **self.adoptions_and_versions(),
            template_page=self,
            displayed_version=self.version,
        )
        return context

    @path("")
    def current(self, request):
        return self.render(request)

    @path("versions/<int:number>/", name="version")
    def earlier_version(self, request, number):
        """An earlier published version, as it was; the current one is the page itself."""
        version = self.versions.filter(number=number).first()
        if version is None:
            raise Http404
        if number == self.version and self.live:
            return redirect(self.url)
        old = version.as_page()
        return self.render(
            request,
            context_overrides={
                "page": old,
                "self": old,
                "shown_version": version,
                "displayed_version": version.number,
            },
        )


class TemplateVersion(models.Model):
    """A version of a template as it was last published under its number."""

    template = models.ForeignKey(
        ProjectTemplatePage, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=250, blank=True)
    published_at = models.DateTimeField(_("published at"))
    content = models.JSONField(_("content"), editable=False)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="unique_template_version")
        ]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")

    def __str__(self):
        return f"{self.template.title} — v{self.number}"

    def as_page(self):
        """The template page as it was in this version (not saved)."""
        page = self.template.with_content_json(self.content)
        page.pk = self.template.pk
        return page
