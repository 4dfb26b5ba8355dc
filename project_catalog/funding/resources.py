"""CSV/XLSX export and import of the network's funding sources, e.g. between networks.

Only the network's shared sources (no commune) are exported, looked up and updated; a
commune's own sources are never read nor touched. A row whose ``identifiant`` is the slug
of a network source updates it, any other row creates a network source (a blank
``identifiant``: a slug made from the name). Financers are named: an unknown one is
created with the row (so never by the preview, which is rolled back). The communes of a
named territory are not in the file: they differ from one network to another.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from mprc_cms.imports import ImportResource
from mprc_cms.imports.widgets import CategoryWidget, ChoiceWidget
from mprc_cms.text import fold
from project_catalog.api import ProjectCategory

from .models import ApplicantType, Financer, FundingKind, FundingSource, Scope
from .territories import DEPARTMENTS, REGION_CHOICES
from .windows import Timing


def _text(value):
    """A cell as trimmed text; a whole number a workbook gives as a float loses its “.0”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class SlugWidget(widgets.Widget):
    """The ``identifiant``: slugs are lower case, whatever the spreadsheet made of them."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).lower()


class FinancerWidget(widgets.Widget):
    """A financer by its name, whatever its case and accents.

    An unknown name gives a new, unsaved financer, of the level read from
    ``level_column`` (“Other” when blank or unreadable: that column reports the problem);
    the resource saves it just before the row's source, so a preview creates nothing.
    """

    def __init__(self, level_column, level_widget, website_column=None, website_widget=None):
        super().__init__()
        self.level_column = level_column
        self.level_widget = level_widget
        self.website_column = website_column
        self.website_widget = website_widget

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        financer = Financer.objects.filter(name__iexact=name).first()
        if financer is None:  # SQLite's iexact ignores the case of ASCII letters only
            folded = fold(name)
            financer = next(
                (known for known in Financer.objects.all() if fold(known.name) == folded), None
            )
        if financer is not None:
            return financer
        try:
            level = self.level_widget.clean((row or {}).get(self.level_column))
        except ValueError:
            level = ""
        website = ""
        if self.website_column and self.website_widget:
            try:
                website = self.website_widget.clean((row or {}).get(self.website_column))
            except ValueError:
                website = ""  # that column reports the problem
        financer = Financer(name=name, level=level or Financer.Level.OTHER, website=website)
        try:
            financer.full_clean(validate_unique=False)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error
        return financer

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class NewFinancerLevelField(fields.Field):
    """The level (or the website) of the source's financer: exported for every source, but
    only read (by :class:`FinancerWidget`) for a financer the import creates. A value that
    is not a level (an address) is an error of its column even so."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.clean(row, **kwargs)


class WebsiteWidget(widgets.Widget):
    """A web address checked as the financer's form checks it (https only)."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text:
            try:
                Financer._meta.get_field("website").clean(text, None)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from error
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class KeepWhenBlankField(fields.Field):
    """A blank cell keeps the record's value (for a new record, the model's default)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        if _text(row.get(self.column_name)):
            super().save(instance, row, is_m2m, **kwargs)


class NamedListWidget(widgets.ManyToManyWidget):
    """Several records by their names or slugs, separated by “;”; exported by name.

    Each one is read by the shared :class:`CategoryWidget` (an unknown one is an
    error listing the known names).
    """

    def __init__(self, model, unknown_message):
        super().__init__(model, separator=";", field="slug")
        self.item_widget = CategoryWidget(model, unknown_message=unknown_message)

    def clean(self, value, row=None, **kwargs):
        records = []
        for part in _text(value).split(self.separator):
            record = self.item_widget.clean(part, row)
            if record is not None and record not in records:
                records.append(record)
        return records

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(
            record.slug if self.separator in record.name else record.name for record in value.all()
        )


class YesNoWidget(widgets.Widget):
    """oui/non, 1/0, x/empty, yes/no, vrai/faux (or a workbook's TRUE/FALSE)."""

    TRUE = frozenset(("oui", "o", "1", "x", "yes", "y", "vrai", "true"))
    FALSE = frozenset(("", "non", "n", "0", "no", "faux", "false"))

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            _("Write “%(yes)s” or “%(no)s” (an empty cell means “%(no)s”).")
            % {"yes": gettext("yes"), "no": gettext("no")}
        )

    def render(self, value, obj=None, **kwargs):
        return gettext("yes") if value else gettext("no")


