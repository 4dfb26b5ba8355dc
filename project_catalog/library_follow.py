"""Following another network's library of templates through its public API
(``/api/v1/templates/``, docs/api.md; docs/project-catalogue.md).

- :class:`Client`: reads every page of the other network's ``/api/v1/templates/``
  (:data:`PAGE_SIZE` a page, at most :data:`MAX_PAGES`), only over http(s), never to a
  private or loopback address (unless ``MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE``, for tests),
  with timeouts and a size limit on each answer. ``next`` is followed on the API's own
  address (only its query string is taken). Every failure raises
  :class:`LibraryFollowError`, whose message is meant for the coordinator.
- :func:`parse_page`: a page shaped like our own API's, each template as a row of the
  template file exchange (``ProjectTemplateResource``: the columns a file exported from a
  library holds), or :class:`LibraryFollowError`.
- :func:`synchronise`: every page is read and checked before anything is written; then,
  in one transaction, each template not proposed yet at its version becomes a
  :class:`LibraryProposal` when importing its row would create or change a template (the
  import's own dry run says so; an unchanged one is not proposed). A bad answer changes
  nothing.
- :func:`accept`: imports the proposal's row exactly as the file import does (same
  resource, same validation, a draft to review and publish): the lineage — identifier,
  origin, version and its note — is the file's.
"""

import ipaddress
import json
import logging
import re
import socket
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from wagtail import hooks
from wagtail.log_actions import log

from mprc_cms.http_client import JsonClient
from mprc_cms.imports import get_import
from mprc_cms.imports.processing import run_import
from mprc_cms.imports.reading import ParsedFile

from .models import FollowedLibrary, LibraryProposal, ProjectTemplatePage
from .network_pages import library_page

logger = logging.getLogger(__name__)

API_PATH = "api/v1/templates/"
PAGE_SIZE = 50
MAX_PAGES = 40  # 2,000 templates: far more than a library holds
MAX_BYTES = 5 * 1024 * 1024  # one page of 50 templates is a few hundred kilobytes
TIMEOUT = (5, 20)  # seconds: to connect, to read (each read)
MAX_SECONDS = 60  # the whole of one answer
MAX_REDIRECTS = 3
MAX_ID = 2**31 - 1
MAX_VERSION = 32767

# The columns of the template file (ProjectTemplateResource), in its order.
COLUMNS = (
    "identifiant",
    "titre",
    "categorie",
    "resume",
    "probleme",
    "etapes",
    "budget_min",
    "budget_max",
    "duree",
    "roles",
    "ecueils",
    "facteurs_reussite",
    "ressources",
    "licence",
    "origine",
    "version",
    "note_version",
)


class LibraryFollowError(Exception):
    """A failed exchange with a followed library; ``str()`` is the coordinator's message."""


class ProposalImportError(Exception):
    """A proposal that does not import (its row's errors, in the interface's language)."""


# --- Addresses ---------------------------------------------------------------------------


def allow_private():
    return getattr(settings, "MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE", False)


def site_url(url):
    """The site's address as the library is registered: http(s), a host, no query, no
    credentials; the API's own address pasted instead is taken back to its site."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LibraryFollowError(_("The address must start with http:// or https://."))
    if parts.username or parts.password:
        raise LibraryFollowError(_("The address must not hold a user name or a password."))
    try:
        parts.port  # noqa: B018 (a port that is not a number raises)
    except ValueError as error:
        raise LibraryFollowError(_("The address's port is not valid.")) from error
    path = parts.path or "/"
    for suffix in ("/" + API_PATH, "/api/v1/"):
        if path.endswith(suffix):
            path = path[: -len(suffix)] + "/"
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def check_address(url):
    """Refuse an address that is not http(s), or whose host is (or resolves to) a private,
    loopback, link-local or reserved address: a coordinator's screen must not become a
    way into the server's own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LibraryFollowError(_("The address must start with http:// or https://."))
    if allow_private():
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as error:
        raise LibraryFollowError(
            _("The host “%(host)s” cannot be found.") % {"host": parts.hostname}
        ) from error
    for info in infos:
        check_peer(parts.hostname, info[4][0])


def check_peer(host, address):
    """Refuse the IP ``address`` of ``host`` unless it is a public one: before a request
    (the DNS answer) and again for the address each connection reached, so a DNS answer
    that changes in between (DNS rebinding) gets nowhere."""
    if allow_private():
        return
    address = ipaddress.ip_address(address.split("%")[0])
    mapped = getattr(address, "ipv4_mapped", None)
    if not (mapped or address).is_global:
        raise LibraryFollowError(
            _("The host “%(host)s” is a private or local address: it cannot be followed.")
            % {"host": host}
        )


