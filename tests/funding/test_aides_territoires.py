"""The network's funding sources kept fresh from Aides-territoires: the real HTTP client
against a local HTTP server that serves recorded answers shaped like the API's (the demo's
``demo_data/aides-territoires.json``), the mapping, the sync and its guarantees (all or
nothing, idempotent, local notes kept, aids gone closed), the coordinators' screen and the
daily job."""

import copy
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from project_catalog.api import ProjectCategory
from project_catalog.funding import aides_territoires, alerts
from project_catalog.funding.aides_territoires import (
    AidesTerritoiresError,
    Client,
    InvalidAid,
    categories_of,
    map_aid,
    synchronise,
)
from project_catalog.funding.demo import AIDES_TERRITOIRES_FILE, aides_territoires_pages
from project_catalog.funding.factories import FundingSourceFactory
from project_catalog.funding.models import (
    AidesTerritoiresSettings,
    AidesTerritoiresSync,
    Financer,
    FundingKind,
    FundingSource,
    Scope,
    Timing,
)
from tests.task_helpers import run_queued_tasks

pytestmark = pytest.mark.django_db

API_KEY = "cle-api-secrete-7f3a9c2e41d8"
RECORDED = json.loads(AIDES_TERRITOIRES_FILE.read_text(encoding="utf-8"))
TODAY = datetime.date(2026, 12, 6)
RECORDED_COUNT = sum(len(page["results"]) for page in RECORDED["pages"])


# --- The local server of recorded answers -------------------------------------------------


class RecordedAPI:
    """What the server answers: the recorded pages (``pages``, copies a test may change),
    and failures a test asks for: ``failures[page] = "500" | "invalid-json" | "slow" |
    "huge" | "redirect-loop"``,
    ``expire_tokens`` (the first N tokens handed out are refused by ``aids/``),
    ``refuse_key``. ``requests`` records (method, path, query) of every request."""

    def __init__(self):
        self.pages = copy.deepcopy(RECORDED["pages"])
        self.failures = {}
        self.expire_tokens = 0
        self.refuse_key = False
        self.tokens = 0
        self.requests = []
        self.slow_seconds = 1.5
        self.base_url = ""

    def page(self, number):
        page = copy.deepcopy(self.pages[number - 1])
        more = number < len(self.pages)
        # The API gives absolute links to its own address.
        page["next"] = f"{self.base_url}aids/?perimeter=x&page={number + 1}" if more else None
        return page


def handler_for(api):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def send(self, status, body, content_type="application/json"):
            data = body.encode() if isinstance(body, str) else body
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (the timeout test)
                pass

        def do_POST(self):
            split = urlsplit(self.path)
            api.requests.append(("POST", split.path, {}))
            if split.path != "/api/connexion/":
                return self.send(404, "{}")
            if api.refuse_key or self.headers.get("X-AUTH-TOKEN") != API_KEY:
                return self.send(401, json.dumps({"detail": "Clé invalide."}))
            api.tokens += 1
            self.send(200, json.dumps({"token": f"jwt-{api.tokens}"}))

        def do_GET(self):
            split = urlsplit(self.path)
            query = parse_qs(split.query)
            api.requests.append(("GET", split.path, query))
            if split.path != "/api/aids/":
                return self.send(404, "{}")
            token = self.headers.get("Authorization", "").removeprefix("Bearer jwt-")
            if not token.isdigit() or int(token) <= api.expire_tokens:
                return self.send(401, json.dumps({"detail": "Token expiré."}))
            number = int(query.get("page", ["1"])[0])
            failure = api.failures.get(number)
            if failure == "500":
                return self.send(500, "<h1>Server Error (500)</h1>", "text/html")
            if failure == "invalid-json":
                return self.send(200, '{"count": 7, "next": null, "results": [')
            if failure == "huge":  # larger than the client reads (10 MB)
                padding = b" " * (11 * 1024 * 1024)
                return self.send(200, b'{"count": 7, "next": null, "results": [' + padding + b"]}")
            if failure == "redirect-loop":
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if failure == "slow":
                time.sleep(api.slow_seconds)
            if number > len(api.pages):
                return self.send(404, json.dumps({"detail": "Page non valide."}))
            self.send(200, json.dumps(api.page(number)))

    return Handler


