"""The funding guide: who pays for what, until when, and what each commune asked for.

- :class:`FundingSource`: a programme a commune (or its associations, residents…) can
  apply to. Network coordinators keep the shared sources (no commune); a commune adds its
  local ones, visible to itself or shared with the network.
- :class:`FundingApplication`: a project's application to a source, its amounts, status,
  dates and documents (commune data, scoped like every other).
- :class:`DeadlineAlert`: a staff member's opt-in e-mail alert about deadlines.
- :class:`FundingGuidePage`: the commune's (or the network's) public guide.
"""

import datetime
import itertools
import os

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import LazyObject, cached_property, empty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from home.models import SiteSectionMixin
from mprc_cms import page_cache
from mprc_cms.encryption import EncryptedTextField
from mprc_cms.fields import HttpsURLField
from mprc_cms.panels import InlinePanel
from mprc_cms.slugs import slug_for
from mprc_cms.text import fold

from .territories import (
    DEPARTMENT_CHOICES,
    DEPARTMENTS,
    REGION_CHOICES,
    REGIONS,
    department_of,
    region_of,
)
from .windows import CLOSING_SOON_DAYS, Timing, current_window

__all__ = [
    "AidesTerritoiresSettings",
    "AidesTerritoiresSync",
    "ApplicantType",
    "ApplicationDocument",
    "ApplicationStatus",
    "DeadlineAlert",
    "DeadlineNotice",
    "Financer",
    "FundingApplication",
    "FundingGuidePage",
    "FundingKind",
    "FundingSource",
    "Scope",
    "Timing",
]


# The guide's route of the deadlines feed: no source may take it as its slug.
DEADLINES_ROUTE = "echeances"


