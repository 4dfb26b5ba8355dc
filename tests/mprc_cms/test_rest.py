"""The public read-only API (mprc_cms/rest.py, docs/api.md): anonymous, French, paginated,
open to other sites for GET, rate-limited, kept by the page cache until the data changes,
and described by an OpenAPI document and its documentation page."""

import base64
import json

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from home.factories import DEFAULT_PASSWORD
from home.models import CommunePage
from mprc_cms import ratelimit, rest
from mprc_cms.rest_documentation import endpoints, openapi_document
from tests.api_helpers import NOT_AN_ID, get_json

pytestmark = pytest.mark.django_db


def get(client, url, expect=200, **params):
    if url.endswith("/documentation/"):
        response = client.get(url, params)
        assert response.status_code == expect
        return response
    return get_json(client, url, expect, **params)


def test_the_root_lists_every_endpoint_the_schema_and_the_documentation(client, network_home):
    found = get(client, "/api/v1/")
    names = {viewset.api_prefix for viewset in rest.endpoint_classes()}
    assert set(found["endpoints"]) == names
    assert "communes" in names
    for url in found["endpoints"].values():
        assert get(client, url)["count"] >= 0
    assert found["schema"].endswith("/api/v1/schema/")
    assert found["documentation"].endswith("/api/v1/documentation/")


def test_every_answer_is_open_to_other_sites_for_reading(client, commune_a):
    for url in ("/api/v1/", "/api/v1/communes/", "/api/v1/schema/", "/api/v1/communes/0/"):
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*"
    response = client.post("/api/v1/communes/", {"name": "Nouvelle"})
    assert response.status_code == 405
    assert not CommunePage.objects.filter(title="Nouvelle").exists()


def test_communes_are_the_published_ones_with_their_modules(client, commune_a, commune_b):
    from home.onboarding import switch_module_on
    from mprc_cms.modules import get_modules

    # Any installed module with a page of its own (none when the core runs alone).
    module = next((m for m in get_modules() if m.info.index_page_model), None)
    if module is not None:
        switch_module_on(commune_a, module)
    draft = CommunePage.objects.get(pk=commune_b.pk)
    draft.unpublish()
    found = get(client, "/api/v1/communes/")
    assert [c["name"] for c in found["results"]] == ["Aubigny-les-Prés"]
    # No town hall e-mail given: null, not an empty string (the document says «email»).
    assert found["results"][0]["email"] is None
    get(client, f"/api/v1/communes/{commune_b.pk}/", expect=404)
    assert get(client, "/api/v1/communes/", module="nothing")["count"] == 0
    if module is not None:
        assert module.key in {m["key"] for m in found["results"][0]["modules"]}
        assert get(client, "/api/v1/communes/", module=module.key)["count"] == 1


def test_errors_are_in_french(client, network_home):
    assert get(client, "/api/v1/communes/", expect=404, page=99) == {
        "detail": "Cette page n’existe pas."
    }
    assert get(client, "/api/v1/communes/0/", expect=404) == {
        "detail": "Cet enregistrement n’existe pas ou n’est pas public."
    }


def test_pages_have_a_size_with_a_maximum(client, network_home):
    from home.onboarding import create_commune

    for number in range(3):
        create_commune(
            name=f"Commune {number}", insee_code=f"7190{number}", postcode="71250", publish=True
        )
    assert len(get(client, "/api/v1/communes/", page_size=2)["results"]) == 2
    found = get(client, "/api/v1/communes/", page_size=10_000)
    assert found["count"] == 3
    assert len(found["results"]) == 3
    assert rest.Pagination.max_page_size == rest.MAX_PAGE_SIZE