@pytest.fixture
def api(settings):
    recorded = RecordedAPI()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(recorded))
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorded.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    settings.MPRC_AIDES_TERRITOIRES_URL = recorded.base_url
    settings.MPRC_AIDES_TERRITOIRES_TIMEOUT = (2, 2)
    yield recorded
    server.shutdown()
    server.server_close()


@pytest.fixture
def configured(db):
    config = AidesTerritoiresSettings.load()
    config.api_key = API_KEY
    config.perimeter = "70973-saone-et-loire"
    config.audiences = "commune,epci"
    config.categories = "mobilite-partagee"
    config.enabled = True
    config.save()
    return config


def run():
    return aides_territoires.run(AidesTerritoiresSync.Trigger.MANUAL)


def imported():
    return {
        source.aides_territoires_id: source
        for source in FundingSource.objects.filter(aides_territoires_id__isnull=False)
    }


def snapshot():
    """Every source and financer as stored, to compare before and after a failed sync."""
    sources = list(FundingSource.objects.order_by("pk").values())
    return sources, list(Financer.objects.order_by("pk").values())


# --- The HTTP client and the sync ---------------------------------------------------------


def test_two_pages_are_read_then_the_sync_stops(api, configured):
    record = run()
    assert record.ok, record.error
    assert (record.fetched, record.created, record.updated, record.closed) == (
        RECORDED_COUNT,
        RECORDED_COUNT,
        0,
        0,
    )
    assert set(imported()) == {aid["id"] for page in RECORDED["pages"] for aid in page["results"]}
    assert [(method, path) for method, path, _query in api.requests] == [
        ("POST", "/api/connexion/"),
        ("GET", "/api/aids/"),
        ("GET", "/api/aids/"),
    ]
    first = api.requests[1][2]
    assert first["perimeter"] == ["70973-saone-et-loire"]
    assert first["itemsPerPage"] == ["50"]
    assert first["targeted_audiences"] == ["commune", "epci"]
    assert first["categories"] == ["mobilite-partagee"]
    # The next page is asked on the API's own address, with the query of ``next``.
    assert api.requests[2][2]["page"] == ["2"]


def test_an_aid_becomes_a_network_source(api, configured):
    run()
    source = FundingSource.objects.get(aides_territoires_id=161350)
    assert source.commune is None
    assert source.name.startswith("Conférence des financeurs")
    assert source.financer.name == "Département de Saône-et-Loire"
    assert source.financer.level == Financer.Level.DEPARTMENT
    assert source.co_financers == "CNSA, Carsat Bourgogne-Franche-Comté"
    assert source.kind == FundingKind.CALL
    assert (source.scope, source.department) == (Scope.DEPARTMENT, "71")
    assert source.timing == Timing.YEARLY
    assert source.closes_on == datetime.date(2027, 3, 31)
    assert "<" not in source.description
    assert "lutte contre l’isolement" in source.description
    assert source.themes == "Personnes âgées, Prévention"
    assert source.url == "https://www.saoneetloire71.fr/"
    assert source.aides_territoires_url == (
        "https://aides-territoires.beta.gouv.fr/aides/"
        "5d90-conference-des-financeurs-prevention-autonomie-saone-et-loire/"
    )
    assert source.checked_by == "Aides-territoires"
    assert source.synced_at is not None
    assert set(source.applicants.values_list("slug", flat=True)) == {"communes", "associations"}
    # Its sub-themes name the project categories it funds (seniors, not walking or markets).
    assert set(source.categories.values_list("slug", flat=True)) == {"visites-solidaires-aines"}
    regional = FundingSource.objects.get(aides_territoires_id=158843)
    assert (regional.scope, regional.region, regional.timing) == (
        Scope.REGION,
        "27",
        Timing.PERMANENT,
    )
    assert (regional.rate_min, regional.rate_max, regional.covers_investment) == (20, 40, True)
    mobility = FundingSource.objects.get(aides_territoires_id=160231)
    assert mobility.application_url == "https://agirpourlatransition.ademe.fr/entreprises/"
    assert mobility.covers_studies
    # "Modes actifs : vélo, marche…" is walking, not a farmers' market.
    assert set(mobility.categories.values_list("slug", flat=True)) == {"covoiturage-local"}
    territory = FundingSource.objects.get(aides_territoires_id=162005)
    assert (territory.scope, territory.territory_name) == (
        Scope.TERRITORY,
        "Pays Charolais-Brionnais",
    )