class Financer(models.Model):
    """Who pays: the State, an agency, a region, a LEADER group, a foundation…"""

    class Level(models.TextChoices):
        STATE = "state", _("State")
        STATE_AGENCY = "agency", _("State agency or operator")
        EUROPE = "europe", _("European Union")
        REGION = "region", _("Region")
        DEPARTMENT = "department", _("Department")
        INTERCOMMUNALITY = "intercommunality", _("Intercommunality or territory")
        PUBLIC_BANK = "bank", _("Public bank")
        SOCIAL_PROTECTION = "social", _("Social protection body")
        FOUNDATION = "foundation", _("Foundation or company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    level = models.CharField(_("kind"), max_length=20, choices=Level.choices, default=Level.STATE)
    website = HttpsURLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("financer")
        verbose_name_plural = _("financers")

    def __str__(self):
        return self.name


class ApplicantType(models.Model):
    """Who may apply (communes, associations, young people…): network-wide, seeded by a
    migration, extended by coordinators."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The name in web addresses and import files."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("type of applicant")
        verbose_name_plural = _("types of applicant")

    def __str__(self):
        return self.name


class FundingKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    ENGINEERING = "engineering", _("Engineering support")
    CALL = "call", _("Call for projects")
    PRIZE = "prize", _("Prize")


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("Region")
    DEPARTMENT = "department", _("Department")
    TERRITORY = "territory", _("A named territory")


def visibility(communes):
    """The condition of :meth:`SourceQuerySet.visible_to`, for any queryset of sources."""
    condition = Q(commune__isnull=True) | Q(shared=True)
    if isinstance(communes, models.Model):
        condition |= Q(commune=communes)
    elif communes is not None:
        condition |= Q(commune__in=communes)
    return condition


class SourceQuerySet(models.QuerySet):
    def visible_to(self, communes):
        """The sources ``communes`` see: the network's, those shared by any commune, and
        their own private ones. ``communes``: one commune, a queryset of communes, or None
        (the network's guide)."""
        return self.filter(visibility(communes))

    def fitting_area(self, commune):
        """The sources whose geographic scope covers the commune."""
        territory = FundingSource.territory_communes.through.objects.filter(
            fundingsource=OuterRef("pk")
        )
        in_territory = Exists(territory.filter(communepage=commune)) | (
            Q(commune=commune) & ~Exists(territory)
        )
        return self.filter(
            Q(scope=Scope.NATIONAL)
            | Q(scope=Scope.REGION, region=region_of(commune.insee_code))
            | Q(scope=Scope.DEPARTMENT, department=department_of(commune.insee_code))
            | (Q(scope=Scope.TERRITORY) & in_territory)
        )

    def online(self):
        """Without the sources of a commune not online (not published yet, or any more):
        nothing of such a commune is public, its shared sources included. What a guide,
        the search and the API show; the admin keeps them for the staff."""
        return self.filter(Q(commune__isnull=True) | Q(commune__live=True))

    def for_commune(self, commune):
        """What a commune's guide lists: visible to it and covering its area, of communes
        online."""
        return self.visible_to(commune).fitting_area(commune).online()

    def for_category(self, category):
        """The sources that fit a project category (a source without any fits all)."""
        links = FundingSource.categories.through.objects.filter(fundingsource=OuterRef("pk"))
        return self.filter(Exists(links.filter(projectcategory=category)) | ~Exists(links))

    def not_closed(self, today):
        """Without the dated sources whose deadline has passed."""
        return self.exclude(window_end__lt=today)

    def open_on(self, today):
        return self.filter(Q(window_start__isnull=True) | Q(window_start__lte=today)).filter(
            Q(window_end__isnull=True) | Q(window_end__gte=today)
        )

    def closing_within(self, today, days):
        return self.open_on(today).filter(
            window_end__gte=today, window_end__lte=today + datetime.timedelta(days=days)
        )

    def by_closing_date(self):
        """Open ones first, the nearest deadline first; no deadline last."""
        return self.order_by(models.F("window_end").asc(nulls_last=True), "name")

    def roll_forward(self, today):
        """Move yearly sources whose window has closed to their next window (normally done
        by the daily job; lists call it too, so a missed day changes nothing)."""
        stale = list(self.model.objects.filter(timing=Timing.YEARLY, window_end__lt=today))
        for source in stale:
            source.set_window(today)
        if stale:
            self.model.objects.bulk_update(stale, ["window_start", "window_end"])
            page_cache.changed(*stale)
        return len(stale)

    def rolled_forward(self, today):
        """:meth:`roll_forward`, at most once a day until anything changes (a memo of the
        page cache): what the lists call before reading, without a query each time."""
        return page_cache.memo(
            f"funding-rolled-forward:{today.isoformat()}",
            [page_cache.ANY],
            lambda: self.roll_forward(today),
        )


class FundingSource(models.Model):
    """A programme that pays for (or helps with) projects like the network's."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The name in web addresses and import files; made from the name if empty."),
    )
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Two or three sentences, shown in the list.")
    )
    financer = models.ForeignKey(
        Financer,
        verbose_name=_("financer"),
        on_delete=models.PROTECT,
        related_name="sources",
        help_text=_("Who pays. Amounts obtained are summed per financer."),
    )
    co_financers = models.CharField(
        _("other financers"),
        max_length=200,
        blank=True,
        help_text=_(
            "Partners who also pay or run the programme, e.g. “CNSA, caisses de retraite”."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FundingKind.choices)
    applicants = models.ManyToManyField(
        ApplicantType, verbose_name=_("who may apply"), blank=True, related_name="sources"
    )
    categories = models.ManyToManyField(
        "project_catalog.ProjectCategory",
        verbose_name=_("project categories"),
        blank=True,
        related_name="funding_sources",
        help_text=_("Leave empty when the source fits every kind of project."),
    )
    themes = models.CharField(
        _("themes"),
        max_length=200,
        blank=True,
        help_text=_("Key words, separated by commas, e.g. “mobility, ageing well”."),
    )
    scope = models.CharField(
        _("geographic scope"), max_length=20, choices=Scope.choices, default=Scope.NATIONAL
    )
    region = models.CharField(_("region"), max_length=3, choices=REGION_CHOICES, blank=True)
    department = models.CharField(
        _("department"), max_length=3, choices=DEPARTMENT_CHOICES, blank=True
    )
    territory_name = models.CharField(
        _("territory"),
        max_length=150,
        blank=True,
        help_text=_("E.g. the LEADER group or the intercommunality that runs the programme."),
    )
    territory_communes = models.ManyToManyField(
        "home.CommunePage",
        verbose_name=_("communes of the network in the territory"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for a commune's own source: it then covers that commune."),
    )
    covers_investment = models.BooleanField(_("investment"), default=False)
    covers_operating = models.BooleanField(_("operating costs"), default=False)
    covers_studies = models.BooleanField(_("studies and engineering"), default=False)
    description = models.TextField(
        _("what it pays for"),
        blank=True,
        max_length=3000,
        help_text=_("Eligible expenses and conditions, in plain words."),
    )
    amount_min = models.PositiveIntegerField(_("minimum amount (€)"), null=True, blank=True)
    amount_max = models.PositiveIntegerField(_("maximum amount (€)"), null=True, blank=True)
    rate_min = models.PositiveSmallIntegerField(
        _("minimum rate (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    rate_max = models.PositiveSmallIntegerField(
        _("maximum rate (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    amount_comment = models.TextField(
        _("about the amounts"),
        blank=True,
        max_length=500,
        help_text=_("E.g. “set each year by the prefect's committee”. Write only sourced figures."),
    )
    timing = models.CharField(
        _("when to apply"), max_length=20, choices=Timing.choices, default=Timing.DATED
    )
    opens_on = models.DateField(_("opening date"), null=True, blank=True)
    closes_on = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        help_text=_("For a source that recurs every year, the day and month count, not the year."),
    )
    how_to_apply = models.TextField(_("how to apply"), blank=True, max_length=2000)
    url = HttpsURLField(_("official page"), max_length=500, blank=True)
    contact = models.TextField(
        _("contact"),
        blank=True,
        max_length=400,
        help_text=_("A service or office to ask, never a person's private details."),
    )
    checked_on = models.DateField(
        _("last checked on"),
        default=timezone.localdate,
        help_text=_("When someone last compared this record with the official page."),
    )
    checked_by = models.CharField(_("checked by"), max_length=120, blank=True)
    commune = models.ForeignKey(
        "home.CommunePage",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funding_sources",
        help_text=_("Empty for a source of the whole network, kept by its coordinators."),
    )
    shared = models.BooleanField(
        _("shared with the network"),
        default=False,
        help_text=_("A commune's source: show it in the other communes' guides too."),
    )
    # The window open today, else the next one (see windows.py); kept up to date on save
    # and by the daily job, so that lists filter and sort in SQL.
    window_start = models.DateField(null=True, blank=True, editable=False)
    window_end = models.DateField(null=True, blank=True, editable=False, db_index=True)
    # Folded (lower case, no accents) for the guide's and the site's search: the name, and
    # the name with the summary, themes, description and other financers.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True)
    # Imported from Aides-territoires (aides_territoires.py): the aid's id there, its page
    # there, the last sync that saw it and the day it was no longer listed (then closed).
    aides_territoires_id = models.PositiveIntegerField(
        _("Aides-territoires identifier"), null=True, blank=True, unique=True, editable=False
    )
    aides_territoires_url = HttpsURLField(
        _("page on Aides-territoires"), max_length=500, blank=True, editable=False
    )
    synced_at = models.DateTimeField(_("last synchronised"), null=True, blank=True, editable=False)
    removed_upstream_on = models.DateField(
        _("no longer on Aides-territoires since"), null=True, blank=True, editable=False
    )
    application_url = HttpsURLField(_("online application"), max_length=500, blank=True)
    local_notes = models.TextField(
        _("local notes"),
        blank=True,
        max_length=2000,
        help_text=_(
            "The network's own remarks, for the staff (not shown on the public pages); a "
            "synchronisation with Aides-territoires never changes them."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        if self.scope != Scope.REGION:
            self.region = ""
        if self.scope != Scope.DEPARTMENT:
            self.department = ""
        if self.timing == Timing.PERMANENT:
            self.opens_on = self.closes_on = None
        self.set_window(timezone.localdate())
        self.set_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "window_start",
                "window_end",
                "search_title",
                "search_text",
            }
        super().save(*args, **kwargs)

    # What decides which communes' guides show a source (``page_cache_communes``).
    _REACH_FIELDS = ("commune_id", "shared", "scope", "region", "department")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if all(name in instance.__dict__ for name in cls._REACH_FIELDS):
            instance._loaded_reach = instance._reach()
        return instance

    def _reach(self):
        return tuple(getattr(self, name) for name in self._REACH_FIELDS)

    def page_cache_communes(self):
        """The communes whose pages show this source besides its territory's
        (``mprc_cms.page_cache``): the network's and the shared sources are in every guide
        whose area they cover, a commune's private one in its guide only; every source is
        on the project pages of the communes that applied to it.
        The reach it had when loaded counts too, so that un-sharing it or narrowing its
        area purges the guides it leaves."""
        reaches = {self._reach(), getattr(self, "_loaded_reach", None)} - {None}
        communes = set()
        for commune_id, shared, scope, region, department in reaches:
            if commune_id is not None:
                communes.add(commune_id)
            if (commune_id is not None and not shared) or scope == Scope.TERRITORY:
                continue  # its commune's guide, or its territory's (a many-to-many)
            for pk, insee in apps.get_model("home", "CommunePage").objects.values_list(
                "pk", "insee_code"
            ):
                if (
                    scope == Scope.NATIONAL
                    or (scope == Scope.REGION and region_of(insee) == region)
                    or (scope == Scope.DEPARTMENT and department_of(insee) == department)
                ):
                    communes.add(pk)
        if self.pk is not None:
            # The communes whose project pages show it among their funding (obtained, or
            # asked for), whatever its reach.
            communes.update(self.applications.values_list("commune_id", flat=True))
        return communes

    def set_search_text(self):
        """Set the folded search columns (call it before ``bulk_create``)."""
        self.search_title = fold(self.name)
        self.search_text = fold(
            " ".join((self.name, self.summary, self.themes, self.description, self.co_financers))
        )
        return self

    def clean(self):
        super().clean()
        errors = {}
        if self.slug == DEADLINES_ROUTE:
            errors["slug"] = _("This name is used by the guide's calendar; choose another.")
        if self.amount_min and self.amount_max and self.amount_min > self.amount_max:
            errors["amount_max"] = _("The maximum amount is below the minimum.")
        if self.rate_min and self.rate_max and self.rate_min > self.rate_max:
            errors["rate_max"] = _("The maximum rate is below the minimum.")
        if self.scope == Scope.REGION and not self.region:
            errors["region"] = _("Choose the region of a regional source.")
        if self.scope == Scope.DEPARTMENT and not self.department:
            errors["department"] = _("Choose the department of a departmental source.")
        if self.scope == Scope.TERRITORY and not self.territory_name:
            errors["territory_name"] = _("Name the territory the source covers.")
        if self.timing == Timing.YEARLY and not self.closes_on:
            errors["closes_on"] = _("A source that recurs every year needs its closing day.")
        if (
            self.timing == Timing.DATED
            and self.opens_on
            and self.closes_on
            and self.opens_on > self.closes_on
        ):
            errors["closes_on"] = _("The closing date is before the opening date.")
        if self.timing == Timing.YEARLY and self.opens_on == self.closes_on and self.opens_on:
            errors["closes_on"] = _("The closing day is the opening day.")
        if self.shared and self.commune_id is None:
            self.shared = False
        if errors:
            raise ValidationError(errors)

    def _free_slug(self):
        base = slug_for(self.name, "financement", max_length=90)
        if base == DEADLINES_ROUTE:
            base = f"{base}-{self.financer_id or 1}"
        taken = set(
            FundingSource.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def set_window(self, today):
        window = current_window(self.timing, self.opens_on, self.closes_on, today)
        self.window_start, self.window_end = window.start, window.end

    # What the pages show

    def state(self, today=None):
        """``permanent``, ``open``, ``closing_soon``, ``upcoming`` or ``closed``."""
        today = today or timezone.localdate()
        if self.timing == Timing.PERMANENT:
            return "permanent"
        if self.window_end is not None and self.window_end < today:
            return "closed"
        if self.window_start is not None and self.window_start > today:
            return "upcoming"
        if self.window_end is not None and (self.window_end - today).days <= CLOSING_SOON_DAYS:
            return "closing_soon"
        return "open"

    def deadline_label(self, today=None):
        """The state in words: «Ouvert jusqu'au …», «Clôture proche : …», «Ouvre le …»…"""
        state = self.state(today)
        if state == "permanent":
            return Timing.PERMANENT.label
        if state == "upcoming":
            return _("Opens on %(date)s") % {"date": date_format(self.window_start)}
        if self.window_end is None:
            return _("Open, no deadline announced")
        labels = {
            "closing_soon": _("Closes soon: %(date)s"),
            "open": _("Open until %(date)s"),
            "closed": _("Closed on %(date)s"),
        }
        return labels[state] % {"date": date_format(self.window_end)}

    @cached_property
    def area_label(self):
        if self.scope == Scope.REGION:
            return REGIONS.get(self.region, "")
        if self.scope == Scope.DEPARTMENT:
            name = DEPARTMENTS.get(self.department, ("", ""))[0]
            return f"{name} ({self.department})" if name else ""
        if self.scope == Scope.TERRITORY:
            return self.territory_name
        return Scope.NATIONAL.label

    def pays_for(self):
        return [
            label
            for covered, label in (
                (self.covers_investment, _("investment")),
                (self.covers_operating, _("operating costs")),
                (self.covers_studies, _("studies and engineering")),
            )
            if covered
        ]

    def theme_list(self):
        return [theme.strip() for theme in self.themes.split(",") if theme.strip()]

    @property
    def is_imported(self):
        """Kept up to date from Aides-territoires."""
        return self.aides_territoires_id is not None

    @property
    def has_amounts(self):
        return any(
            value is not None
            for value in (self.amount_min, self.amount_max, self.rate_min, self.rate_max)
        )


class ApplicationStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")


OBTAINED = (ApplicationStatus.GRANTED, ApplicationStatus.PAID)


class ApplicationQuerySet(models.QuerySet):
    def obtained(self):
        return self.filter(status__in=OBTAINED)


class PrivateStorage(LazyObject):
    """The storage "private" of ``STORAGES`` (a folder outside MEDIA_ROOT by default, or a
    private bucket), looked up when first used and again after the setting changes."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    """Application documents: never under MEDIA_ROOT, served only to the commune's staff
    (the admin view streams them from the storage)."""
    return _private_storage


class FundingApplication(ClusterableModel):
    """A project's application to a funding source."""

    commune = models.ForeignKey(
        "home.CommunePage",
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="funding_applications",
    )
    project = models.ForeignKey(
        "project_catalog.ProjectPage",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="funding_applications",
    )
    source = models.ForeignKey(
        FundingSource,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        pgettext_lazy("funding application", "status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PREPARING,
    )
    amount_requested = models.PositiveIntegerField(_("amount asked (€)"), null=True, blank=True)
    amount_granted = models.PositiveIntegerField(
        _("amount granted (€)"),
        null=True,
        blank=True,
        help_text=_("Once the financer has decided."),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decision on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.TextField(
        _("notes"),
        blank=True,
        max_length=2000,
        help_text=_("For the staff only: who follows the file, what is missing…"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("commune"), FieldPanel("project"), FieldPanel("source")],
            heading=_("Application"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("amount_requested"), FieldPanel("amount_granted")]),
                FieldRowPanel(
                    [FieldPanel("submitted_on"), FieldPanel("decided_on"), FieldPanel("paid_on")]
                ),
            ],
            heading=_("Where it stands"),
        ),
        InlinePanel(
            "documents",
            heading=_("Documents"),
            label=_("Document"),
            add_label=_("Add a document"),
        ),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self):
        return f"{self.project} — {self.source}"

    @property
    def is_obtained(self):
        return self.status in OBTAINED

    def clean(self):
        super().clean()
        errors = {}
        project = getattr(self, "project", None) if self.project_id else None
        commune = getattr(self, "commune", None) if self.commune_id else None
        if (
            project is not None
            and commune is not None
            and not project.path.startswith(commune.path)
        ):
            errors["project"] = _("This project belongs to another commune.")
        if (
            self.source_id
            and commune is not None
            and not FundingSource.objects.visible_to(commune).filter(pk=self.source_id).exists()
        ):
            errors["source"] = _("This source is not available to this commune.")
        status = self.status
        if status != ApplicationStatus.PREPARING and not self.submitted_on:
            errors["submitted_on"] = _("Give the date the application was submitted.")
        if status in (*OBTAINED, ApplicationStatus.REFUSED) and not self.decided_on:
            errors["decided_on"] = _("Give the date of the financer's decision.")
        if status in OBTAINED and self.amount_granted is None:
            errors["amount_granted"] = _("Give the amount granted.")
        if status == ApplicationStatus.PAID and not self.paid_on:
            errors["paid_on"] = _("Give the date the money was received.")
        if status not in OBTAINED and self.amount_granted:
            errors["amount_granted"] = _("An amount is granted only once the status says so.")
        today = timezone.localdate()
        for name in ("submitted_on", "decided_on", "paid_on"):
            value = getattr(self, name)
            if value and value > today and name not in errors:
                errors[name] = _("This date is in the future.")
        order = [(n, getattr(self, n)) for n in ("submitted_on", "decided_on", "paid_on")]
        dated = [(n, v) for n, v in order if v]
        for (_earlier, before), (later, after) in itertools.pairwise(dated):
            if after < before and later not in errors:
                errors[later] = _("This date comes before the previous step.")
        if errors:
            raise ValidationError(errors)


DOCUMENT_EXTENSIONS = ["pdf", "odt", "ods", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]
MAX_DOCUMENT_SIZE = 10 * 1024 * 1024


def validate_document_size(file):
    if file.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(_("The file is larger than 10 MB."))


def document_path(instance, filename):
    name, extension = os.path.splitext(filename)
    stamp = timezone.now().strftime("%Y/%m")
    return f"funding/{stamp}/{slug_for(name, 'document', 60)}{extension.lower()}"


class ApplicationDocument(Orderable):
    application = ParentalKey(
        FundingApplication, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=document_path,
        max_length=255,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            validate_document_size,
        ],
        help_text=_("PDF, office document or picture, 10 MB at most. Seen by staff only."),
    )

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("file")])]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class DeadlineAlert(models.Model):
    """A staff member's e-mail alert: sources fitting the commune's projects whose
    deadline comes within ``days`` days."""

    class Days(models.IntegerChoices):
        WEEK = 7, _("7 days before")
        FORTNIGHT = 14, _("14 days before")
        MONTH = 30, _("30 days before")
        TWO_MONTHS = 60, _("60 days before")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_alerts"
    )
    commune = models.ForeignKey(
        "home.CommunePage", on_delete=models.CASCADE, related_name="deadline_alerts"
    )
    days = models.PositiveSmallIntegerField(_("warn me"), choices=Days.choices, default=Days.MONTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "commune"], name="one_alert_per_commune")
        ]
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")

    def __str__(self):
        return f"{self.user} — {self.commune} ({self.days})"


