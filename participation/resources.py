"""Importing people from an extract of the electoral roll, the land register or a list
kept by hand (CSV or XLSX), through the shared admin import view."""

import datetime
import gc
import operator
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets
from import_export.results import RowResult

from mprc_cms import page_cache
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
# New people created by one INSERT.
BULK_SIZE = 1000
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
    _folded_labels = {}  # language → [(code, folded label)], not folded again row by row
    # Set by the resource for the length of an import (the language does not change
    # meanwhile): the labels of that language, without asking the language row by row.
    labels = None

    def folded_labels(self):
        language = translation.get_language()
        folded = self._folded_labels.get(language)
        if folded is None:
            folded = [(code, fold(label)) for code, label in SocialCategory.choices]
            self._folded_labels[language] = folded
        return folded

    def clean(self, value, row=None, **kwargs):
        text = fold(value)
        if not text:
            return ""
        folded = self.labels if self.labels is not None else self.folded_labels()
        for code, label in folded:
            if text in (code, label):
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
        hamlets = tuple(self.hamlets)
        if getattr(self, "_folded", (None,))[0] != hamlets:  # folded once per list
            self._folded = (hamlets, [(hamlet, fold(hamlet)) for hamlet in hamlets])
        folded_text = fold(text)
        for hamlet, folded in self._folded[1]:
            if folded == folded_text:
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
        # New people are created with bulk_create (BULK_SIZE at a time), never one query
        # each; nor is each row copied to compute a diff: skip_row compares the values
        # themselves (see after_init_instance).
        use_bulk = True
        batch_size = BULK_SIZE
        skip_diff = True

    # Set by the resource from the chosen list, never read from the file: not re-checked
    # row by row. The model's one constraint concerns sign-ups, which are never imported.
    trusted_fields = ("commune", "pool", "public_id")
    validate_constraints = False
    _plain_fields = None  # set by before_import

    def import_data(self, *args, **kwargs):
        # Tens of thousands of objects stay alive through an import (people, row results):
        # Python's cycle collector would walk the whole heap again and again meanwhile (a
        # fifth of the time). It pauses for the import (memory is freed by reference
        # counting all the same) and runs again afterwards.
        paused = gc.isenabled()
        gc.disable()
        try:
            return super().import_data(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    def before_import(self, dataset, **kwargs):
        # Who is already in the list, to update rather than duplicate them: by name, year of
        # birth and household, or by name and year alone when that is unambiguous. The
        # whole list is read once (one query), never a person per row.
        self._by_household = {}
        self._by_name = {}
        self._members = {}
        self._claimed = set()  # people of the list matched by a row of this file
        # (name, year, household) → the person a row of this file wrote (None: a row that
        # wrote nothing), even one still waiting for its bulk_create.
        self._in_file = {}
        self._row_keys = {}
        self._original = None
        self._import_fields = None
        super().before_import(dataset, **kwargs)
        self._import_fields = self.get_import_fields()
        attributes = [field.attribute for field in self._import_fields]
        get_values = operator.attrgetter(*attributes)
        # The values of the file's fields, always as a tuple.
        self._import_values = (
            get_values if len(attributes) > 1 else lambda instance: (get_values(instance),)
        )
        self._blank_values = None  # the values of a new person before their row
        in_file = {field.attribute for field in self._import_fields}
        # Fields read straight into an attribute of the person (all of them, unless a
        # subclass adds another kind): imported without django-import-export's
        # per-field machinery (see _import_plain_fields).
        self._plain_fields = [
            (field, field.column_name, field.attribute, field.widget.clean)
            for field in self._import_fields
            if field.attribute
            and "__" not in field.attribute
            and not field.readonly
            and field.default is NOT_PROVIDED
            and not isinstance(field.widget, widgets.ManyToManyWidget)
        ]
        if len(self._plain_fields) != len(self._import_fields):
            self._plain_fields = None
        self._not_in_file = [
            field.name for field in Volunteer._meta.concrete_fields if field.name not in in_file
        ]
        widget = self.fields["social_category"].widget
        widget.labels = widget.folded_labels()
        self.pool = Pool.objects.filter(pk=self.options.get("pool"), commune=self.commune).first()
        if self.pool is None:
            raise ValueError(_("The list chosen for this import no longer exists."))
        self.fields["hamlet"].widget.hamlets = self.commune.hamlet_list()
        for member in Volunteer.objects.filter(pool=self.pool).order_by("pk"):
            key = (member.name_key, member.birth_year)
            self._members[member.pk] = member
            self._by_household.setdefault((*key, member.household_key), member.pk)
            self._by_name.setdefault(key, []).append(member.pk)

    def get_queryset(self):
        return super().get_queryset().filter(pool=getattr(self, "pool", None))

    def import_row(self, row, instance_loader, **kwargs):
        self._current = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        instance = self._current
        refused = (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR)
        if row_result.import_type in refused and instance is not None:
            # A refused row leaves the person it matched (kept in memory: one of the list,
            # or one waiting for bulk_create) as they were: the row-by-row import read them
            # again for each row.
            for field, value in zip(self._import_fields, self._original, strict=True):
                setattr(instance, field.attribute, value)
        return row_result

    def get_import_fields(self):
        # The same for every row of an import: computed once (see before_import).
        fields = getattr(self, "_import_fields", None)
        return list(fields) if fields is not None else super().get_import_fields()

    def _row_key(self, row):
        key = self._row_keys.get(id(row))
        if key is not None and key[0] is row:
            return key[1]
        try:
            year = BirthDateWidget().clean(row.get("date_naissance"))
        except ValueError:
            year = None
        household = household_key(row.get("foyer") or row.get("adresse") or "")
        key = name_key(row.get("prenom"), row.get("nom")), year, household
        self._row_keys = {id(row): (row, key)}  # the row being imported only
        return key

    def get_instance(self, instance_loader, row):
        """The person a row describes, if already known.

        An electoral roll lists each person once: two rows of one file are two people
        (homonyms born the same year are told apart by their household), unless they are
        the same row twice. A row matches a person already in the list by name, year and
        household, or by name and year when exactly one such person is left unmatched (the
        same person, moved house since the last extract).
        """
        name, year, _household = key = self._row_key(row)
        written = self._in_file.get(key)
        if written is not None:
            # The same row twice: the person the first one wrote (perhaps not created yet,
            # then this row's values are the ones bulk_create writes).
            return written
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
        return self._members.get(pk)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        self._current = instance
        # What skip_row compares the row with (django-import-export would deep-copy the
        # instance for its diff); a new person's values are the model's defaults, the same
        # for every row.
        if not new:
            self._original = self._import_values(instance)
        else:
            if self._blank_values is None:
                self._blank_values = self._import_values(instance)
            self._original = self._blank_values

    def import_instance(self, instance, row, **kwargs):
        if self._plain_fields is None:
            super().import_instance(instance, row, **kwargs)
        else:
            self._import_plain_fields(instance, row, **kwargs)
        instance.pool = self.pool
        instance.source = self.pool.source
        instance.status = instance.status or Status.ACTIVE
        instance.email = (instance.email or "").strip().lower()

    def _import_plain_fields(self, instance, row, **kwargs):
        """What django-import-export's import_instance does with fields that are plain
        attributes (see before_import), without its per-field calls: each cell read by
        its widget and set on the instance. A cell the widget refuses goes through the
        usual path again, for the very same error (worded in French, see ImportResource)."""
        setattr(instance, self.commune_field, self.commune)
        errors = {}
        for field, column, attribute, clean in self._plain_fields:
            if column not in row:
                continue
            try:
                value = clean(row[column], row=row, **kwargs)
            except Exception:
                try:
                    self.import_field(field, instance, row, **kwargs)
                except ValueError as error:
                    errors[attribute] = ValidationError(str(error), code="invalid")
                continue
            if value is not None or field.saves_null_values:
                setattr(instance, attribute, value)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # As django-import-export's skip_unchanged: a row whose every value is the
        # person's (or the blank new instance's) is not saved.
        skip = not import_validation_errors and self._original == self._import_values(instance)
        if skip:  # unchanged: not saved, but this row has found its person all the same
            self._written(instance, row)
        return skip

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.pk is not None or getattr(instance, "_waits_for_bulk_create", False):
            super().validate_instance(instance, import_validation_errors, validate_unique)
            return
        # A new person (their first row): the fields the file does not give hold the
        # model's defaults, valid by construction, and no unique field is left to check (no
        # primary key yet, public_id trusted): only the file's values are validated, then
        # the model's clean(), with the same messages.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self._not_in_file],
                validate_unique=False,
                validate_constraints=self.validate_constraints,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        # What save() would compute (bulk_create does not), with the keys this row's
        # matching computed when they were computed from the same values.
        name, _year, household = self._row_key(row)
        instance.set_derived_fields(
            known_name_key=name
            if (instance.first_name, instance.last_name) == (row.get("prenom"), row.get("nom"))
            else None,
            known_household_key=household
            if (instance.household or instance.address)
            == (row.get("foyer") or row.get("adresse") or "")
            else None,
        )
        self.before_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            # New: created by bulk_create with the next ones. A row repeating one not
            # created yet has changed that same instance, already waiting.
            if not getattr(instance, "_waits_for_bulk_create", False):
                instance._waits_for_bulk_create = True
                self.create_instances.append(instance)
        else:
            # A person of the list updated: saved at once, in a savepoint of its own as
            # every row was before bulk creation (rare: a new extract of the same list).
            with transaction.atomic():
                self.do_instance_save(instance, is_create)
        self.after_save_instance(instance, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Create the new people waiting; the preview (dry run) writes none of them: each
        was validated row by row (``full_clean()``), which is what the preview reports."""
        if dry_run:
            self.create_instances.clear()
            return
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            # The lists' counts may show on the commune's public pages.
            page_cache.changed(self.commune)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._written(instance, row)

    def _written(self, instance, row):
        key = self._row_key(row)
        if key not in self._in_file:
            # A blank row skipped writes no one (None), as before.
            written = instance.pk is not None or getattr(instance, "_waits_for_bulk_create", False)
            self._in_file[key] = instance if written else None
        self._claimed.add(instance.pk)
