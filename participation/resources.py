"""Importing people from an extract of the electoral roll, the land register or a list
kept by hand (CSV or XLSX), through the shared admin import view."""

import datetime
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from mprc_cms.communes import communes_for_user
from mprc_cms.imports import CommuneScopedResource, ImportOptions

from .choices import Gender, SocialCategory, Status
from .models import Pool, Volunteer
from .normalise import fold, household_key, name_key

GENDER_WORDS = {
    "f": Gender.FEMALE,
    "femme": Gender.FEMALE,
    "feminin": Gender.FEMALE,
    "madame": Gender.FEMALE,
    "mme": Gender.FEMALE,
    "m": Gender.MALE,
    "h": Gender.MALE,
    "homme": Gender.MALE,
    "masculin": Gender.MALE,
    "monsieur": Gender.MALE,
    "autre": Gender.OTHER,
    "x": Gender.OTHER,
}
DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T].*)?$"),
)


class GenderWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = fold(value)
        if not text:
            return ""
        if text in GENDER_WORDS:
            return GENDER_WORDS[text].value
        for choice, label in Gender.choices:
            if text in (fold(choice), fold(label)):
                return choice
        raise ValueError(
            _("“%(value)s” is not a known gender: write F or M (or Femme, Homme, Autre).")
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return {"female": "F", "male": "M"}.get(value, value or "")


class BirthDateWidget(widgets.Widget):
    """A date of birth (DD/MM/YYYY, YYYY-MM-DD, an Excel date) or a year: only the year
    is kept."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime | datetime.date):
            return value.year
        text = str(value).strip()
        if re.fullmatch(r"\d{4}", text):
            return int(text)
        for pattern in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return datetime.date(int(match["y"]), int(match["m"]), int(match["d"])).year
                except ValueError:
                    break
        raise ValueError(
            _("“%(value)s” is not a date: write it DD/MM/YYYY (e.g. 14/07/1962) or give the year.")
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class SocialCategoryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = fold(value)
        if not text:
            return ""
        for code, label in SocialCategory.choices:
            if text in (code, fold(label)):
                return code
        accepted = ", ".join(f"{code} ({label})" for code, label in SocialCategory.choices)
        raise ValueError(
            _("“%(value)s” is not a socio-professional category. Accepted: %(accepted)s.")
            % {"value": value, "accepted": accepted}
        )


class HamletWidget(widgets.Widget):
    """A hamlet among those listed on the commune's page (any case and accents)."""

    def __init__(self, hamlets=(), **kwargs):
        super().__init__(**kwargs)
        self.hamlets = list(hamlets)

    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split())
        if not text or not self.hamlets:
            return text
        for hamlet in self.hamlets:
            if fold(hamlet) == fold(text):
                return hamlet
        raise ValueError(
            _("“%(value)s” is not a hamlet of the commune. Known: %(hamlets)s.")
            % {"value": text, "hamlets": ", ".join(self.hamlets)}
        )


class PoolOptions(ImportOptions):
    """The list (pool) the people of the file go into; its commune and source follow."""

    decides_commune = True

    def pools(self, user):
        return (
            Pool.objects.filter(commune__in=communes_for_user(user))
            .select_related("commune")
            .order_by("commune__title", "-created_at")
        )

    def get_fields(self, user):
        field = forms.ModelChoiceField(
            queryset=self.pools(user),
            label=gettext_lazy("List"),
            help_text=gettext_lazy(
                "The list the people of the file go into; it gives their commune and source. "
                "Create the list first under Participation → Lists for the draw."
            ),
        )
        field.label_from_instance = lambda pool: f"{pool.commune.title} — {pool.name}"
        return {"pool": field}

    def clean(self, cleaned_data, user):
        pool = cleaned_data.get("pool")
        if pool is None:
            raise forms.ValidationError(_("Choose the list the people go into."))
        return {"pool": pool.pk}

    def get_commune(self, options):
        pool = Pool.objects.filter(pk=options.get("pool")).select_related("commune").first()
        return pool.commune if pool else None

    def problem(self, options):
        if not Pool.objects.filter(pk=options.get("pool")).exists():
            return _("The list chosen for this import no longer exists. Choose a list again.")
        return None

    def describe(self, options):
        pool = Pool.objects.filter(pk=options.get("pool")).first()
        if pool is None:
            return []
        return [
            (_("List"), pool.name),
            (_("Source"), pool.get_source_display()),
            (_("Kept until"), pool.retention_end.strftime("%d/%m/%Y")),
        ]