def test_a_second_run_changes_nothing(api, configured):
    run()
    before = {pk: source.updated_at for pk, source in imported().items()}
    record = run()
    assert record.ok
    assert (record.created, record.updated, record.closed) == (0, 0, 0)
    assert FundingSource.objects.filter(aides_territoires_id__isnull=False).count() == len(before)
    after = imported()
    assert {pk: source.updated_at for pk, source in after.items()} == before
    # Every source still listed records the last sync.
    assert {source.synced_at for source in after.values()} == {record.started_at}


def test_upstream_changes_are_applied_and_local_notes_kept(api, configured):
    run()
    source = FundingSource.objects.get(aides_territoires_id=160231)
    source.local_notes = "Dossier déjà monté avec la CC en 2025."
    source.how_to_apply = "Contacter la coordination avant le dépôt."
    source.save()
    aid = api.pages[0]["results"][0]
    aid["name"] = "Territoires de nouvelles mobilités durables : édition 2027"
    aid["submission_deadline"] = "2027-04-30"
    record = run()
    assert (record.created, record.updated, record.closed) == (0, 1, 0)
    source.refresh_from_db()
    assert source.name == "Territoires de nouvelles mobilités durables : édition 2027"
    assert source.closes_on == datetime.date(2027, 4, 30)
    assert source.local_notes == "Dossier déjà monté avec la CC en 2025."
    assert source.how_to_apply == "Contacter la coordination avant le dépôt."


def test_a_change_of_sub_themes_changes_the_categories(api, configured):
    run()
    aid = api.pages[0]["results"][0]
    aid["categories"] = ["Alimentation|Restauration collective", "Eau|Assainissement"]
    record = run()
    assert (record.created, record.updated) == (0, 1)
    source = FundingSource.objects.get(aides_territoires_id=aid["id"])
    assert set(source.categories.values_list("slug", flat=True)) == {"cantines-locales"}
    assert run().updated == 0


def test_a_coordinators_categories_stay_while_the_sub_themes_do_not_change(api, configured):
    run()
    aid = api.pages[0]["results"][0]
    source = FundingSource.objects.get(aides_territoires_id=aid["id"])
    source.categories.set(ProjectCategory.objects.filter(slug="tiers-lieux-ruraux"))
    aid["submission_deadline"] = "2027-05-31"
    assert run().updated == 1
    assert set(source.categories.values_list("slug", flat=True)) == {"tiers-lieux-ruraux"}


def test_every_category_the_sync_names_exists(db):
    named = {slug for _words, slug in aides_territoires.CATEGORY_WORDS}
    assert set(ProjectCategory.objects.filter(slug__in=named).values_list("slug", flat=True)) == (
        named
    )


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        (["Solidarités, lien social|Personnes âgées"], ["visites-solidaires-aines"]),
        (["Nature / environnement|Jardins partagés et agriculture urbaine"], ["jardins-partages"]),
        (["Culture et identité collective|Spectacle vivant"], ["festivals-evenements"]),
        (["Mobilité / transports|Modes actifs : vélo, marche"], []),
        (["Économie locale et circuits courts"], ["marche-producteurs-tournant"]),
        (["Jeunesse|"], ["ateliers-jeunes-metiers"]),
        (["Eau et milieux aquatiques|Eau potable"], []),
        ("Tiers-lieux", ["tiers-lieux-ruraux"]),
        (None, []),
    ],
)
def test_sub_themes_name_project_categories(categories, expected):
    assert categories_of(categories) == expected


@given(first=st.lists(st.one_of(st.text(), st.integers(), st.none())), second=st.lists(st.text()))
def test_more_sub_themes_never_lose_a_category(first, second):
    known = {slug for _words, slug in aides_territoires.CATEGORY_WORDS}
    alone = categories_of(first)
    both = categories_of([*first, *second])
    assert set(alone) <= set(both) <= known
    assert both == sorted(both)


def test_an_aid_removed_upstream_is_closed_then_reopened(api, configured):
    run()
    removed = api.pages[1]["results"].pop()
    for page in api.pages:
        page["count"] -= 1
    record = run()
    assert (record.created, record.updated, record.closed) == (0, 0, 1)
    source = FundingSource.objects.get(aides_territoires_id=removed["id"])
    today = timezone.localdate()
    assert source.removed_upstream_on == today
    assert source.state(today) == "closed"
    assert not FundingSource.objects.not_closed(today).filter(pk=source.pk).exists()
    # Closed once: the next run does not count it again.
    assert run().closed == 0
    api.pages[1]["results"].append(removed)
    for page in api.pages:
        page["count"] += 1
    record = run()
    assert (record.created, record.updated, record.closed) == (0, 1, 0)
    source.refresh_from_db()
    assert source.removed_upstream_on is None
    assert source.state(today) != "closed"


