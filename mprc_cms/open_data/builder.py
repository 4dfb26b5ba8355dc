"""Build the open data files: for the network and for each live public commune, every
dataset as CSV and JSON and a Frictionless ``datapackage.json`` describing them, written
to the default storage under ``open-data/<scope>/`` (``reseau`` for the network, the INSEE
code for a commune). Files of a scope or a dataset no longer published are deleted.

Run by ``manage.py build_open_data``, by ``manage.py daily`` and once by ``load_demo``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from rest_framework.utils.encoders import JSONEncoder

from .. import page_cache
from ..modules import running_modules
from . import PAGE_CACHE_SCOPE
from .datasets import ApiDataset, Field, Scope, get_datasets
from .suppression import suppress_small_counts

# Where the files are, in the default storage.
PREFIX = "open-data"
# The network's files' folder (a commune's is its INSEE code).
NETWORK_SCOPE = "reseau"
DATAPACKAGE = "datapackage.json"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
FORMATS = {"csv": "text/csv", "json": "application/json"}
# The page cache's scope of the «Données ouvertes» pages: bumped after each build.


class OpenDataError(RuntimeError):
    """An endpoint did not answer a dataset's list."""


@dataclass
class BuildReport:
    scopes: int
    files: int
    deleted: int
    seconds: float


def file_path(scope_name, name):
    return f"{PREFIX}/{scope_name}/{name}"


def plan(today):
    """What is published now: for the network and each commune online, its scope's name,
    its commune (None: the network) and each dataset it has with its :class:`Scope` (a
    dataset of a module that runs nowhere in the scope has no file)."""
    home = apps.get_model("home", "NetworkHomePage").objects.first()
    communes = []
    if home is not None:
        communes = list(
            apps.get_model("home", "CommunePage")
            .objects.descendant_of(home)
            .live()
            .public()
            .defer_streamfields()
            .order_by("path")
        )
    datasets = get_datasets()
    running = running_modules(communes)
    planned = []
    for scope_name, commune in [(NETWORK_SCOPE, None)] + [(c.insee_code, c) for c in communes]:
        tables = []
        for module, dataset in datasets:
            if module is None:
                covered = communes if commune is None else [commune]
            elif commune is None:
                covered = [c for c in communes if module.key in running[c.pk]]
            else:
                covered = [commune] if module.key in running[commune.pk] else []
            if covered:
                scope = Scope(commune=commune, communes=covered, root=home, today=today)
                tables.append((dataset, scope))
        planned.append((scope_name, commune, tables))
    return planned


def published_datasets():
    """Map scope name → the keys of the datasets it publishes now (the communes online,
    the modules running): the download serves nothing else, even before the next build
    deletes a file. A memo of the page cache valid until any change: no query on most
    downloads."""

    def compute():
        return {
            scope_name: sorted(dataset.key for dataset, _scope in tables)
            for scope_name, _commune, tables in plan(timezone.localdate())
        }

    return page_cache.memo("open-data:published", [page_cache.ANY], compute)


def build_open_data(now=None, storage=None):
    """Write every scope's files; return a :class:`BuildReport`. Idempotent: the same
    records and ``now`` give the same bytes."""
    started = time.perf_counter()
    storage = storage or default_storage
    now = (now or timezone.now()).replace(microsecond=0)
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        builder = _Builder(storage, now, _api_host())
        scopes = plan(today)
        for scope_name, commune, tables in scopes:
            builder.write_scope(
                scope_name,
                commune,
                [(dataset, *builder.table(dataset, scope)) for dataset, scope in tables],
            )
        deleted = builder.delete_stale()
    # The «Données ouvertes» pages the page cache holds list the files: they change now.
    page_cache.bump({PAGE_CACHE_SCOPE})
    return BuildReport(
        scopes=len(scopes),
        files=len(builder.written),
        deleted=deleted,
        seconds=time.perf_counter() - started,
    )


