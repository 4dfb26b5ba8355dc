"""Following another network's library through its public API: the real HTTP client
against a local HTTP server serving answers recorded from our own ``/api/v1/templates/``
(the Django test client over factory data), the proposals, their acceptance compared with
a file import of the same templates, idempotence, bad answers, the address checks, the
coordinators' screen and the daily job; hypothesis for the parser."""

import copy
import ipaddress
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import wagtail_factories
from django.test import Client as DjangoClient
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import Page

from project_catalog import library_follow
from project_catalog.factories import ProjectTemplatePageFactory
from project_catalog.library_follow import LibraryFollowError, parse_page
from project_catalog.models import FollowedLibrary, LibraryProposal, ProjectTemplatePage
from tests.api_helpers import api_queries
from tests.project_catalog.helpers import fr, text_of
from tests.project_catalog.test_imports import (
    TEMPLATES,
    content_of,
    import_file,
    template_with_everything,
)
from tests.task_helpers import run_queued_tasks

pytestmark = pytest.mark.django_db

INDEX = "/admin/projets/bibliotheques-suivies/"
REPORT = "%(received)s templates received, %(proposed)s new proposals."
FAILED = "Failed, nothing changed. %(error)s"
NOT_SHAPED = "The other network's site sent a list of templates not shaped like ours: %(what)s."
PRIVATE = "The host “%(host)s” is a private or local address: it cannot be followed."
ONLY_HTTP = "The address must start with http:// or https://."


def prefix(msgid, key):
    """The French message up to where ``key``'s value goes."""
    return fr(msgid, **{key: "\x00"}).split("\x00")[0]


def lineage(template):
    """What a template keeps of where it comes from, and its content."""
    return {
        **content_of(template),
        "slug": template.slug,
        "origin": template.origin,
        "version_note": template.version_note,
        "live": template.live,
        "parent": template.get_parent().pk,
    }


# --- Answers recorded from our own API -------------------------------------------------------


def record_api(page_size=2):
    """The pages of our own ``/api/v1/templates/`` as another network would read them."""
    client, pages, url = DjangoClient(), [], f"/api/v1/templates/?page_size={page_size}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        page = response.json()
        pages.append(page)
        url = page["next"]
    return pages


@pytest.fixture
def recorded(library, coordinator_client):
    """Three templates of "the other network", recorded from the API and exported as a
    file, then removed from this one (the tests play the following network)."""
    document = wagtail_factories.DocumentFactory(title="Fiche pratique")
    first = template_with_everything(
        "Tiers-lieu rural", "tiers-lieu-rural", origin="Cluny (2025)", version=2
    )
    first.resources = [
        *[{"type": block.block_type, "value": dict(block.value)} for block in first.resources],
        {"type": "document", "value": {"title": "", "document": document.pk}},
    ]
    first.version_note = "Un lieu plus grand"
    first.save_revision().publish()
    second = template_with_everything("Café associatif", "cafe-associatif", budget_min=None)
    third = ProjectTemplatePageFactory(
        title="Repair café", slug="repair-cafe", publish=True, summary="Réparer ensemble."
    )
    templates = [first, second, third]
    pages = record_api()
    exported = coordinator_client.post(
        f"{TEMPLATES}export/", {"format": "csv", "selection": [t.pk for t in templates]}
    ).content
    expected = {t.slug: lineage(ProjectTemplatePage.objects.get(pk=t.pk)) for t in templates}
    for template in templates:
        template.delete()
    return {"pages": pages, "csv": exported, "expected": expected}


class RecordedAPI:
    """What the server answers: ``pages`` (copies a test may change) and failures a test
    asks for, ``failures[page] = "500" | "invalid-json" | "slow" | "huge" | "redirect"``.
    ``requests`` records (path, query) of every request."""

    def __init__(self, pages):
        self.pages = copy.deepcopy(pages)
        self.failures = {}
        self.requests = []
        self.base_url = ""
        self.redirect_to = ""

    def page(self, number):
        page = copy.deepcopy(self.pages[number - 1])
        more = number < len(self.pages)
        page["next"] = f"{self.base_url}api/v1/templates/?page={number + 1}" if more else None
        return page