def test_an_expired_token_is_renewed_once(api, configured):
    api.expire_tokens = 1
    record = run()
    assert record.ok, record.error
    assert record.created == RECORDED_COUNT
    assert api.tokens == 2
    assert [method for method, _path, _query in api.requests].count("POST") == 2


def test_a_token_refused_twice_fails_cleanly(api, configured):
    api.expire_tokens = 99
    record = run()
    assert not record.ok
    assert "jeton" in record.error  # «Aides-territoires a refusé le nouveau jeton…»
    assert api.tokens == 2
    assert not FundingSource.objects.filter(aides_territoires_id__isnull=False).exists()


def test_a_refused_key_is_reported(api, configured):
    api.refuse_key = True
    record = run()
    assert not record.ok
    assert "API" in record.error
    assert [method for method, _path, _query in api.requests] == ["POST"]


def _break_missing_results(api):
    del api.pages[1]["results"]


def _break_missing_id(api):
    del api.pages[1]["results"][0]["id"]


def _break_count(api):
    api.pages[0]["count"] = 12


@pytest.mark.parametrize(
    ("failure", "breaks"),
    [
        ("500", None),
        ("invalid-json", None),
        ("slow", None),
        ("huge", None),
        ("redirect-loop", None),
        (None, _break_missing_results),
        (None, _break_missing_id),
        (None, _break_count),
    ],
    ids=[
        "http-500",
        "invalid-json",
        "timeout",
        "too-large",
        "redirect-loop",
        "no-results",
        "aid-without-id",
        "wrong-count",
    ],
)
def test_a_bad_answer_changes_nothing(api, configured, settings, caplog, failure, breaks):
    run()
    source = FundingSource.objects.get(aides_territoires_id=160231)
    source.local_notes = "Note locale."
    source.save()
    before = snapshot()
    # Page 1 changes an aid and drops another: neither may reach the database.
    api.pages[0]["results"][0]["name"] = "Nom changé en amont"
    api.pages[0]["results"].pop()
    api.pages[0]["results"].append(
        {**api.pages[1]["results"][0], "id": 999001, "financers": ["Nouveau financeur"]}
    )
    if failure:
        api.failures[2] = failure
    if failure == "slow":
        settings.MPRC_AIDES_TERRITOIRES_TIMEOUT = (1, 0.3)
    if breaks:
        breaks(api)
    with caplog.at_level("WARNING", logger="project_catalog.funding.aides_territoires"):
        record = run()
    assert not record.ok
    assert record.error
    assert (record.created, record.updated, record.closed, record.fetched) == (0, 0, 0, 0)
    assert snapshot() == before
    assert AidesTerritoiresSync.objects.filter(pk=record.pk, ok=False).exists()
    assert any("Aides-territoires sync failed" in message for message in caplog.messages)


def test_the_timeout_is_named_in_the_error(api, configured, settings):
    api.failures[1] = "slow"
    settings.MPRC_AIDES_TERRITOIRES_TIMEOUT = (1, 0.3)
    record = run()
    assert not record.ok
    assert "0.3" in record.error


@pytest.mark.parametrize(
    ("failure", "message", "params"),
    [
        ("huge", "Aides-territoires sent an answer larger than %(size)s MB.", {"size": 10.0}),
        ("redirect-loop", "Aides-territoires redirects too many times.", {}),
    ],
)
def test_a_too_large_or_endless_answer_is_named(api, configured, failure, message, params):
    api.failures[1] = failure
    record = run()
    assert not record.ok
    with translation.override("fr"):
        assert record.error == translation.gettext(message) % params