class DayWidget(widgets.Widget):
    """A date written 2026-03-31 or 31/03/2026 (or a workbook's date); exported as the first."""

    FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(_("Enter a valid date, e.g. 2026-03-31 or 31/03/2026."))

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number, however a person writes it: “15000”, “15 000 €”, “15.000”, “80 %”.

    A number with decimals is refused rather than rounded (“Enter a whole number.”).
    """

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, int):
            return value
        text = re.sub(r"[\s€%]", "", _text(value))
        if not text:
            return None
        if THOUSANDS.fullmatch(text):
            text = re.sub(r"[.,]", "", text)
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(value) from error
        if not number.is_finite() or number != number.to_integral_value() or number.adjusted() > 12:
            raise ValueError(value)
        return int(number)


class AreaWidget(ChoiceWidget):
    """A region or a department by its official code or its name, exported by name:
    “71”, “Saône-et-Loire”, “saone et loire” or “Saône-et-Loire (71)”; “1” is “01”
    (a spreadsheet drops the leading zero)."""

    def __init__(self, choices, unknown_message):
        super().__init__(choices)
        self.unknown_message = unknown_message

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        with_code = re.fullmatch(r".*?\s*\((\w{1,3})\)", text)
        if with_code:
            text = with_code.group(1)
        if text.isdigit() and len(text) == 1:
            text = f"0{text}"
        try:
            return super().clean(text, row, **kwargs)
        except ValueError:
            names = ", ".join(f"« {label} »" for _code, label in self.choices)
            raise ValueError(
                str(self.unknown_message) % {"value": _text(value), "names": names}
            ) from None


DEPARTMENT_NAMES = [(code, name) for code, (name, _region) in DEPARTMENTS.items()]


def _field(attribute, column, widget=None, field_class=fields.Field):
    return field_class(attribute=attribute, column_name=column, widget=widget)


class FundingSourceResource(ImportResource):
    """The network's funding sources, one row each, in French column names."""

    slug = _field("slug", "identifiant", SlugWidget())
    name = _field("name", "nom")
    summary = _field("summary", "resume")
    financer = _field(
        "financer",
        "financeur",
        FinancerWidget(
            "niveau_financeur",
            ChoiceWidget(Financer.Level.choices),
            "site_financeur",
            WebsiteWidget(),
        ),
    )
    financer_level = _field(
        "financer__level",
        "niveau_financeur",
        ChoiceWidget(Financer.Level.choices),
        field_class=NewFinancerLevelField,
    )
    financer_website = _field(
        "financer__website", "site_financeur", WebsiteWidget(), field_class=NewFinancerLevelField
    )
    co_financers = _field("co_financers", "cofinanceurs")
    kind = _field("kind", "nature", ChoiceWidget(FundingKind.choices))
    applicants = _field(
        "applicants",
        "porteurs",
        NamedListWidget(
            ApplicantType,
            _(
                "Unknown type of applicant “%(value)s”. The types are: %(names)s "
                "(separate several with “;”)."
            ),
        ),
    )
    categories = _field(
        "categories",
        "categories",
        NamedListWidget(
            ProjectCategory,
            _(
                "Unknown category “%(value)s”. The categories are: %(names)s "
                "(separate several with “;”)."
            ),
        ),
    )
    themes = _field("themes", "thematiques")
    scope = _field("scope", "portee", ChoiceWidget(Scope.choices, default=Scope.NATIONAL))
    region = _field(
        "region",
        "region",
        AreaWidget(
            REGION_CHOICES,
            _(
                "Unknown region “%(value)s”: write its code or its name. The regions are: "
                "%(names)s."
            ),
        ),
    )
    department = _field(
        "department",
        "departement",
        AreaWidget(
            DEPARTMENT_NAMES,
            _(
                "Unknown department “%(value)s”: write its number (e.g. 71) or its name "
                "(e.g. Saône-et-Loire)."
            ),
        ),
    )
    territory_name = _field("territory_name", "territoire")
    covers_investment = _field("covers_investment", "investissement", YesNoWidget())
    covers_operating = _field("covers_operating", "fonctionnement", YesNoWidget())
    covers_studies = _field("covers_studies", "etudes", YesNoWidget())
    amount_min = _field("amount_min", "montant_min", WholeNumberWidget())
    amount_max = _field("amount_max", "montant_max", WholeNumberWidget())
    rate_min = _field("rate_min", "taux_min", WholeNumberWidget())
    rate_max = _field("rate_max", "taux_max", WholeNumberWidget())
    amount_comment = _field("amount_comment", "commentaire_montants")
    timing = _field("timing", "calendrier", ChoiceWidget(Timing.choices, default=Timing.DATED))
    opens_on = _field("opens_on", "ouverture", DayWidget())
    closes_on = _field("closes_on", "cloture", DayWidget())
    description = _field("description", "description")
    how_to_apply = _field("how_to_apply", "modalites")
    url = _field("url", "lien")
    contact = _field("contact", "contact")
    checked_on = _field("checked_on", "verifie_le", DayWidget(), field_class=KeepWhenBlankField)
    checked_by = _field("checked_by", "verifie_par")

    class Meta:
        model = FundingSource
        fields = (
            "slug",
            "name",
            "summary",
            "financer",
            "financer_level",
            "financer_website",
            "co_financers",
            "kind",
            "applicants",
            "categories",
            "themes",
            "scope",
            "region",
            "department",
            "territory_name",
            "covers_investment",
            "covers_operating",
            "covers_studies",
            "amount_min",
            "amount_max",
            "rate_min",
            "rate_max",
            "amount_comment",
            "timing",
            "opens_on",
            "closes_on",
            "description",
            "how_to_apply",
            "url",
            "contact",
            "checked_on",
            "checked_by",
        )
        import_id_fields = ("slug",)
        skip_diff = True
        skip_html_diff = True

    def get_queryset(self):
        """Rows only ever match the network's sources, never a commune's own."""
        return FundingSource.objects.filter(commune__isnull=True)

    def export_queryset(self, communes=None):
        return (
            self.get_queryset()
            .select_related("financer")
            .prefetch_related("applicants", "categories")
            .order_by("name", "pk")
        )

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many values are set after the save (django-import-export): read them now,
        # so that an unknown one is an error of its column and the row is not saved.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            if field.column_name not in row:
                continue
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if (
            instance.pk is None
            and instance.slug
            and "slug" not in errors
            and FundingSource.objects.filter(slug=instance.slug, commune__isnull=False).exists()
        ):
            errors["slug"] = [
                ValidationError(
                    _(
                        "“%(slug)s” is the identifier of a commune's own source, which an "
                        "import never changes. Leave the cell empty to create a network "
                        "source, or write another identifier."
                    )
                    % {"slug": instance.slug},
                    code="commune_source",
                )
            ]
        # The admin's forms limit the length of long texts; the model does not.
        for model_field in FundingSource._meta.concrete_fields:
            if isinstance(model_field, models.TextField) and model_field.max_length:
                if model_field.name in errors:
                    continue
                try:
                    MaxLengthValidator(model_field.max_length)(
                        getattr(instance, model_field.attname) or ""
                    )
                except ValidationError as error:
                    errors[model_field.name] = error.error_list
        # A financer named for the first time is saved with the row: it has no id yet.
        self.trusted_fields = ("financer",) if _new_financer(instance) else ()
        errors = {key: list(messages) for key, messages in errors.items()}
        try:
            # Copies: the base class extends these lists with full_clean()'s messages.
            super().validate_instance(
                instance, {key: list(messages) for key, messages in errors.items()}, validate_unique
            )
        except ValidationError as error:
            # A cell that could not be read says so, without the model's clean() adding
            # that the value is missing (“Atlantide”: not a region, not “choose a region”).
            raise ValidationError({**error.error_dict, **errors}) from None

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        financer = _new_financer(instance)
        if financer is None:
            return
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return  # nothing is saved, and nothing could be rolled back
        financer.save()
        instance.financer = financer


