"""The «Données ouvertes» page of the network and of each commune (a route of the site's
root page, ``home.models.LegalPagesMixin``), and the download of a file: read from the
storage, without any database query."""

from __future__ import annotations

import datetime
import json
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .. import page_cache
from . import PAGE_CACHE_SCOPE
from .builder import (
    DATAPACKAGE,
    FORMATS,
    LICENCE,
    NETWORK_SCOPE,
    file_path,
    published_datasets,
)

# A scope's folder (the network's, or a commune's INSEE code: Corsica's 2A and 2B) and a
# file's name: nothing else is ever read from the storage.
SCOPE_PATTERN = re.compile(rf"{NETWORK_SCOPE}|[0-9][0-9AB][0-9]{{3}}")
FILE_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\.(csv|json)")


def scope_name(root):
    """The folder of a site root's files: a commune's INSEE code, or the network's."""
    insee_code = getattr(root, "insee_code", None)
    return insee_code if insee_code else NETWORK_SCOPE


def read_datapackage(name, storage=None):
    """The scope's datapackage as a dict, or None before the first build."""
    storage = storage or default_storage
    try:
        with storage.open(file_path(name, DATAPACKAGE)) as handle:
            return json.loads(handle.read())
    except (FileNotFoundError, OSError, ValueError):
        return None


def sitemap_entry(root, root_location):
    """The sitemap's entry for the open data page of a site root whose page is at
    ``root_location``, once its files are built (dated by its datapackage)."""
    try:
        lastmod = default_storage.get_modified_time(file_path(scope_name(root), DATAPACKAGE))
    except (FileNotFoundError, OSError, NotImplementedError):
        return None
    return {"location": root_location + root.reverse_subpage("open_data"), "lastmod": lastmod}


def download(request, scope, name):
    """A file of a scope (``/donnees-ouvertes/fichiers/<scope>/<name>``): from the
    storage as the daily job wrote it, open to other sites."""
    if not SCOPE_PATTERN.fullmatch(scope) or not (
        name == DATAPACKAGE or FILE_PATTERN.fullmatch(name)
    ):
        raise Http404
    # Nothing of a commune gone offline, nor of a module switched off, until the next
    # build deletes its files.
    published = published_datasets()
    if scope not in published or (
        name != DATAPACKAGE and name.rsplit(".", 1)[0] not in published[scope]
    ):
        raise Http404
    try:
        handle = default_storage.open(file_path(scope, name))
    except (FileNotFoundError, OSError):
        raise Http404 from None
    extension = name.rsplit(".", 1)[1]
    response = FileResponse(handle, content_type=f"{FORMATS[extension]}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


def open_data_page(request, root):
    """The list of the site's files: for each dataset its CSV and JSON with their size,
    and the datapackage; the date of the last update and the licence."""
    # Kept by the page cache until the next build (or any change of the site's pages).
    page_cache.depends_on(request, [PAGE_CACHE_SCOPE])
    name = scope_name(root)
    context = {
        "page": root,
        "self": root,
        "subpage_title": _("Open data"),
        # The files as the last build described them: read only when the page's fragment
        # is rendered, kept until the next build (its version is part of the key).
        "files": SimpleLazyObject(lambda: _files(name)),
        "build_version": page_cache.versions([PAGE_CACHE_SCOPE])[PAGE_CACHE_SCOPE],
        "licence": LICENCE,
        "api_url": "/api/v1/",
    }
    return TemplateResponse(request, "open_data/page.html", context)


def _files(name):
    """The datasets of the scope's datapackage (each with its files), the date of the
    build and the datapackage's address; no dataset before the first build."""
    package = read_datapackage(name)
    if package is None:
        return {"datasets": [], "updated": None, "datapackage_url": None}
    datasets, by_key = [], {}
    for resource in package["resources"]:
        key = resource["path"].rsplit(".", 1)[0]
        dataset = by_key.get(key)
        if dataset is None:
            dataset = by_key[key] = {
                "title": resource["title"],
                "description": resource["description"],
                "fields": resource["schema"]["fields"],
                "files": [],
            }
            datasets.append(dataset)
        dataset["files"].append(
            {
                "format": resource["format"].upper(),
                "bytes": resource["bytes"],
                "url": reverse("open_data_file", args=[name, resource["path"]]),
            }
        )
    return {
        "datasets": datasets,
        "updated": datetime.datetime.fromisoformat(package["created"]),
        "datapackage_url": reverse("open_data_file", args=[name, DATAPACKAGE]),
    }


# The files' addresses, below the network's page (``home.models.OPEN_DATA_SLUG``).
FILES_URL_PREFIX = "donnees-ouvertes/fichiers/"