def test_no_page_at_all_closes_nothing(api, configured):
    run()
    record = synchronise([])
    assert not record.ok
    assert not FundingSource.objects.exclude(removed_upstream_on=None).exists()


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Région Bourgogne-Franche-Comté", Financer.Level.REGION),
        ("Conseil départemental de la Nièvre", Financer.Level.DEPARTMENT),
        ("Caisse d'allocations familiales de Saône-et-Loire", Financer.Level.SOCIAL_PROTECTION),
        ("Café associatif du bourg", Financer.Level.OTHER),
        ("PETR du Pays Charolais-Brionnais", Financer.Level.INTERCOMMUNALITY),
        ("Agence nationale de la cohésion des territoires (ANCT)", Financer.Level.STATE_AGENCY),
        ("DRAAF Bourgogne-Franche-Comté", Financer.Level.STATE),
        ("Banque des Territoires", Financer.Level.PUBLIC_BANK),
        ("Union européenne (FEADER)", Financer.Level.EUROPE),
        ("Fondation de France", Financer.Level.FOUNDATION),
    ],
)
def test_a_new_financers_level_is_guessed_from_its_name(name, level):
    assert aides_territoires.financer_level(name) == level


def test_more_pages_than_allowed_is_an_error_not_a_cut(api):
    client = Client(API_KEY, base_url=api.base_url, max_pages=1)
    with pytest.raises(AidesTerritoiresError):
        list(client.aid_pages("70973-saone-et-loire", ["commune"]))
    client.close()


def test_an_aid_that_cannot_be_mapped_is_skipped_and_reported(api, configured):
    run()
    aid = api.pages[1]["results"][0]
    aid["financers"], aid["financers_full"] = [], []
    aid["name"] = "Nom changé"
    record = run()
    assert record.ok
    assert record.skipped == 1
    assert record.skipped_details.startswith(f"{aid['id']}: ")
    assert record.closed == 0
    source = FundingSource.objects.get(aides_territoires_id=aid["id"])
    # Still listed upstream: neither closed nor changed.
    assert source.removed_upstream_on is None
    assert source.name != "Nom changé"


def test_the_sync_takes_recorded_pages_without_http(db):
    pages = aides_territoires_pages(TODAY)
    record = synchronise(pages, trigger=AidesTerritoiresSync.Trigger.DEMO, today=TODAY)
    assert record.ok
    assert record.created == RECORDED_COUNT
    # Dates moved by the days between the recording and the day of the load.
    shift = TODAY - datetime.date.fromisoformat(RECORDED["recorded_on"])
    source = FundingSource.objects.get(aides_territoires_id=160231)
    assert source.closes_on == datetime.date(2027, 2, 27) + shift


# --- The mapping over generated aids ------------------------------------------------------

texts = st.one_of(st.none(), st.text(max_size=600), st.integers(), st.booleans())
html = st.lists(st.sampled_from(["<p>", "</p>", "<br>", "&nbsp;", "&amp;", "é", "a ", "\x00"]))
dates = st.one_of(
    st.none(),
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 1, 1)).map(str),
    st.text(max_size=12),
)
names = st.lists(st.one_of(st.text(max_size=300), st.integers(), st.none()), max_size=6)
rates = st.one_of(st.none(), st.integers(-50, 200), st.floats(allow_nan=True), st.text(max_size=3))
urls = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["https://www.example.fr/aide", "/aides/une-aide/", "ftp://x", "http://"]),
    st.text(min_size=490, max_size=520).map(lambda tail: "https://example.fr/" + tail),
)
# A word of letters: what makes a name, a financer or a perimeter usable.
words = st.text(st.characters(whitelist_categories=["Lu", "Ll"]), min_size=1, max_size=30).map(
    lambda word: f"{word} "
)
some_text = st.lists(words, min_size=1, max_size=60).map("".join)
OPTIONAL = {
    "short_title": texts,
    "slug": texts,
    "url": urls,
    "financers_full": st.lists(st.fixed_dictionaries({"name": texts}), max_size=3),
    "description": st.one_of(texts, html.map("".join)),
    "eligibility": texts,
    "perimeter_scale": st.one_of(
        texts, st.sampled_from(["Pays", "Région", "Département", "EPCI", "Commune", "Adhoc"])
    ),
    "categories": st.one_of(names, st.lists(st.text(max_size=80).map(lambda t: f"A|{t}"))),
    "is_call_for_project": st.one_of(st.booleans(), st.none()),
    "application_url": urls,
    "origin_url": urls,
    "targeted_audiences": names,
    "aid_types": st.one_of(
        names, st.lists(st.sampled_from(["Subvention", "Prêt", "Ingénierie technique"]))
    ),
    "destinations": names,
    "start_date": dates,
    "submission_deadline": dates,
    "recurrence": st.one_of(texts, st.sampled_from(["Ponctuelle", "Permanente", "Récurrente"])),
    "subvention_rate_lower_bound": rates,
    "subvention_rate_upper_bound": rates,
    "subvention_comment": texts,
    "contact": texts,
}
# Anything of plausible shape: a good part of it cannot be imported.
aids = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(1, 2**31 - 1), st.none(), st.text(max_size=3))},
    optional={
        "name": st.one_of(texts, html.map("".join), some_text),
        "financers": st.one_of(names, texts, st.lists(some_text, max_size=3)),
        "perimeter": st.one_of(texts, some_text),
        **OPTIONAL,
    },
)
# With an id, a name, a financer and a perimeter: always imported, whatever the rest.
usable_aids = st.fixed_dictionaries(
    {
        "id": st.integers(1, 2**31 - 1),
        "name": some_text,
        "financers": st.lists(some_text, min_size=1, max_size=4),
        "perimeter": some_text,
    },
    optional=OPTIONAL,
)