def handler_for(api):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def send(self, status, body, content_type="application/json", headers=()):
            data = body.encode() if isinstance(body, str) else body
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout, too large)
                pass

        def do_GET(self):
            split = urlsplit(self.path)
            query = parse_qs(split.query)
            api.requests.append((split.path, query))
            if split.path != "/api/v1/templates/":
                return self.send(404, json.dumps({"detail": "Introuvable."}))
            number = int(query.get("page", ["1"])[0])
            failure = api.failures.get(number)
            if failure == "500":
                return self.send(500, "<h1>Server Error (500)</h1>", "text/html")
            if failure == "invalid-json":
                return self.send(200, '{"count": 3, "next": null, "results": [')
            if failure == "slow":
                time.sleep(1.5)
            if failure == "huge":
                return self.send(200, json.dumps({"padding": "x" * 200_000}))
            if failure == "redirect":
                return self.send(302, "", headers=[("Location", api.redirect_to)])
            if number > len(api.pages):
                return self.send(404, json.dumps({"detail": "Page non valide."}))
            self.send(200, json.dumps(api.page(number)))

    return Handler


@pytest.fixture
def api(settings, recorded):
    served = RecordedAPI(recorded["pages"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(served))
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE = True
    settings.MPRC_LIBRARY_FOLLOW_TIMEOUT = (1, 1)
    yield served
    server.shutdown()
    server.server_close()


@pytest.fixture
def followed(api):
    return FollowedLibrary.objects.create(name="Réseau du Clunisois", url=api.base_url)


def proposals(**filters):
    return {
        (p.row["identifiant"], p.version, p.kind) for p in LibraryProposal.objects.filter(**filters)
    }


def state():
    return (
        list(LibraryProposal.objects.order_by("pk").values()),
        Page.objects.count(),
        list(ProjectTemplatePage.objects.order_by("pk").values("pk", "latest_revision_id")),
    )


# --- The client and the proposals ------------------------------------------------------------


def test_every_page_is_read_and_each_template_becomes_a_proposal(api, followed):
    outcome = library_follow.run(followed)
    assert outcome.ok, outcome.error
    assert (outcome.received, outcome.proposed) == (3, 3)
    assert proposals() == {
        ("tiers-lieu-rural", 2, "new"),
        ("cafe-associatif", 1, "new"),
        ("repair-cafe", 1, "new"),
    }
    assert [path for path, _query in api.requests] == ["/api/v1/templates/"] * 2
    assert api.requests[0][1]["page_size"] == ["50"]
    assert api.requests[1][1]["page"] == ["2"]  # ``next`` taken on the API's own address
    first = LibraryProposal.objects.get(row__identifiant="tiers-lieu-rural")
    assert first.remote_url.endswith("/tiers-lieu-rural/")
    assert first.row["origine"] == "Cluny (2025)"
    assert json.loads(first.row["ressources"])[-1] == {
        "titre": "Fiche pratique",
        "url": json.loads(first.row["ressources"])[-1]["url"],
    }
    followed.refresh_from_db()
    assert followed.last_sync_ok is True
    assert followed.last_sync_message == fr(REPORT, received=3, proposed=3)
    # Nothing is in the library before a coordinator accepts.
    assert not ProjectTemplatePage.objects.exists()


def test_accepting_imports_exactly_as_the_file_does(api, followed, coordinator, recorded, library):
    library_follow.run(followed)
    for proposal in LibraryProposal.objects.all():
        library_follow.accept(proposal, coordinator)
    accepted = {t.slug: lineage(t) for t in ProjectTemplatePage.objects.all()}
    assert set(accepted) == set(recorded["expected"])
    for found in accepted.values():
        assert not found["live"]
        assert found["parent"] == library.pk
    assert accepted["tiers-lieu-rural"]["version"] == 2
    assert accepted["tiers-lieu-rural"]["version_note"] == "Un lieu plus grand"
    assert accepted["tiers-lieu-rural"]["origin"] == "Cluny (2025)"
    statuses = set(LibraryProposal.objects.values_list("status", "template__slug"))
    assert statuses == {("accepted", slug) for slug in accepted}

    # The same templates through the file exchange: the same drafts, field by field.
    ProjectTemplatePage.objects.all().delete()
    client = DjangoClient()
    client.force_login(coordinator)
    assert import_file(client, TEMPLATES, recorded["csv"], name="modeles.csv").status_code == 302
    from_file = {t.slug: lineage(t) for t in ProjectTemplatePage.objects.all()}
    assert from_file == accepted


def test_a_new_version_is_proposed_with_its_lineage(api, followed, coordinator):
    library_follow.run(followed)
    proposal = LibraryProposal.objects.get(row__identifiant="repair-cafe")
    template = library_follow.accept(proposal, coordinator)
    template.save_revision().publish()

    changed = next(t for page in api.pages for t in page["results"] if t["slug"] == "repair-cafe")
    changed.update(version=2, version_note="Avec les écoles", pitfalls="Trop d'outils")
    outcome = library_follow.run(followed)
    assert outcome.proposed == 1
    new = LibraryProposal.objects.get(row__identifiant="repair-cafe", version=2)
    assert new.kind == LibraryProposal.Kind.UPDATE
    assert (new.row["version"], new.row["note_version"]) == (2, "Avec les écoles")

    library_follow.accept(new, coordinator)
    template = ProjectTemplatePage.objects.get(pk=template.pk)
    assert (template.version, template.live) == (1, True)  # the live page is untouched
    draft = template.get_latest_revision_as_object()
    assert (draft.version, draft.version_note, draft.pitfalls) == (
        2,
        "Avec les écoles",
        "Trop d'outils",
    )


def test_a_second_sync_of_the_same_answers_proposes_nothing(api, followed, coordinator):
    assert library_follow.run(followed).proposed == 3
    before = state()
    assert library_follow.run(followed).proposed == 0
    assert state() == before
    # Accepted or declined, a version is never proposed again.
    library_follow.accept(LibraryProposal.objects.get(row__identifiant="repair-cafe"), coordinator)
    library_follow.decline(LibraryProposal.objects.get(row__identifiant="cafe-associatif"), None)
    assert library_follow.run(followed).proposed == 0
    assert proposals(status="pending") == {("tiers-lieu-rural", 2, "new")}


def test_a_template_the_library_already_holds_unchanged_is_not_proposed(
    api, followed, coordinator, recorded
):
    client = DjangoClient()
    client.force_login(coordinator)
    import_file(client, TEMPLATES, recorded["csv"], name="modeles.csv")
    ProjectTemplatePage.objects.get(slug="repair-cafe").delete()
    outcome = library_follow.run(followed)
    assert (outcome.received, outcome.proposed) == (3, 1)
    assert proposals() == {("repair-cafe", 1, "new")}


def test_a_declined_version_is_proposed_again_only_in_a_new_version(api, followed, coordinator):
    library_follow.run(followed)
    proposal = LibraryProposal.objects.get(row__identifiant="repair-cafe")
    library_follow.decline(proposal, coordinator)
    assert library_follow.run(followed).proposed == 0
    changed = next(t for page in api.pages for t in page["results"] if t["slug"] == "repair-cafe")
    changed["version"] = 2
    assert library_follow.run(followed).proposed == 1
    assert proposals(status="pending") >= {("repair-cafe", 2, "new")}


def test_a_version_still_waiting_is_replaced_by_a_newer_one(api, followed, coordinator):
    library_follow.run(followed)
    others = {p for p in proposals(status="pending") if p[0] != "repair-cafe"}
    assert others
    changed = next(t for page in api.pages for t in page["results"] if t["slug"] == "repair-cafe")
    for version in (2, 3):
        changed["version"] = version
        assert library_follow.run(followed).proposed == 1
    versions = dict(
        LibraryProposal.objects.filter(row__identifiant="repair-cafe").values_list(
            "version", "status"
        )
    )
    assert versions == {1: "superseded", 2: "superseded", 3: "pending"}
    # A replaced version cannot be accepted any more; the newest one can.
    older = LibraryProposal.objects.get(row__identifiant="repair-cafe", version=2)
    with pytest.raises(library_follow.ProposalImportError):
        library_follow.accept(older, coordinator)
    newest = LibraryProposal.objects.get(row__identifiant="repair-cafe", version=3)
    assert library_follow.accept(newest, coordinator).slug == "repair-cafe"
    # The other templates' proposals are untouched.
    assert proposals(status="pending") == others


def test_a_row_that_does_not_import_is_refused_at_acceptance(api, followed, coordinator):
    changed = next(t for page in api.pages for t in page["results"] if t["slug"] == "repair-cafe")
    changed["category"] = {"slug": "inconnue", "name": "Inconnue"}
    library_follow.run(followed)
    proposal = LibraryProposal.objects.get(row__identifiant="repair-cafe")
    before = state()
    with pytest.raises(library_follow.ProposalImportError, match="inconnue"):
        library_follow.accept(proposal, coordinator)
    assert state() == before


# --- Bad answers -----------------------------------------------------------------------------


def first_page(api):
    return api.pages[0]


HTTP_ERROR = "The other network's site answered with an error (HTTP %(status)s)."
NOT_JSON = "The other network's site sent an answer that is not valid JSON."
LATE = "The other network's site did not answer in time (%(seconds)s s)."
TOO_LARGE = "The other network's site sent an answer larger than %(size)s MB."


@pytest.mark.parametrize(
    ("page", "failure", "message"),
    [
        (1, "500", (HTTP_ERROR, {"status": 500})),
        (2, "500", (HTTP_ERROR, {"status": 500})),
        (1, "invalid-json", (NOT_JSON, {})),
        (2, "invalid-json", (NOT_JSON, {})),
        (2, "slow", (LATE, {"seconds": 1})),
        (1, "huge", (TOO_LARGE, {"size": 0.1})),
    ],
)
def test_a_bad_answer_changes_nothing(api, followed, settings, page, failure, message):
    settings.MPRC_LIBRARY_FOLLOW_MAX_BYTES = 100_000
    api.failures[page] = failure
    before = state()
    outcome = library_follow.run(followed)
    assert not outcome.ok
    assert outcome.error == fr(message[0], **message[1])
    assert state() == before
    followed.refresh_from_db()
    assert followed.last_sync_ok is False
    assert followed.last_sync_message == fr(FAILED, error=outcome.error)


@pytest.mark.parametrize(
    "change",
    [
        lambda page: page["results"][0].pop("slug"),
        lambda page: page["results"][0].update(version="2"),
        lambda page: page["results"][0].update(steps=[{"title": 3}]),
        lambda page: page["results"][0].update(budget_min=True),
        lambda page: page["results"][0].update(url="javascript:alert(1)"),
        lambda page: page.update(count=7),  # fewer templates than announced
        lambda page: (  # two templates with one identifier
            page["results"].append(copy.deepcopy(page["results"][0]) | {"id": 99999}),
            page.update(count=4),
        ),
        lambda page: page.pop("results"),
    ],
)
def test_an_answer_not_shaped_like_ours_changes_nothing(api, followed, change):
    change(first_page(api))
    before = state()
    outcome = library_follow.run(followed)
    assert not outcome.ok
    announced = fr(
        "The other network announced %(announced)s templates but sent %(received)s.",
        announced=7,
        received=3,
    )
    assert outcome.error.startswith(prefix(NOT_SHAPED, "what")) or outcome.error == announced
    assert state() == before


def test_redirects_are_followed_each_address_checked(api, followed):
    api.failures[1] = "redirect"
    api.redirect_to = "file:///etc/passwd"
    outcome = library_follow.run(followed)
    assert outcome.error == fr(ONLY_HTTP)
    assert len(api.requests) == 1
    api.redirect_to = f"{api.base_url}api/v1/templates/?page=1"  # to itself, again and again
    outcome = library_follow.run(followed)
    assert outcome.error == fr("The other network's site redirects too many times.")
    assert not LibraryProposal.objects.exists()


def test_no_request_leaves_for_a_private_address(api, followed, settings):
    settings.MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE = False
    outcome = library_follow.run(followed)
    assert outcome.error == fr(PRIVATE, host="127.0.0.1")
    assert api.requests == []


def test_a_dns_answer_that_changes_after_the_check_reaches_nothing(api, settings, monkeypatch):
    """DNS rebinding: the host resolves to a public address when it is checked, then to
    the server's own loopback when the connection is made. The connection's peer is
    checked too: no request reaches the local server."""
    settings.MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE = False
    port = urlsplit(api.base_url).port
    real_getaddrinfo = socket.getaddrinfo
    answers = []

    def rebinding_getaddrinfo(host, *args, **kwargs):
        if host != "bibliotheque.example.org":
            return real_getaddrinfo(host, *args, **kwargs)
        address = "93.184.216.34" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    library = FollowedLibrary.objects.create(
        name="Réseau qui change d'adresse", url=f"http://bibliotheque.example.org:{port}/"
    )
    outcome = library_follow.run(library)
    assert answers[:2] == ["93.184.216.34", "127.0.0.1"]  # checked, then connected
    assert outcome.error == fr(PRIVATE, host="bibliotheque.example.org")
    assert api.requests == []
    assert not LibraryProposal.objects.exists()


PRIVATE_NETWORKS = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
]