def _new_financer(source):
    """The unsaved financer the import gave ``source``, if any."""
    if source.financer_id is not None:
        return None
    financer = FundingSource.financer.field.get_cached_value(source, default=None)
    return financer if financer is not None and financer.pk is None else None


# What the import page says of each column (the others: the model field's help text).
COLUMN_HELP = {
    "identifiant": _(
        "The identifier of a network source, to update it; empty: a new source, whose "
        "identifier is made from its name."
    ),
    "financeur": _("Who pays, by name; a financer not known yet is created."),
    "niveau_financeur": _(
        "Only for a financer the import creates: its kind, e.g. “State” or “Region” "
        "(empty: “Other”)."
    ),
    "site_financeur": _(
        "Only for a financer the import creates: its website, starting with https:// "
        "(may stay empty)."
    ),
    "nature": _("Grant, loan, engineering support, call for projects or prize."),
    "porteurs": _(
        "Who may apply: names or identifiers separated by “;”, e.g. “Communes; Associations”."
    ),
    "categories": _(
        "Project categories, names or identifiers separated by “;”; empty: every category."
    ),
    "portee": _("National (when empty), region, department or a named territory."),
    "region": _("For a regional source: the region's name or code."),
    "departement": _("For a departmental source: the department's name or number."),
    "investissement": _("oui or non (empty: non)."),
    "fonctionnement": _("oui or non (empty: non)."),
    "etudes": _("oui or non (empty: non)."),
    "calendrier": _("All year, fixed dates (when empty) or every year on the same dates."),
    "ouverture": _("A date, e.g. 2026-03-31 or 31/03/2026."),
    "cloture": _("A date, e.g. 2026-03-31 or 31/03/2026; every year: the day and month count."),
    "verifie_le": _("A date; empty: today for a new source, unchanged for an update."),
}