def assert_fits_the_model(mapped, aid):
    fields = mapped["fields"]
    for name, value in fields.items():
        max_length = FundingSource._meta.get_field(name).max_length
        if max_length and isinstance(value, str):
            assert len(value) <= max_length, name
    assert mapped["financer"]
    assert len(mapped["financer"]) <= 150
    assert fields["name"]
    assert fields["summary"]
    try:
        FundingSource(**fields).full_clean(
            exclude=["slug", "financer", "checked_on"], validate_unique=False
        )
    except ValidationError as error:  # pragma: no cover - the assertion's message
        pytest.fail(f"{aid!r} → {error}")


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aid=aids)
def test_the_mapping_fits_the_model_or_says_why(aid):
    """Whatever the aid, ``map_aid`` returns fields within the model's lengths that pass
    its validation, or refuses the aid with a reason: never another exception."""
    try:
        mapped, reason = map_aid(aid), None
    except InvalidAid as error:
        mapped, reason = None, str(error)
    if mapped is None:
        assert reason
    else:
        assert_fits_the_model(mapped, aid)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aid=usable_aids)
def test_an_aid_with_id_name_financer_and_perimeter_is_always_imported(aid):
    """The other fields, however odd, are dropped or cut, never a reason to skip."""
    assert_fits_the_model(map_aid(aid), aid)


# --- The coordinators' screen -------------------------------------------------------------

SETTINGS_URL = "funding_aides_territoires:settings"
SYNC_URL = "funding_aides_territoires:sync"


