"""What an open dataset is, and which ones the site publishes.

Two kinds:

- :class:`ApiDataset`: the records of an endpoint of the public API (``mprc_cms/rest.py``),
  read through the endpoint itself, its scope rule and its serializer: the public fields
  are decided in one place, the API's, and the Table Schema of the file is made from the
  endpoint's OpenAPI description (names, types, descriptions).
- :class:`CountsDataset`: aggregated counts (projects per stage and category, sign-ups per
  commune and month…), every count column going through
  :func:`~mprc_cms.open_data.suppression.suppress_small_counts`.

The core publishes the communes (:data:`CORE_DATASETS`); each module lists its datasets in
``ModuleInfo.open_datasets`` (dotted paths of subclasses), so a module that is not
installed adds nothing, and a module switched off for a commune adds nothing to that
commune's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ..modules import get_modules

if TYPE_CHECKING:
    import datetime

    from wagtail.models import Page

# The core's datasets; each installed module adds those of its ModuleInfo.open_datasets.
CORE_DATASETS = ("mprc_cms.open_data.datasets.CommuneDataset",)


@dataclass(frozen=True)
class Field:
    """A column: its name, its Table Schema type (``string``, ``integer``, ``number``,
    ``boolean``, ``date``, ``datetime``, ``yearmonth``, ``year``, ``array``, ``object``),
    its description (French at build time) and its format (``uri``, ``email``…)."""

    name: str
    type: str
    description: object
    format: str = "default"


@dataclass
class Scope:
    """What a file set covers: one commune (``commune``), or the network (``commune``
    None); ``communes`` are the live public communes it covers that run the dataset's
    module (all of them for the core's)."""

    commune: Page | None
    communes: list
    root: Page | None
    today: datetime.date


class OpenDataset:
    """A dataset: ``key`` (its files' name, lower case and dashes), ``title`` and
    ``description`` (gettext, shown on the page and in the datapackage)."""

    key = ""
    title = ""
    description = ""


class ApiDataset(OpenDataset):
    """The records an endpoint of the public API lists in a scope (``endpoint``: the
    viewset's dotted path), all pages of them, with its serializer's fields."""

    endpoint = ""

    def params(self, scope):
        """The query of the endpoint's list for ``scope``."""
        return {"commune": scope.commune.pk} if scope.commune is not None else {}


class CountsDataset(OpenDataset):
    """Aggregated counts: ``dimensions`` (what a row is about) and ``counts`` (whole
    numbers, each cell under the threshold left empty by the builder)."""

    dimensions: tuple[Field, ...] = ()
    counts: tuple[Field, ...] = ()
    # Other values of a row that are not counts of people or records (amounts of money
    # already public on the pages): published as they are.
    measures: tuple[Field, ...] = ()

    def rows(self, scope):
        """A dict per row, over ``scope.communes``: the dimensions' and the counts'
        values (raw counts: the builder suppresses the small ones)."""
        raise NotImplementedError

    @property
    def fields(self):
        return [*self.dimensions, *self.counts, *self.measures]


# Dimensions several modules' statistics share.
COMMUNE_DIMENSIONS = (
    Field("commune", "string", _("The commune's name.")),
    Field("commune_insee_code", "string", _("The commune's INSEE code.")),
)
MONTH_DIMENSION = Field("month", "yearmonth", _("The month (YYYY-MM)."))


def monthly_counts(records, date_field, count_name, communes):
    """Rows ``commune, commune_insee_code, month, <count_name>``: ``records`` (a queryset
    of a model with a ``commune`` foreign key) of ``communes`` counted per commune and
    month of ``date_field`` (local time), those without a date left out."""
    from collections import Counter

    from django.utils import timezone

    by_pk = {commune.pk: commune for commune in communes}
    counted = Counter()
    dates = (
        records.filter(commune_id__in=list(by_pk), **{f"{date_field}__isnull": False})
        .order_by()
        .values_list("commune_id", date_field)
    )
    for commune_pk, moment in dates:
        if hasattr(moment, "hour"):
            moment = timezone.localtime(moment)
        counted[(commune_pk, moment.strftime("%Y-%m"))] += 1
    rows = [
        {
            "commune": by_pk[commune_pk].title,
            "commune_insee_code": by_pk[commune_pk].insee_code,
            "month": month,
            count_name: count,
        }
        for (commune_pk, month), count in counted.items()
    ]
    return sorted(rows, key=lambda row: (row["commune_insee_code"], row["month"]))


def count_field(name, description):
    """A count column, with the statistical secret said in its description."""
    return Field(name, "integer", CountDescription(description))


class CountDescription:
    """A count's description followed by the rule of small counts (lazy, translated when
    the datapackage is written)."""

    def __init__(self, description):
        self.description = description

    def __str__(self):
        from .suppression import THRESHOLD

        rule = _(
            "Counts under %(threshold)s are not published (empty cell), so that nobody "
            "can be recognised."
        ) % {"threshold": THRESHOLD}
        return f"{self.description} {rule}"


class CommuneDataset(ApiDataset):
    key = "communes"
    title = _("Communes")
    description = _(
        "The network's published communes: name, INSEE code, postcode, population, "
        "intercommunality, the town hall's public details and the modules they run."
    )
    endpoint = "home.rest.CommuneViewSet"

    def params(self, scope):
        return {"insee_code": scope.commune.insee_code} if scope.commune is not None else {}


def get_datasets():
    """``[(module or None, dataset), …]``: the core's datasets, then each installed
    module's, in INSTALLED_APPS order."""
    datasets = [(None, import_string(path)()) for path in CORE_DATASETS]
    for module in get_modules():
        for path in module.info.open_datasets:
            datasets.append((module, import_string(path)()))
    return datasets