class VolunteerResource(CommuneScopedResource):
    last_name = fields.Field(attribute="last_name", column_name="nom")
    first_name = fields.Field(attribute="first_name", column_name="prenom")
    gender = fields.Field(attribute="gender", column_name="sexe", widget=GenderWidget())
    birth_year = fields.Field(
        attribute="birth_year", column_name="date_naissance", widget=BirthDateWidget()
    )
    address = fields.Field(attribute="address", column_name="adresse")
    household = fields.Field(attribute="household", column_name="foyer")
    hamlet = fields.Field(attribute="hamlet", column_name="hameau", widget=HamletWidget())
    social_category = fields.Field(
        attribute="social_category", column_name="pcs", widget=SocialCategoryWidget()
    )
    email = fields.Field(attribute="email", column_name="email")
    phone = fields.Field(attribute="phone", column_name="telephone")

    class Meta:
        model = Volunteer
        fields = (
            "last_name",
            "first_name",
            "gender",
            "birth_year",
            "address",
            "household",
            "hamlet",
            "social_category",
            "email",
            "phone",
        )
        # A person already in the list is updated (see get_instance), so that importing a
        # file twice changes nothing.
        import_id_fields = ("last_name", "first_name")
        skip_html_diff = True

    # Set by the resource from the chosen list, never read from the file: not re-checked
    # row by row. The model's one constraint concerns sign-ups, which are never imported.
    trusted_fields = ("commune", "pool", "public_id")
    validate_constraints = False

    def before_import(self, dataset, **kwargs):
        # Who is already in the list, to update rather than duplicate them: by name, year of
        # birth and household, or by name and year alone when that is unambiguous.
        self._by_household = {}
        self._by_name = {}
        self._claimed = set()  # people of the list matched by a row of this file
        self._in_file = {}  # (name, year, household) → person written from this file
        super().before_import(dataset, **kwargs)
        self.pool = Pool.objects.filter(pk=self.options.get("pool"), commune=self.commune).first()
        if self.pool is None:
            raise ValueError(_("The list chosen for this import no longer exists."))
        self.fields["hamlet"].widget.hamlets = self.commune.hamlet_list()
        members = Volunteer.objects.filter(pool=self.pool).only(
            "pk", "name_key", "birth_year", "household_key"
        )
        for member in members:
            key = (member.name_key, member.birth_year)
            self._by_household.setdefault((*key, member.household_key), member.pk)
            self._by_name.setdefault(key, []).append(member.pk)

    def get_queryset(self):
        return super().get_queryset().filter(pool=getattr(self, "pool", None))

    def _row_key(self, row):
        try:
            year = BirthDateWidget().clean(row.get("date_naissance"))
        except ValueError:
            year = None
        household = household_key(row.get("foyer") or row.get("adresse") or "")
        return name_key(row.get("prenom"), row.get("nom")), year, household

    def get_instance(self, instance_loader, row):
        """The person a row describes, if already known.

        An electoral roll lists each person once: two rows of one file are two people
        (homonyms born the same year are told apart by their household), unless they are
        the same row twice. A row matches a person already in the list by name, year and
        household, or by name and year when exactly one such person is left unmatched (the
        same person, moved house since the last extract).
        """
        name, year, _household = key = self._row_key(row)
        pk = self._in_file.get(key)
        if pk is None:
            pk = self._by_household.get(key)
            if pk is None or pk in self._claimed:
                candidates = [
                    candidate
                    for candidate in self._by_name.get((name, year), [])
                    if candidate not in self._claimed
                ]
                pk = candidates[0] if len(candidates) == 1 else None
            if pk is not None:
                self._claimed.add(pk)
        if pk is None:
            return None
        return Volunteer.objects.filter(pk=pk).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.pool = self.pool
        instance.source = self.pool.source
        instance.status = instance.status or Status.ACTIVE
        instance.email = (instance.email or "").strip().lower()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        if skip:  # unchanged: not saved, but this row has found its person all the same
            self._written(instance, row)
        return skip

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._written(instance, row)

    def _written(self, instance, row):
        self._in_file.setdefault(self._row_key(row), instance.pk)
        self._claimed.add(instance.pk)