def _api_host():
    """The host the API's requests are made for: the default site's (its root is the
    network home: the endpoints' scope)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "localhost"
    if site.port in (80, 443):
        return site.hostname
    return f"{site.hostname}:{site.port}"


class _Builder:
    def __init__(self, storage, now, host):
        self.storage = storage
        self.now = now
        self.host = host
        self.written = set()
        self._api_fields = {}

    # --- One dataset in one scope -------------------------------------------------------

    def table(self, dataset, scope):
        """``(fields, rows)``: rows are flat dicts keyed by the fields' names."""
        if isinstance(dataset, ApiDataset):
            tree = self.api_fields(dataset.endpoint)
            fields = list(flat_fields(tree))
            rows = [flat_row(tree, record) for record in self.api_records(dataset, scope)]
            return fields, rows
        fields = dataset.fields
        names = [field.name for field in fields]
        rows = suppress_small_counts(dataset.rows(scope), [field.name for field in dataset.counts])
        return fields, [{name: row.get(name) for name in names} for row in rows]

    def api_records(self, dataset, scope):
        """Every record the endpoint lists for the scope, page after page, through the
        endpoint itself (its scope rule, its serializer), without its rate limit."""
        from ..rest import MAX_PAGE_SIZE

        view = import_string(dataset.endpoint).as_view({"get": "list"}, throttle_classes=[])
        factory = RequestFactory()
        records, page = [], 1
        while True:
            query = {**dataset.params(scope), "page": page, "page_size": MAX_PAGE_SIZE}
            response = view(factory.get("/", query, HTTP_HOST=self.host))
            if response.status_code != 200:
                raise OpenDataError(
                    f"{dataset.endpoint} answered {response.status_code} for {query}"
                )
            records.extend(response.data["results"])
            if not response.data["next"]:
                return records
            page += 1

    def api_fields(self, endpoint):
        """The record's fields of an endpoint's list, from the API's OpenAPI document: a
        tree of ``(name, Field)`` and ``(name, [subtree])`` for nested objects."""
        if not self._api_fields:
            self._api_fields = api_schemas()
        return self._api_fields[endpoint]

    # --- Files ----------------------------------------------------------------------------

    def save(self, scope_name, name, content):
        path = file_path(scope_name, name)
        if self.storage.exists(path):
            self.storage.delete(path)
        self.storage.save(path, ContentFile(content))
        self.written.add(path)
        return content

    def write_scope(self, scope_name, commune, tables):
        resources = []
        for dataset, fields, rows in tables:
            schema = table_schema(fields)
            for fmt, content in (
                ("csv", to_csv(fields, rows)),
                ("json", to_json(fields, rows)),
            ):
                name = f"{dataset.key}.{fmt}"
                self.save(scope_name, name, content)
                resources.append(
                    {
                        "profile": "tabular-data-resource",
                        "name": dataset.key if fmt == "csv" else f"{dataset.key}-json",
                        "path": name,
                        "title": str(dataset.title),
                        "description": str(dataset.description),
                        "format": fmt,
                        "mediatype": FORMATS[fmt],
                        "encoding": "utf-8",
                        "bytes": len(content),
                        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
                        **({"dialect": {"delimiter": ",", "header": True}} if fmt == "csv" else {}),
                        "schema": schema,
                    }
                )
        from django.utils.translation import gettext as _

        where = commune.title if commune is not None else _("the network")
        package = {
            "profile": "tabular-data-package",
            "name": f"mprc-{scope_name.lower()}",
            "title": _("Open data: %(where)s") % {"where": where},
            "description": _(
                "Public records and statistics of the site, regenerated every day. Counts "
                "under 5 are not published."
            ),
            "licenses": [LICENCE],
            "created": self.now.isoformat(),
            "resources": resources,
        }
        self.save(
            scope_name,
            DATAPACKAGE,
            json.dumps(package, ensure_ascii=False, indent=2).encode(),
        )

    def delete_stale(self):
        """Delete the files under the prefix that this build did not write."""
        deleted = 0
        try:
            folders, _files = self.storage.listdir(PREFIX)
        except (FileNotFoundError, OSError):  # nothing built yet
            return deleted
        for folder in folders:
            for name in self.storage.listdir(f"{PREFIX}/{folder}")[1]:
                path = file_path(folder, name)
                if path not in self.written:
                    self.storage.delete(path)
                    deleted += 1
        return deleted


# --- Table Schema from the API's OpenAPI document --------------------------------------------


