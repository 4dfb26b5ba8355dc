"""The people a draw may pick: residents who signed up, and lists imported from files."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import (
    MAXIMUM_AGE,
    MINIMUM_AGE,
    POOL_SOURCES,
    Availability,
    Gender,
    SocialCategory,
    Source,
    Status,
    age_band,
    age_band_choices,
)
from ..normalise import household_key, name_key, phone_key


def _merged(*results):
    """The ``(count, {model label: count})`` of several deletions as one."""
    total, details = 0, {}
    for count, by_model in results:
        total += count
        for label, number in by_model.items():
            details[label] = details.get(label, 0) + number
    return total, details


class PoolQuerySet(models.QuerySet):
    def delete(self):
        """Delete these lists and their people (erased set-based, see ``erasure.py``)."""
        from ..erasure import delete_set_based

        with transaction.atomic(using=self.db, savepoint=False):
            people = Volunteer.objects.using(self.db).filter(pool__in=self.values("pk"))
            return _merged(people.delete(), delete_set_based(self))

    delete.alters_data = True
    delete.queryset_only = True


class Pool(models.Model):
    """A list of people imported from a file (an extract of the electoral roll or of the
    land register, or a list kept by hand), kept until its retention end."""

    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("E.g. “Electoral roll, extract of March 2026”.")
    )
    source = models.CharField(_("source"), max_length=20, choices=POOL_SOURCES)
    description = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Where the list comes from and what it covers (never personal data)."),
    )
    retention_end = models.DateField(
        _("keep until"),
        blank=True,
        help_text=_(
            "The list and everyone in it are erased after this date. Empty: the end of the "
            "current cycle plus the delay set on the commune's sign-up page."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PoolQuerySet.as_manager()

    # Personal data, on no public page: the page cache does not watch its rows (their
    # deletion sends no signal per row); bulk writes call page_cache.changed() themselves.
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("list for the draw")
        verbose_name_plural = _("lists for the draw")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"], name="participation_pool_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.retention_end is None:
            from ..retention import default_retention_end

            self.retention_end = default_retention_end(self.commune)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Delete the list and its people (erased set-based, see ``erasure.py``)."""
        from ..erasure import delete_set_based

        if self.pk is None:
            raise ValueError(f"{self._meta.object_name} object can't be deleted: no primary key.")
        using = kwargs.get("using") or self._state.db
        with transaction.atomic(using=using, savepoint=False):
            people = Volunteer.objects.using(using).filter(pool_id=self.pk)
            lists = type(self)._base_manager.using(using).filter(pk=self.pk)
            result = _merged(people.delete(), delete_set_based(lists))
        self.pk = None
        return result


def _current_year():
    return timezone.localdate().year


def validate_birth_year(value):
    year = _current_year()
    if value > year - MINIMUM_AGE:
        raise ValidationError(
            _("A person must be at least %(age)s years old this year."),
            params={"age": MINIMUM_AGE},
            code="too_young",
        )
    if value < year - MAXIMUM_AGE:
        raise ValidationError(_("Please check this year of birth."), code="too_old")


# What a person tells about themselves: the sign-up form's answers, which they may see
# and correct, and which staff may correct.
DETAIL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_year",
    "gender",
    "hamlet",
    "social_category",
    "address",
    "availability",
)


class VolunteerQuerySet(models.QuerySet):
    def delete(self):
        """Delete these people and erase their traces with a few queries for them all
        (``erasure.py``), rather than one per person."""
        from ..erasure import delete_people

        result = delete_people(self)
        self._result_cache = None
        return result

    delete.alters_data = True
    delete.queryset_only = True