class DeadlineNotice(models.Model):
    """A deadline already announced by an alert, so that it is announced once."""

    alert = models.ForeignKey(DeadlineAlert, on_delete=models.CASCADE, related_name="notices")
    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="+")
    closes_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "source", "closes_on"], name="one_notice_per_deadline"
            )
        ]

    def __str__(self):
        return f"{self.source_id} — {self.closes_on}"


def validate_identifiers(value):
    """Comma-separated identifiers of Aides-territoires (letters, digits, dashes)."""
    for item in value.split(","):
        item = item.strip()
        if item and not all(char.isascii() and (char.isalnum() or char in "-_") for char in item):
            raise ValidationError(
                _("“%(value)s” is not an identifier of Aides-territoires."),
                params={"value": item},
            )


class AidesTerritoiresSettings(models.Model):
    """The network's link to Aides-territoires (one row, :meth:`load`): its API key, its
    territory and the themes to import; the daily job synchronises when enabled."""

    enabled = models.BooleanField(
        _("synchronise every day"),
        default=False,
        help_text=_("The daily job imports the aids that fit and updates those imported."),
    )
    # Encrypted in the database (mprc_cms.encryption).
    api_key = EncryptedTextField(_("API key"), blank=True)
    perimeter = models.CharField(
        _("territory"),
        max_length=100,
        blank=True,
        validators=[validate_identifiers],
        help_text=_(
            "The identifier of the territory on Aides-territoires, e.g. “70973-saone-et-loire”: "
            "the aids available there are imported."
        ),
    )
    audiences = models.CharField(
        _("who may apply"),
        max_length=200,
        default="commune",
        validators=[validate_identifiers],
        help_text=_("Targeted audiences of Aides-territoires, separated by commas."),
    )
    categories = models.CharField(
        _("themes"),
        max_length=500,
        blank=True,
        validators=[validate_identifiers],
        help_text=_(
            "Categories of Aides-territoires (their slugs), separated by commas; empty: every "
            "theme."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Aides-territoires settings")
        verbose_name_plural = _("Aides-territoires settings")

    def __str__(self):
        return str(_("Aides-territoires settings"))

    @classmethod
    def load(cls):
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @property
    def key_hint(self):
        """The key as the admin may show it: its last four characters at most."""
        if not self.api_key:
            return ""
        return "…" + self.api_key[-4:] if len(self.api_key) > 8 else "…"

    @property
    def is_ready(self):
        return bool(self.api_key and self.perimeter)

    def split(self, name):
        return [item.strip() for item in getattr(self, name).split(",") if item.strip()]


class AidesTerritoiresSync(models.Model):
    """One synchronisation with Aides-territoires: what it changed, or why it failed."""

    class Trigger(models.TextChoices):
        DAILY = "daily", _("Daily job")
        MANUAL = "manual", _("By a coordinator")
        DEMO = "demo", _("Demo")

    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    trigger = models.CharField(
        _("started by"), max_length=10, choices=Trigger.choices, default=Trigger.DAILY
    )
    ok = models.BooleanField(_("succeeded"), default=False)
    fetched = models.PositiveIntegerField(_("aids received"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    skipped_details = models.TextField(_("aids skipped"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("Aides-territoires synchronisation")
        verbose_name_plural = _("Aides-territoires synchronisations")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} ({'ok' if self.ok else 'error'})"


class FundingGuidePage(RoutablePageMixin, SiteSectionMixin, Page):
    """The public guide: under a commune, the sources that fit it; under the network home,
    every shared source. Each source has its own page, and the deadlines an iCal feed."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.CommunePage", "home.NetworkHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "funding/guide_page.html"

    class Meta:
        verbose_name = _("funding guide")
        verbose_name_plural = _("funding guides")

    @cached_property
    def guide_commune(self):
        """The commune of a commune's guide; None for the network's."""
        return self.commune

    def sources(self):
        """Every source the guide may show (closed ones included)."""
        commune = self.guide_commune
        if commune is None:
            return FundingSource.objects.visible_to(None).online()
        return FundingSource.objects.for_commune(commune)

    @path("")
    def index_route(self, request):
        from .guide import guide_listing

        return self.render(request, context_overrides=guide_listing(request, self))

    @path(f"{DEADLINES_ROUTE}/", name="deadlines")
    def deadlines_route(self, request):
        from .calendar import deadlines_feed

        return deadlines_feed(request, self)

    @path("<slug:slug>/", name="source")
    def source_route(self, request, slug):
        from .guide import source_detail

        return source_detail(request, self, slug)