def test_requests_over_the_rate_are_refused_with_429(client, settings, network_home):
    settings.MPRC_API_RATE = "3/minute"
    cache.clear()
    for _ in range(3):
        get(client, "/api/v1/communes/")
    response = client.get("/api/v1/communes/")
    assert response.status_code == 429
    assert "Requête" in response.json()["detail"] or "requête" in response.json()["detail"]
    # Another address is not refused.
    assert client.get("/api/v1/communes/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_signed_in_visitor_gets_the_same_public_answer(client, client_a, commune_a):
    draft = CommunePage.objects.get(pk=commune_a.pk)
    draft.unpublish()
    assert get(client_a, "/api/v1/communes/") == get(client, "/api/v1/communes/")
    assert get(client_a, "/api/v1/communes/")["count"] == 0


def test_answers_are_kept_until_the_data_changes(client, settings, commune_a):
    settings.MPRC_PAGE_CACHE = True
    first = client.get("/api/v1/communes/")
    assert client.get("/api/v1/communes/")["X-Page-Cache"] == "hit"
    page = CommunePage.objects.get(pk=commune_a.pk)
    page.title = "Aubigny-le-Haut"
    page.save_revision().publish()
    fresh = client.get("/api/v1/communes/")
    assert fresh["X-Page-Cache"] != "hit"
    assert first.json()["results"][0]["name"] == "Aubigny-les-Prés"
    assert fresh.json()["results"][0]["name"] == "Aubigny-le-Haut"


def test_the_openapi_document_describes_every_endpoint(client, network_home):
    document = json.loads(client.get("/api/v1/schema/").content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["license"]["name"].startswith("Licence Ouverte")
    paths = set(document["paths"])
    for viewset in rest.endpoint_classes():
        assert f"/api/v1/{viewset.api_prefix}/" in paths
        assert f"/api/v1/{viewset.api_prefix}/{{id}}/" in paths
    assert all(set(operations) == {"get"} for operations in document["paths"].values())
    assert document == openapi_document()


def test_the_documentation_page_shows_every_endpoint_its_parameters_and_fields(
    client, network_home
):
    response = get(client, "/api/v1/documentation/")
    text = response.content.decode()
    for endpoint in endpoints():
        assert f"GET {endpoint['path']}" in text
        for parameter in endpoint["parameters"]:
            assert f"<code>{parameter['name']}</code>" in text
    if any(issubclass(viewset, rest.KindViewSet) for viewset in rest.endpoint_classes()):
        assert "<code>commune</code>" in text
    assert "<code>page_size</code>" in text
    assert "Licence Ouverte" in text


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    endpoint=st.sampled_from([viewset.api_prefix for viewset in rest.endpoint_classes()]),
    params=st.dictionaries(
        st.sampled_from(
            [
                "page",
                "page_size",
                "commune",
                "q",
                "category",
                "status",
                "kind",
                "open",
                "closing_within",
                "budget",
                "template",
                "module",
                "insee_code",
                "phase",
                "upcoming",
                "micro_parliament",
                "stage",
                "hamlet",
            ]
        ),
        st.one_of(st.text(max_size=12), st.integers(-5, 10**12).map(str)),
        max_size=4,
    ),
)
def test_no_parameter_makes_an_error_of_the_server(client, network_home, endpoint, params):
    """Whatever is sent: 200, 400 or 404 with a JSON body, never a 500."""
    cache.clear()  # the rate limit
    params = {key: value.replace("\x00", "") for key, value in params.items()}
    response = client.get(f"/api/v1/{endpoint}/", params)
    assert response.status_code in (200, 400, 404), (params, response.content[:300])
    response.json()


def test_the_document_is_valid_and_made_without_a_warning():
    """drf-spectacular guessed every type (no warning, no error) and the document is valid
    OpenAPI 3: a field or filter it cannot read would be documented as a plain string."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.validation import validate_schema

    openapi_document.cache_clear()
    GENERATOR_STATS.reset()
    document = openapi_document()
    assert not GENERATOR_STATS._warn_cache
    assert not GENERATOR_STATS._error_cache
    validate_schema(document)


# Every kind of address below the API: the root, an endpoint, a record, the document, its
# page, an address the API does not have.
ADDRESSES = [
    "/api/v1/",
    "/api/v1/communes/",
    "/api/v1/communes/1/",
    "/api/v1/schema/",
    "/api/v1/documentation/",
    "/api/v1/nothing/",
]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_any_other_method_is_a_405_in_french_json_whatever_the_csrf(network_home, method):
    """A script or a browser sends no CSRF token: the answer is still the API's 405."""
    client = Client(enforce_csrf_checks=True)
    for url in ADDRESSES:
        response = getattr(client, method)(url)
        assert (response.status_code, response["Content-Type"]) == (405, "application/json"), url
        assert response["Access-Control-Allow-Origin"] == "*"
        name = f"«\N{NO-BREAK SPACE}{method.upper()}\N{NO-BREAK SPACE}»"
        assert response.json() == {"detail": f"Méthode {name} non autorisée."}


def test_no_address_reads_credentials(client, network_home, editor_a):
    """Anonymous: a wrong password is no 403 (no password oracle) and counts no sign-in
    failure (no lockout of an editor from the API); a right one changes nothing either."""
    for url in ADDRESSES:
        anonymous = client.get(url)
        for password in ("mauvais-mot-de-passe", DEFAULT_PASSWORD):
            token = base64.b64encode(f"{editor_a.username}:{password}".encode()).decode()
            response = client.get(url, HTTP_AUTHORIZATION=f"Basic {token}")
            assert (response.status_code, response.content) == (
                anonymous.status_code,
                anonymous.content,
            ), url
    assert not apps.get_model("axes", "AccessAttempt").objects.exists()


def test_no_parameter_changes_the_document_or_its_language(client, network_home):
    """French whatever is asked (drf-spectacular's ?lang=), and ?version= never reaches
    the file's name (a header: a line break in it was a 500)."""
    plain = client.get("/api/v1/schema/")
    assert "Le nom de la commune." in plain.content.decode()
    for params in ({"lang": "en"}, {"version": "a\nb"}, {"version": "2", "lang": "x" * 500}):
        response = client.get("/api/v1/schema/", params)
        assert response.status_code == 200
        assert response.content == plain.content
        assert response["Content-Disposition"] == 'inline; filename="mprc-cms-api-v1.json"'
    page = client.get("/api/v1/documentation/", {"lang": "en"}).content.decode()
    assert '<html lang="fr"' in page
    assert "Le nom de la commune." in page


def test_a_forged_x_forwarded_for_neither_escapes_the_rate_nor_uses_up_anothers(
    client, settings, network_home
):
    """The address is REMOTE_ADDR (the reverse proxy sets it), as for every rate limit."""
    settings.MPRC_API_RATE = "3/minute"
    statuses = [
        client.get("/api/v1/communes/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    for _ in range(3):
        response = client.get(
            "/api/v1/communes/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9"
        )
        assert response.status_code == 200
    assert client.get("/api/v1/communes/", REMOTE_ADDR="10.0.0.9").status_code == 200


@given(forwarded=st.text())
def test_no_x_forwarded_for_changes_the_address_the_rate_counts(forwarded):
    request = RequestFactory().get(
        "/api/v1/communes/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert rest.Throttle().get_ident(request) == ratelimit.client_ip(request) == "192.0.2.7"


@given(value=NOT_AN_ID)
def test_an_id_filter_takes_ascii_digits_only(value):
    """Never a decimal truncated to another record's id, nor what int() reads besides."""
    field = rest.id_filter(field_name="id").field
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "invalid"


@given(value=st.text().filter(lambda value: value not in ("", "true", "false")))
def test_a_boolean_filter_takes_true_or_false_only(value):
    field = rest.BooleanFilter(field_name="id").field
    assert (field.clean("true"), field.clean("false"), field.clean("")) == (True, False, None)
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "invalid"