def api_schemas():
    """Endpoint dotted path → its record's field tree (see :meth:`_Builder.api_fields`)."""
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    from ..rest import API_PREFIX, endpoint_classes, get_router

    generator = SchemaGenerator(patterns=[path(API_PREFIX, include(get_router().urls))])
    document = generator.get_schema(request=None, public=True)
    components = document["components"]["schemas"]

    def resolve(schema):
        for combinator in ("allOf", "oneOf", "anyOf"):
            if combinator in schema:
                refs = [part for part in schema[combinator] if "$ref" in part]
                if refs:
                    resolved = dict(resolve(refs[0]))
                    if schema.get("description"):
                        resolved["description"] = schema["description"]
                    return resolved
        if "$ref" in schema:
            return components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def tree(schema, prefix=""):
        items = []
        for name, prop in schema.get("properties", {}).items():
            description = prop.get("description", "")
            prop = resolve(prop)
            description = description or prop.get("description", "")
            if prop.get("properties"):
                items.append((name, tree(prop, f"{prefix}{name}_")))
            else:
                items.append((name, api_field(f"{prefix}{name}", prop, description)))
        return items

    schemas = {}
    for viewset in endpoint_classes():
        operation = document["paths"][f"/{API_PREFIX}{viewset.api_prefix}/"]["get"]
        page = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
        record = resolve(page["properties"]["results"]["items"])
        labels = serializer_labels(viewset.serializer_class())
        schemas[f"{viewset.__module__}.{viewset.__name__}"] = with_labels(tree(record), labels)
    return schemas


def serializer_labels(serializer, prefix=""):
    """Flat field name → the serializer field's label (a model field's verbose name):
    the description of a column whose field has no help text."""
    from rest_framework import serializers

    labels = {}
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.BaseSerializer) and hasattr(field, "fields"):
            labels.update(serializer_labels(field, f"{prefix}{name}_"))
        elif field.label:
            labels[f"{prefix}{name}"] = field.label
    return labels


def with_labels(tree, labels):
    items = []
    for name, item in tree:
        if isinstance(item, Field):
            if not str(item.description).strip():
                label = labels.get(item.name) or item.name.replace("_", " ")
                item = Field(item.name, item.type, capfirst(str(label)), item.format)
            items.append((name, item))
        else:
            items.append((name, with_labels(item, labels)))
    return items


STRING_FORMATS = {
    "date": ("date", "default"),
    "date-time": ("datetime", "default"),
    "uri": ("string", "uri"),
    "email": ("string", "email"),
    "decimal": ("number", "default"),
}


def api_field(name, prop, description):
    """A Table Schema field for an OpenAPI property."""
    kind = prop.get("type", "string")  # a value without a declared type: its text
    if kind in ("integer", "number", "boolean", "array", "object"):
        return Field(name, kind, description)
    table_type, table_format = STRING_FORMATS.get(prop.get("format"), ("string", "default"))
    return Field(name, table_type, description, table_format)


def flat_fields(tree):
    for _name, item in tree:
        if isinstance(item, Field):
            yield item
        else:
            yield from flat_fields(item)


def flat_row(tree, record):
    """A serializer's record as a flat dict: nested objects' fields as ``parent_child``
    (all empty when the object is null)."""
    row = {}
    for name, item in tree:
        value = record.get(name) if record is not None else None
        if isinstance(item, Field):
            row[item.name] = value
        else:
            row.update(flat_row(item, value))
    return row


def table_schema(fields):
    return {
        "fields": [
            {
                "name": field.name,
                "type": field.type,
                **({"format": field.format} if field.format != "default" else {}),
                "description": str(field.description),
            }
            for field in fields
        ],
        "missingValues": [""],
    }


# --- Values ------------------------------------------------------------------------------------


def json_value(field, value):
    """A value as the JSON file holds it, of the field's type."""
    if value is None:
        return None
    if field.type == "number":
        return value if isinstance(value, int) else float(value)
    if field.type == "integer":
        return int(value)
    return value


def csv_value(field, value):
    """A value as its CSV cell: empty for null, ``true``/``false``, JSON for lists and
    objects, ISO 8601 for dates (as the API writes them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field.type in ("array", "object") or isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, cls=JSONEncoder)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def to_csv(fields, rows):
    """UTF-8 without BOM, commas, a header line of the fields' names (schema.data.gouv.fr's
    conventions)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([field.name for field in fields])
    for row in rows:
        writer.writerow([csv_value(field, row.get(field.name)) for field in fields])
    return buffer.getvalue().encode("utf-8")


def to_json(fields, rows):
    data = [
        {field.name: json_value(field, row.get(field.name)) for field in fields} for row in rows
    ]
    return json.dumps(data, ensure_ascii=False, indent=1, cls=JSONEncoder).encode("utf-8")