# --- The HTTP client ---------------------------------------------------------------------


class Client(JsonClient):
    error_class = LibraryFollowError
    timeout = TIMEOUT
    max_bytes = MAX_BYTES
    max_seconds = MAX_SECONDS
    max_redirects = MAX_REDIRECTS
    trust_env = False  # no proxy from the environment: the address is checked

    MESSAGES = {
        "timeout": gettext_lazy("The other network's site did not answer in time (%(seconds)s s)."),
        "unreachable": gettext_lazy("The other network's site could not be reached: %(error)s"),
        "http": gettext_lazy("The other network's site answered with an error (HTTP %(status)s)."),
        "not_json": gettext_lazy("The other network's site sent an answer that is not valid JSON."),
        "too_large": gettext_lazy(
            "The other network's site sent an answer larger than %(size)s MB."
        ),
        "redirects": gettext_lazy("The other network's site redirects too many times."),
    }

    def __init__(self, url, timeout=None, max_bytes=None, page_size=PAGE_SIZE):
        super().__init__(
            timeout=timeout or getattr(settings, "MPRC_LIBRARY_FOLLOW_TIMEOUT", None),
            max_bytes=max_bytes or getattr(settings, "MPRC_LIBRARY_FOLLOW_MAX_BYTES", None),
        )
        self.site = site_url(url)
        self.api_url = self.site + API_PATH
        self.page_size = page_size

    def message(self, kind, **params):
        return str(self.MESSAGES[kind]) % params

    def check_address(self, url):
        check_address(url)

    def check_peer(self, host, address):
        check_peer(host, address)

    def pages(self):
        """The pages of the other network's ``/api/v1/templates/``, each checked."""
        url = f"{self.api_url}?page_size={self.page_size}"
        for _number in range(MAX_PAGES):
            page = parse_page(self.get_json(url))
            yield page
            if not page["next"]:
                return
            url = f"{self.api_url}?{urlsplit(page['next']).query}"
        raise LibraryFollowError(
            _("The other network's library has more than %(pages)s pages of templates.")
            % {"pages": MAX_PAGES}
        )


# --- Reading a page ----------------------------------------------------------------------


def _mismatch(what):
    return LibraryFollowError(
        _("The other network's site sent a list of templates not shaped like ours: %(what)s.")
        % {"what": what}
    )