def refused(address):
    with override_settings(MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE=False):
        try:
            library_follow.check_peer("h.example", address)
        except LibraryFollowError:
            return True
    return False


@given(network=st.sampled_from(PRIVATE_NETWORKS), offset=st.integers(min_value=0))
def test_every_address_of_a_private_network_is_refused(network, offset):
    network = ipaddress.ip_network(network)
    assert refused(str(network[offset % network.num_addresses]))


@given(address=st.ip_addresses(v=4))
def test_an_ipv4_address_written_as_ipv6_gets_the_same_answer(address):
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert refused(str(mapped)) == refused(str(address))
    assert refused(f"{mapped}%eth0") == refused(str(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_local_addresses_are_refused(settings, url):
    settings.MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE = False
    with pytest.raises(LibraryFollowError) as raised:
        library_follow.check_address(library_follow.site_url(url))
    assert str(raised.value) == fr(PRIVATE, host=urlsplit(url).hostname)


@pytest.mark.parametrize(
    "url", ["ftp://reseau.example.org/", "file:///etc/passwd", "reseau.example.org", ""]
)
def test_only_http_and_https(url):
    with pytest.raises(LibraryFollowError) as raised:
        library_follow.site_url(url)
    assert str(raised.value) == fr(ONLY_HTTP)


def test_the_site_address_is_taken_back_from_the_apis():
    assert (
        library_follow.site_url("https://Reseau.example.org/api/v1/templates/")
        == "https://reseau.example.org/"
    )
    assert library_follow.site_url("https://reseau.example.org") == "https://reseau.example.org/"


# --- The coordinators' screen ----------------------------------------------------------------


def test_a_coordinator_follows_synchronises_accepts_and_declines(api, coordinator_client):
    response = coordinator_client.post(INDEX, {"name": "Réseau du Clunisois", "url": api.base_url})
    assert response.status_code == 302
    library = FollowedLibrary.objects.get()
    assert library.url == api.base_url

    response = coordinator_client.post(
        reverse("project_catalog_libraries:sync", args=[library.pk]), follow=True
    )
    page = text_of(response)
    assert fr("Synchronise now") in page
    assert fr(REPORT, received=3, proposed=3) in page
    assert "Repair café" in page

    accepted = LibraryProposal.objects.get(row__identifiant="repair-cafe")
    response = coordinator_client.post(
        reverse("project_catalog_libraries:accept", args=[accepted.pk])
    )
    template = ProjectTemplatePage.objects.get(slug="repair-cafe")
    assert response.url == reverse("wagtailadmin_pages:edit", args=[template.pk])
    declined = LibraryProposal.objects.get(row__identifiant="cafe-associatif")
    coordinator_client.post(reverse("project_catalog_libraries:decline", args=[declined.pk]))
    assert set(LibraryProposal.objects.values_list("row__identifiant", "status")) == {
        ("repair-cafe", "accepted"),
        ("cafe-associatif", "declined"),
        ("tiers-lieu-rural", "pending"),
    }
    # A proposal reviewed already: 404.
    response = coordinator_client.post(
        reverse("project_catalog_libraries:accept", args=[declined.pk])
    )
    assert response.status_code == 404


def test_synchronise_now_runs_in_the_background_once(
    api, followed, coordinator_client, settings, monkeypatch
):
    """The button queues the sync and answers at once; a second click while it waits
    queues nothing; the screen says it is under way until the worker ran it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    queue = DBTaskResult.objects.filter(
        task_path=library_follow.synchronise_in_background.module_path
    )
    other = FollowedLibrary.objects.create(name="Autre réseau", url="https://autre.example.org/")
    sync = reverse("project_catalog_libraries:sync", args=[followed.pk])
    response = coordinator_client.post(sync, follow=True)
    assert api.requests == []  # nothing asked of the other site within the request
    assert queue.count() == 1
    page = response.content.decode()
    assert page.count('class="sync-under-way"') == 1  # this library's row only
    coordinator_client.post(sync)
    assert queue.count() == 1
    coordinator_client.post(reverse("project_catalog_libraries:sync", args=[other.pk]))
    assert queue.count() == 2  # another library's sync is another call

    queue.exclude(args_kwargs__args=[followed.pk]).delete()
    run_queued_tasks(monkeypatch)
    followed.refresh_from_db()
    assert followed.last_sync_ok
    assert LibraryProposal.objects.filter(library=followed).exists()
    page = coordinator_client.get(INDEX).content.decode()
    assert 'class="sync-under-way"' not in page


def test_a_failed_sync_is_shown_in_french_on_the_screen(api, followed, coordinator_client):
    api.failures[1] = "500"
    response = coordinator_client.post(
        reverse("project_catalog_libraries:sync", args=[followed.pk]), follow=True
    )
    assert fr(HTTP_ERROR, status=500) in text_of(response)
    assert not LibraryProposal.objects.exists()


def test_the_form_refuses_a_private_address(coordinator_client, settings, library):
    settings.MPRC_LIBRARY_FOLLOW_ALLOW_PRIVATE = False
    response = coordinator_client.post(INDEX, {"name": "Moi", "url": "http://127.0.0.1:8000/"})
    assert response.status_code == 200
    assert fr(PRIVATE, host="127.0.0.1") in text_of(response)
    assert not FollowedLibrary.objects.exists()


def test_commune_staff_get_404(client_a, followed):
    proposal = LibraryProposal.objects.create(
        library=followed,
        remote_id=1,
        remote_url="https://example.org/t/",
        version=1,
        title="T",
        kind="new",
        row={"identifiant": "t"},
    )
    urls = [
        ("get", INDEX),
        ("post", INDEX),
        ("post", reverse("project_catalog_libraries:sync", args=[followed.pk])),
        ("post", reverse("project_catalog_libraries:unfollow", args=[followed.pk])),
        ("post", reverse("project_catalog_libraries:accept", args=[proposal.pk])),
        ("post", reverse("project_catalog_libraries:decline", args=[proposal.pk])),
    ]
    for method, url in urls:
        assert getattr(client_a, method)(url).status_code == 404, url
    assert api_untouched(followed, proposal)


def api_untouched(followed, proposal):
    followed.refresh_from_db()
    proposal.refresh_from_db()
    return followed.last_sync_at is None and proposal.status == "pending"


# --- The daily job ---------------------------------------------------------------------------


def test_the_daily_job_synchronises_every_followed_library(api, followed):
    from mprc_cms.modules import get_module

    assert get_module("projects").info.daily_job == "project_catalog.library_follow.daily"
    line = library_follow.daily()
    assert "Réseau du Clunisois" in line
    assert fr(REPORT, received=3, proposed=3) in line
    assert LibraryProposal.objects.count() == 3
    assert fr(REPORT, received=3, proposed=0) in library_follow.daily()


# --- The templates API gives what a follower needs -------------------------------------------


def test_the_api_gives_a_templates_steps_resources_and_identifier(recorded):
    found = {t["slug"]: t for page in recorded["pages"] for t in page["results"]}
    first = found["tiers-lieu-rural"]
    assert first["steps"][0] == {
        "title": "Trouver le lieu",
        "description": "Visiter les locaux vides.\nDemander à la mairie.",
        "duration": "1 mois",
    }
    assert first["resources"][0] == {"title": "Guide", "url": "https://example.org/g"}
    assert first["resources"][-1]["title"] == "Fiche pratique"
    assert first["resources"][-1]["url"].startswith("http://testserver/documents/")
    assert (first["version"], first["version_note"], first["origin"]) == (
        2,
        "Un lieu plus grand",
        "Cluny (2025)",
    )


# --- The parser over random answers (hypothesis) ---------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
KEYS = [
    "count",
    "next",
    "results",
    "id",
    "slug",
    "title",
    "url",
    "category",
    "version",
    "steps",
    "resources",
    "budget_min",
    "summary",
]
VALID_TEMPLATE = {
    "id": 1,
    "title": "Repair café",
    "slug": "repair-cafe",
    "url": "https://reseau.example.org/bibliotheque-de-projets/repair-cafe/",
    "category": {"slug": "echanges-de-services", "name": "Échanges de services"},
    "summary": "Réparer ensemble.",
    "problem": "Des objets jetés.",
    "steps": [{"title": "Trouver un lieu", "description": "La salle des fêtes.", "duration": ""}],
    "budget_min": 0,
    "budget_max": 800,
    "duration": "2 mois",
    "roles": "",
    "pitfalls": "",
    "success_factors": "",
    "resources": [{"title": "Guide", "url": "https://example.org/g"}],
    "licence": "cc-by-sa-4.0",
    "origin": "",
    "version": 1,
    "version_note": "",
}


@st.composite
def mutated_pages(draw):
    """A valid page with one value somewhere replaced by random JSON."""
    page = {"count": 1, "next": None, "results": [copy.deepcopy(VALID_TEMPLATE)]}
    target = draw(st.sampled_from(["page", "template", "step", "category"]))
    holder = {
        "page": page,
        "template": page["results"][0],
        "step": page["results"][0]["steps"][0],
        "category": page["results"][0]["category"],
    }[target]
    key = draw(st.sampled_from([*holder, *KEYS]))
    holder[key] = draw(JSON)
    return page


def parses_or_refuses(value):
    try:
        parsed = parse_page(value)
    except LibraryFollowError as error:
        message = str(error)
    else:
        assert isinstance(parsed["results"], list)
        return parsed
    assert message
    return None


@given(st.one_of(JSON, mutated_pages()))
@hypothesis_settings(max_examples=300, deadline=None)
def test_the_parser_never_fails_otherwise(value):
    parses_or_refuses(value)


@given(mutated_pages())
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_sync_of_random_answers_changes_nothing_when_it_fails(library, value):
    library_obj = FollowedLibrary.objects.get_or_create(
        url="https://reseau.example.org/", defaults={"name": "Réseau"}
    )[0]
    before = state()

    def pages():
        yield parse_page(value)

    outcome = library_follow.synchronise(library_obj, pages())
    if not outcome.ok:
        assert state() == before
        assert outcome.proposed == 0
    LibraryProposal.objects.all().delete()


def test_the_valid_page_of_the_hypothesis_tests_is_valid():
    parsed = parse_page({"count": 1, "next": None, "results": [VALID_TEMPLATE]})
    assert parsed["results"][0]["row"]["identifiant"] == "repair-cafe"
    assert json.loads(parsed["results"][0]["row"]["etapes"])[0]["titre"] == "Trouver un lieu"


def test_the_screen_is_in_the_coordinators_menu_only(coordinator_client, client_a, library):
    assert INDEX in text_of(coordinator_client.get("/admin/"))
    assert INDEX not in text_of(client_a.get("/admin/"))
    page = text_of(coordinator_client.get(INDEX))
    assert fr("The network follows no other library yet.") in page
    assert fr("No proposal is waiting.") in page


def test_documents_in_the_templates_api_cost_one_query_per_page(client, library):
    def add(count):
        for number in range(count):
            document = wagtail_factories.DocumentFactory(title=f"Fiche {number}")
            ProjectTemplatePageFactory(
                title=f"Modèle {number} {document.pk}",
                resources=[{"type": "document", "value": {"title": "", "document": document.pk}}],
                publish=True,
            )

    add(2)
    few = api_queries(client, "/api/v1/templates/")
    add(8)
    assert api_queries(client, "/api/v1/templates/") == few
    found = client.get("/api/v1/templates/").json()["results"]
    assert len(found) == 10
    assert all(t["resources"][0]["url"].startswith("http://testserver/documents/") for t in found)


def test_the_same_template_file_twice_changes_nothing(recorded, coordinator):
    """Steps and resources compare as the file writes them: a second import of the same
    file (or a followed template already held) is unchanged, no new revision."""
    from wagtail.models import Revision

    client = DjangoClient()
    client.force_login(coordinator)
    import_file(client, TEMPLATES, recorded["csv"], name="modeles.csv")
    revisions = Revision.objects.count()
    import_file(client, TEMPLATES, recorded["csv"], name="modeles.csv")
    assert Revision.objects.count() == revisions