def refused(response):
    """Wagtail's answer to PermissionDenied for a signed-in user: back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def test_only_coordinators_open_the_screen(api, configured, client, client_a, coordinator_client):
    assert coordinator_client.get(reverse(SETTINGS_URL)).status_code == 200
    assert refused(client_a.get(reverse(SETTINGS_URL)))
    assert refused(client_a.post(reverse(SETTINGS_URL), {"new_api_key": "pirate"}))
    assert refused(client_a.post(reverse(SYNC_URL)))
    assert AidesTerritoiresSettings.load().api_key == API_KEY
    assert api.requests == []
    assert not AidesTerritoiresSync.objects.exists()
    response = client.get(reverse(SETTINGS_URL))
    assert response.status_code == 302
    assert "login" in response.url


def test_the_menu_item_is_for_coordinators(client_a, coordinator_client):
    link = reverse(SETTINGS_URL)
    assert link in coordinator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert link not in client_a.get(reverse("wagtailadmin_home")).content.decode()


def test_the_key_is_saved_and_never_shown_back(coordinator_client):
    response = coordinator_client.post(
        reverse(SETTINGS_URL),
        {
            "new_api_key": API_KEY,
            "perimeter": "70973-saone-et-loire",
            "audiences": "commune",
            "categories": "",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    config = AidesTerritoiresSettings.load()
    assert (config.api_key, config.enabled) == (API_KEY, True)
    page = coordinator_client.get(reverse(SETTINGS_URL)).content.decode()
    assert API_KEY not in page
    assert API_KEY[:-4] not in page
    assert "…" + API_KEY[-4:] in page
    # Saved again without a key: the key stays.
    coordinator_client.post(
        reverse(SETTINGS_URL),
        {"new_api_key": "", "perimeter": "70973-saone-et-loire", "audiences": "commune"},
    )
    assert AidesTerritoiresSettings.load().api_key == API_KEY


def test_enabling_without_key_or_territory_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse(SETTINGS_URL), {"perimeter": "", "audiences": "commune", "enabled": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not AidesTerritoiresSettings.load().enabled


def test_synchronise_now(api, configured, coordinator_client):
    assert coordinator_client.get(reverse(SYNC_URL)).status_code == 405
    response = coordinator_client.post(reverse(SYNC_URL), follow=True)
    assert response.status_code == 200
    record = AidesTerritoiresSync.objects.get()
    assert (record.trigger, record.ok, record.created) == ("manual", True, RECORDED_COUNT)
    content = response.content.decode()
    assert "Aides-territoires" in content
    assert API_KEY not in content


def test_the_screen_shows_a_failed_sync(api, configured, coordinator_client):
    api.failures[1] = "500"
    coordinator_client.post(reverse(SYNC_URL))
    content = coordinator_client.get(reverse(SETTINGS_URL)).content.decode()
    assert "HTTP 500" in content


# --- The daily job and the public pages ---------------------------------------------------


def _daily():
    return alerts.daily(today=timezone.localdate(), now=timezone.now())


def test_the_daily_job_synchronises_when_enabled(api, configured):
    report = _daily()
    record = AidesTerritoiresSync.objects.get()
    assert report.endswith(aides_territoires.report(record))
    assert (record.trigger, record.ok) == ("daily", True)
    assert FundingSource.objects.filter(aides_territoires_id__isnull=False).count() == (
        RECORDED_COUNT
    )


def test_the_daily_job_leaves_it_when_disabled(api, configured):
    configured.enabled = False
    configured.save()
    report = _daily()
    assert "Aides-territoires" in report
    assert api.requests == []
    assert not AidesTerritoiresSync.objects.exists()


def test_the_source_page_shows_its_origin_and_last_sync(api, configured, client, guide_a):
    run()
    source = FundingSource.objects.get(aides_territoires_id=161350)
    content = client.get(guide_a.url + f"{source.slug}/").content.decode()
    assert f'href="{source.aides_territoires_url}"' in content
    with translation.override("fr"):
        synced_on = date_format(timezone.localtime(source.synced_at), "j F Y")
    origin = content[content.index("source-origin") :]
    assert synced_on in origin[: origin.index("</p>")]
    # A source of the network's own has no such line.
    own = FundingSourceFactory(name="Aide locale sans origine")
    assert "source-origin" not in client.get(guide_a.url + f"{own.slug}/").content.decode()
    listing = client.get(guide_a.url).content.decode()
    assert source.name.split(" ")[0] in listing


def test_a_failed_sync_is_reported_on_the_coordinators_dashboard(
    api, configured, coordinator_client, client_a
):
    api.failures[1] = "500"
    run()
    home = reverse("wagtailadmin_home")
    assert "HTTP 500" in coordinator_client.get(home).content.decode()
    assert "HTTP 500" not in client_a.get(home).content.decode()
    api.failures.clear()
    run()
    assert "HTTP 500" not in coordinator_client.get(home).content.decode()


@pytest.fixture
def queue(settings):
    """As in production: a database queue, run by a worker."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return DBTaskResult.objects.filter(
        task_path=aides_territoires.synchronise_in_background.module_path
    )


def test_synchronise_now_runs_in_the_background_once(
    api, configured, coordinator_client, queue, monkeypatch
):
    """The button queues the sync and answers at once; a second click while it waits
    queues nothing; the screen says it is under way until the worker ran it."""
    response = coordinator_client.post(reverse(SYNC_URL), follow=True)
    assert response.status_code == 200
    assert api.requests == []  # nothing asked of Aides-territoires within the request
    assert not AidesTerritoiresSync.objects.exists()
    assert queue.count() == 1
    page = response.content.decode()
    assert 'id="at-sync-under-way"' in page
    assert reverse(SYNC_URL) not in page  # no second button while it is under way
    coordinator_client.post(reverse(SYNC_URL))
    assert queue.count() == 1

    run_queued_tasks(monkeypatch)
    record = AidesTerritoiresSync.objects.get()
    assert (record.trigger, record.ok, record.created) == ("manual", True, RECORDED_COUNT)
    page = coordinator_client.get(reverse(SETTINGS_URL)).content.decode()
    assert reverse(SYNC_URL) in page
    assert 'id="at-sync-under-way"' not in page
    # Once done, the button queues a new one.
    coordinator_client.post(reverse(SYNC_URL))
    assert queue.filter(status="READY").count() == 1