def _is_int(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_text(value):
    # A NUL character is in no text of ours (the file import refuses it too).
    return isinstance(value, str) and "\x00" not in value


def _string(template, key, required=False):
    value = template.get(key)
    if not _is_text(value) or (required and not value.strip()):
        raise _mismatch(key)
    return value.strip()


def _items(template, key, fields):
    """A list of objects whose ``fields`` are strings, as the file's JSON cell."""
    value = template.get(key)
    if not isinstance(value, list):
        raise _mismatch(key)
    items = []
    for item in value:
        if not isinstance(item, dict) or not all(_is_text(item.get(f)) for f in fields):
            raise _mismatch(key)
        items.append({column: item[f] for f, column in fields.items()})
    return json.dumps(items, ensure_ascii=False) if items else ""


SLUG = re.compile(r"[-\w]{1,255}")


def parse_template(template):
    """One template of the API as ``{"id", "url", "version", "title", "row"}``, ``row``
    being the template as the file exchange writes it (one cell per column)."""
    if not isinstance(template, dict):
        raise _mismatch(_("a template is not an object"))
    if not _is_int(template.get("id"), 1, MAX_ID):
        raise _mismatch("id")
    version = template.get("version")
    if not _is_int(version, 1, MAX_VERSION):
        raise _mismatch("version")
    slug = _string(template, "slug", required=True)
    if not SLUG.fullmatch(slug):
        raise _mismatch("slug")
    url = _string(template, "url", required=True)
    if urlsplit(url).scheme not in ("http", "https") or len(url) > 500:
        raise _mismatch("url")
    category = template.get("category")
    if not isinstance(category, dict):
        raise _mismatch("category")
    category_slug = _string(category, "slug", required=True)
    budgets = {}
    for key in ("budget_min", "budget_max"):
        value = template.get(key)
        if value is not None and not _is_int(value, 0, MAX_ID):
            raise _mismatch(key)
        budgets[key] = "" if value is None else value
    title = _string(template, "title", required=True)
    row = {
        "identifiant": slug,
        "titre": title,
        "categorie": category_slug,
        "resume": _string(template, "summary"),
        "probleme": _string(template, "problem"),
        "etapes": _items(
            template,
            "steps",
            {"title": "titre", "description": "description", "duration": "duree"},
        ),
        **budgets,
        "duree": _string(template, "duration"),
        "roles": _string(template, "roles"),
        "ecueils": _string(template, "pitfalls"),
        "facteurs_reussite": _string(template, "success_factors"),
        "ressources": _items(template, "resources", {"title": "titre", "url": "url"}),
        "licence": _string(template, "licence"),
        "origine": _string(template, "origin"),
        "version": version,
        "note_version": _string(template, "version_note"),
    }
    return {"id": template["id"], "url": url, "version": version, "title": title[:255], "row": row}


def parse_page(page):
    """A page of ``/api/v1/templates/``: ``count``, ``next``, ``results``; its templates
    parsed (:func:`parse_template`). Anything else raises :class:`LibraryFollowError`."""
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise _mismatch(_("no list of results"))
    if not _is_int(page.get("count"), 0, MAX_ID):
        raise _mismatch("count")
    following = page.get("next", False)
    if not (following is None or isinstance(following, str)):
        raise _mismatch("next")
    return {
        "count": page["count"],
        "next": following,
        "results": [parse_template(template) for template in page["results"]],
    }


def fetch_all(pages):
    """Every template of ``pages`` (all read first), by id; the total must be the one
    announced."""
    templates, announced = {}, None
    for page in pages:
        if announced is None:
            announced = page["count"]
        for template in page["results"]:
            templates[template["id"]] = template
    if announced is None:
        raise LibraryFollowError(_("The other network's site sent no page."))
    if len(templates) != announced:
        raise LibraryFollowError(
            _("The other network announced %(announced)s templates but sent %(received)s.")
            % {"announced": announced, "received": len(templates)}
        )
    slugs = [template["row"]["identifiant"].casefold() for template in templates.values()]
    if len(set(slugs)) != len(slugs):
        raise _mismatch(_("two templates with the same identifier"))
    return templates


# --- Proposals ---------------------------------------------------------------------------


def _parsed(rows):
    return ParsedFile(
        format="api",
        headers=list(COLUMNS),
        rows=[[row.get(column, "") for column in COLUMNS] for row in rows],
        row_numbers=list(range(2, len(rows) + 2)),
    )


def _definition_of_templates():
    """The template file's import (registered in wagtail_hooks): one piece for both."""
    definition = get_import(ProjectTemplatePage)
    if definition is None:
        hooks.search_for_hooks()
        definition = get_import(ProjectTemplatePage)
    return definition


def _kinds(rows):
    """What importing each row would do, by the import's own dry run: ``new``, ``update``,
    ``skip`` (unchanged) or ``error``."""
    if not rows:
        return []
    return run_import(_definition_of_templates(), _parsed(rows), dry_run=True).statuses


def synchronise(library, pages, now=None):
    """Propose what ``pages`` (the other network's, read by a :class:`Client`) holds that
    is new or in a new version. Returns a :class:`SyncOutcome`; records its outcome on
    ``library``. A bad answer changes nothing but that record."""
    now = now or timezone.now()
    outcome = SyncOutcome()
    with translation.override(settings.LANGUAGE_CODE):
        try:
            templates = fetch_all(pages)
            outcome.received = len(templates)
            if library_page() is None:
                raise LibraryFollowError(_("The network has no project library."))
            with transaction.atomic():
                _propose(library, templates, outcome)
        except LibraryFollowError as error:
            outcome.error = str(error)
            logger.warning("Sync with the library %s failed: %s", library.url, error)
        except Exception as error:
            outcome.error = _("The synchronisation failed: %(error)s") % {
                "error": type(error).__name__
            }
            logger.exception("Sync with the library %s failed", library.url)
        if outcome.error:
            outcome.proposed = 0
        message = report(outcome)
    FollowedLibrary.objects.filter(pk=library.pk).update(
        last_sync_at=now, last_sync_ok=not outcome.error, last_sync_message=message
    )
    library.last_sync_at, library.last_sync_ok = now, not outcome.error
    library.last_sync_message = message
    return outcome


class SyncOutcome:
    def __init__(self):
        self.received = 0
        self.proposed = 0
        self.error = ""

    @property
    def ok(self):
        return not self.error


def _propose(library, templates, outcome):
    # One sync of a library at a time (a row lock where the database has them).
    FollowedLibrary.objects.select_for_update().filter(pk=library.pk).first()
    proposed = {}
    for remote_id, version in LibraryProposal.objects.filter(library=library).values_list(
        "remote_id", "version"
    ):
        proposed[remote_id] = max(version, proposed.get(remote_id, 0))
    candidates = [
        templates[remote_id]
        for remote_id in sorted(templates)
        if templates[remote_id]["version"] > proposed.get(remote_id, 0)
    ]
    kinds = _kinds([template["row"] for template in candidates])
    known = {
        slug.casefold()
        for slug in ProjectTemplatePage.objects.child_of(library_page()).values_list(
            "slug", flat=True
        )
    }
    for template, kind in zip(candidates, kinds, strict=True):
        if kind == "skip":  # the library already holds it as it is
            continue
        exists = template["row"]["identifiant"].casefold() in known
        LibraryProposal.objects.create(
            library=library,
            remote_id=template["id"],
            remote_url=template["url"],
            version=template["version"],
            title=template["title"],
            kind=LibraryProposal.Kind.UPDATE if exists else LibraryProposal.Kind.NEW_TEMPLATE,
            row=template["row"],
        )
        # An older version still waiting is not to be reviewed any more: this one holds
        # all it had.
        LibraryProposal.objects.filter(
            library=library,
            remote_id=template["id"],
            version__lt=template["version"],
            status=LibraryProposal.Status.PENDING,
        ).update(status=LibraryProposal.Status.SUPERSEDED, reviewed_at=timezone.now())
        outcome.proposed += 1


def report(outcome):
    if not outcome.ok:
        return _("Failed, nothing changed. %(error)s") % {"error": outcome.error}
    return _("%(received)s templates received, %(proposed)s new proposals.") % {
        "received": outcome.received,
        "proposed": outcome.proposed,
    }


def _refused(error):
    raise error
    yield  # a generator: the error is met where the pages are read


def run(library, now=None):
    """Synchronise ``library`` with its site; returns the :class:`SyncOutcome`."""
    try:
        client = Client(library.url)
    except LibraryFollowError as error:  # an address refused before any request
        return synchronise(library, _refused(error), now=now)
    try:
        return synchronise(library, client.pages(), now=now)
    finally:
        client.close()


@task()
def synchronise_in_background(library_id):
    """:func:`run` as a background task («Synchronise now»: a slow site must not hold the
    coordinator's request). Returns whether it succeeded (None: the library is gone)."""
    library = FollowedLibrary.objects.filter(pk=library_id).first()
    if library is None:
        return None
    return run(library).ok


def _issue_text(issue):
    return f"« {issue.column} » : {issue.message}" if issue.column else issue.message


@transaction.atomic
def accept(proposal, user):
    """Import the proposal's row as the file import does: a new unpublished template, or
    a new draft revision of the library's template with the same identifier. Raises
    :class:`ProposalImportError` (nothing written) when the row does not import."""
    proposal = LibraryProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != LibraryProposal.Status.PENDING:
        raise ProposalImportError(_("This proposal was already reviewed."))
    library = library_page()
    if library is None:
        raise ProposalImportError(_("The network has no project library."))
    row = {column: proposal.row.get(column, "") for column in COLUMNS}
    result = run_import(_definition_of_templates(), _parsed([row]), dry_run=False, user=user)
    if result.errors:  # raised inside the transaction: nothing is written
        raise ProposalImportError(" ".join(_issue_text(issue) for issue in result.errors))
    template = (
        ProjectTemplatePage.objects.child_of(library)
        .filter(slug__iexact=row["identifiant"])
        .first()
    )
    proposal.template = template
    proposal.status = LibraryProposal.Status.ACCEPTED
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.save()
    network_home = library.get_parent()
    log(
        instance=network_home,
        action="mprc.import",
        user=user,
        data={
            "model": ProjectTemplatePage._meta.label,
            "model_name": str(ProjectTemplatePage._meta.verbose_name_plural).capitalize(),
            "file": proposal.remote_url,
            "format": "api",
            "created": result.new,
            "updated": result.updated,
            "rows": result.imported,
        },
    )
    return template


def decline(proposal, user):
    """Decline a pending proposal: the same version is never proposed again."""
    updated = LibraryProposal.objects.filter(
        pk=proposal.pk, status=LibraryProposal.Status.PENDING
    ).update(status=LibraryProposal.Status.DECLINED, reviewed_by=user, reviewed_at=timezone.now())
    if not updated:
        raise ProposalImportError(_("This proposal was already reviewed."))
    proposal.refresh_from_db()
    return proposal


def daily(today=None, now=None, communes=None):
    """The catalogue's daily job (``manage.py daily``): every followed library synchronised,
    as a one-line report."""
    lines = []
    for library in FollowedLibrary.objects.all():
        run(library, now=now)
        lines.append(f"{library.name} — {library.last_sync_message}")
    if not lines:
        return _("Followed libraries: none.")
    return _("Followed libraries: %(reports)s") % {"reports": " ".join(lines)}