class Volunteer(models.Model):
    """One person in a commune's lists: signed up as a volunteer, or imported in a pool.

    Only what the draw needs is kept. A sign-up carries its consent records; a person
    imported from a file belongs to a :class:`Pool` and is erased with it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    pool = models.ForeignKey(
        Pool,
        verbose_name=_("list"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
    )
    status = models.CharField(
        pgettext_lazy("person in a list", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.ACTIVE,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    # A new address asked for on the personal page: used only once confirmed from the link
    # sent to it (participation.tokens.make_email_change_token).
    pending_email = models.EmailField(_("new e-mail awaiting confirmation"), blank=True)
    pending_email_since = models.DateTimeField(_("new e-mail asked for on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[validate_birth_year]
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    hamlet = models.CharField(_("hamlet or part of the commune"), max_length=100, blank=True)
    social_category = models.CharField(
        _("socio-professional category"),
        max_length=1,
        choices=SocialCategory.choices,
        blank=True,
    )
    address = models.CharField(
        _("address"),
        max_length=255,
        blank=True,
        help_text=_("Only used to draw at most one person per household."),
    )
    household = models.CharField(
        _("household"),
        max_length=100,
        blank=True,
        help_text=_(
            "A marker shared by the people of one household, when the address is not "
            "enough (e.g. a number from the electoral roll). Empty: the address is used."
        ),
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    exclusion_reason = models.CharField(
        _("reason for setting aside"),
        max_length=200,
        blank=True,
        help_text=_("E.g. moved away, already a member of the micro-parliament."),
    )
    retention_end = models.DateField(
        _("keep until"),
        null=True,
        blank=True,
        help_text=_("Erased after this date. People of an imported list follow their list."),
    )
    created_at = models.DateTimeField(_("signed up or imported on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)

    # Derived keys, to recognise the same person or household however it is typed.
    name_key = models.CharField(max_length=210, editable=False, db_index=True)
    phone_key = models.CharField(max_length=30, editable=False, blank=True)
    household_key = models.CharField(max_length=255, editable=False, blank=True)

    objects = VolunteerQuerySet.as_manager()

    # Personal data, on no public page (see Pool).
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            # One sign-up per e-mail address and commune, even when two arrive at once.
            models.UniqueConstraint(
                Lower("email"),
                "commune",
                condition=Q(source="volunteer_list") & ~Q(email=""),
                name="participation_one_signup_per_email",
            ),
        ]
        indexes = [models.Index(fields=["commune", "source", "status"])]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "phone_key", "household_key"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Delete the person and erase their traces (``erasure.py``)."""
        from ..erasure import erase_traces_of_people

        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            rows = type(self)._base_manager.using(kwargs.get("using") or self._state.db)
            erase_traces_of_people(rows.filter(pk=self.pk))
            return super().delete(*args, **kwargs)

    def set_derived_fields(self, known_name_key=None, known_household_key=None):
        """The normalised address and the keys that recognise the person, the phone and the
        household however typed: set by ``save()``, and by the import before it creates
        people in bulk (no ``save()`` then). The import passes the keys it already computed
        from the same names and household (``known_…``), not computed twice."""
        self.email = (self.email or "").strip().lower()
        if known_name_key is None:
            known_name_key = name_key(self.first_name, self.last_name)
        self.name_key = known_name_key[:210]
        self.phone_key = phone_key(self.phone)[:30]
        if known_household_key is None:
            known_household_key = household_key(self.household or self.address)
        self.household_key = known_household_key
        if self.pool_id is not None:
            self.source = self.pool.source

    def clean(self):
        super().clean()
        if self.pool_id and self.commune_id and self.pool.commune_id != self.commune_id:
            raise ValidationError({"pool": _("This list belongs to another commune.")})
        if self.pool_id and self.source != self.pool.source:
            self.source = self.pool.source
        if self.source == Source.VOLUNTEER_LIST and not (self.email or self.phone):
            raise ValidationError(_("Give an e-mail address or a phone number."))
        if self.status != Status.EXCLUDED:
            self.exclusion_reason = ""

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    full_name.fget.short_description = _("name")

    @property
    def age_band(self):
        return age_band(self.birth_year)

    def get_age_band_display(self):
        return dict(age_band_choices()).get(self.age_band, "")

    get_age_band_display.short_description = _("age band")

    def get_availability_display(self):
        labels = dict(Availability.choices)
        return ", ".join(str(labels.get(value, value)) for value in self.availability or [])

    get_availability_display.short_description = _("availability")

    @property
    def consent_summary(self):
        consents = list(self.consents.select_related("consent_text", "recorded_by"))
        if not consents:
            return _("No consent recorded.")
        return "; ".join(consent.describe() for consent in consents)

    consent_summary.fget.short_description = _("consent")

    @property
    def needs_consent(self):
        return self.source in (Source.VOLUNTEER_LIST, Source.MANUAL) and self.pool_id is None
