"""The public API over the demo network: an anonymous client walks every endpoint (every
page of every list, every record, in the network and in each commune) and finds no
personal detail and no private record; requests generated from the OpenAPI document
(schemathesis) never make a server error and get answers that match the document."""

import json
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, models
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from wagtail.models import Page

from home.models import CommunePage
from mprc_cms import rest
from tests.demo_helpers import demo_rolled_back

pytestmark = pytest.mark.django_db

# Columns that hold a person's details somewhere in the models (never a town hall's: the
# commune's own address, phone and e-mail are the institution's, shown on its pages).
PERSONAL_COLUMNS = re.compile(r"(^|_)(e_?mail|phone|telephone|mobile)($|_)")
INSTITUTIONS = {"home.communepage", "funding.financer", "funding.fundingsource"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network, built once for the module, rolled back after it."""
    with demo_rolled_back(django_db_blocker):
        yield


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.MPRC_API_RATE = "1000000/minute"


def personal_values():
    """Every e-mail address and phone number a person gave, anywhere in the database."""
    values = set()
    for model in apps.get_models():
        if model._meta.label_lower in INSTITUTIONS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and PERSONAL_COLUMNS.search(field.name):
                values.update(
                    value
                    for value in model._default_manager.values_list(field.name, flat=True)
                    if value and len(str(value)) >= 6
                )
    return values


def hidden_names():
    """The names no page shows: a micro-parliament member's who did not agree to show it
    (or who left), and every person's of the lists (volunteers, imported lists) unless it
    is the name of a current member who agreed to show it."""
    names, shown = set(), set()
    if apps.is_installed("parliament"):
        members = apps.get_model("parliament", "ParliamentMember").objects
        shown = set(
            members.filter(show_name=True, left_on__isnull=True).values_list("name", flat=True)
        )
        names.update(members.values_list("name", flat=True))
    if apps.is_installed("participation"):
        volunteers = apps.get_model("participation", "Volunteer").objects
        names.update(
            f"{first} {last}" for first, last in volunteers.values_list("first_name", "last_name")
        )
    return {name for name in names - shown if len(name) >= 6}


def posters_first_names():
    """The first names of the service exchange's posters: the API shows none."""
    if not apps.is_installed("exchange"):
        return set()
    listings = apps.get_model("exchange", "ServiceListing").objects
    return {name for name in listings.values_list("first_name", flat=True) if len(name) >= 3}


def walk(client):
    """Every answer of the API: the lists page by page, each record, network and communes."""
    communes = [None, *CommunePage.objects.values_list("pk", flat=True)]
    answers = []
    for viewset in rest.endpoint_classes():
        scoped = issubclass(viewset, rest.KindViewSet)  # ?commune= applies
        for commune in communes if scoped else [None]:
            params = {"page_size": rest.MAX_PAGE_SIZE}
            if commune is not None:
                params["commune"] = commune
            url = f"/api/v1/{viewset.api_prefix}/"
            while url:
                response = client.get(url, params)
                assert response.status_code == 200, (url, params, response.content[:200])
                found = response.json()
                answers.append((viewset.api_prefix, found))
                for record in found["results"]:
                    detail = client.get(
                        f"/api/v1/{viewset.api_prefix}/{record['id']}/",
                        {"commune": commune} if commune else {},
                    )
                    assert detail.status_code == 200, (viewset.api_prefix, record["id"])
                    answers.append((viewset.api_prefix, detail.json()))
                url, params = found["next"], {}
    return answers


def test_no_personal_detail_and_no_private_record_anywhere(client, demo):
    personal = personal_values()
    assert personal, "the demo has no personal detail: the walk would prove nothing"
    answers = walk(client)
    # A list and at least one record of every endpoint.
    assert {prefix for prefix, _answer in answers} == {
        viewset.api_prefix for viewset in rest.endpoint_classes()
    }
    assert len(answers) >= 2 * len(rest.endpoint_classes())
    text = json.dumps([answer for _prefix, answer in answers], ensure_ascii=False)
    leaked = sorted(value for value in personal if value in text)
    assert not leaked, f"personal details in the API: {leaked[:5]}"
    # A name only where the pages show it: a member who agreed to it.
    names = hidden_names()
    if apps.is_installed("participation"):
        assert names, "the demo has no hidden name: the check would prove nothing"
    leaked = sorted(name for name in names if name in text)
    assert not leaked, f"names the pages do not show, in the API: {leaked[:5]}"
    posts = json.dumps(
        [answer for prefix, answer in answers if prefix == "posts"], ensure_ascii=False
    )
    first_names = posters_first_names()
    if apps.is_installed("exchange"):
        assert first_names, "the demo has no post: the check would prove nothing"
        assert '"title"' in posts
    leaked = sorted(name for name in first_names if re.search(rf"\b{re.escape(name)}\b", posts))
    assert not leaked, f"posters' first names in the API: {leaked[:5]}"
    # No page that is not live and public, by its id, in any list of pages.
    hidden = set(Page.objects.filter(live=False).values_list("pk", flat=True))
    hidden |= set(Page.objects.filter(view_restrictions__isnull=False).values_list("pk", flat=True))
    page_prefixes = {"communes", "projects", "templates", "micro-parliaments"}
    shown = {
        record["id"]
        for prefix, answer in answers
        if prefix in page_prefixes
        for record in (answer["results"] if "count" in answer else [answer])
    }
    assert not shown & hidden

    def shown_ids(prefix):
        return {
            record["id"]
            for each, answer in answers
            if each == prefix
            for record in (answer["results"] if "count" in answer else [answer])
        }

    if apps.is_installed("parliament"):
        draws = apps.get_model("parliament", "Draw").objects
        published = set(draws.filter(published_at__isnull=False).values_list("pk", flat=True))
        assert shown_ids("draws"), "the demo publishes no draw: the check would prove nothing"
        assert shown_ids("draws") <= published
        assert '"audit"' not in text
        assert '"household"' not in text
    if apps.is_installed("exchange"):
        listings = apps.get_model("exchange", "ServiceListing").objects
        on_board = set(listings.on_board().values_list("pk", flat=True))
        assert shown_ids("posts"), "the demo has no post on a board"
        assert shown_ids("posts") <= on_board
        assert listings.exclude(pk__in=on_board).exists(), "no post off the boards to hide"
    if apps.is_installed("project_catalog.funding"):
        from project_catalog.funding.models import FundingSource

        private = set(
            FundingSource.objects.filter(commune__isnull=False, shared=False).values_list(
                "pk", flat=True
            )
        )
        assert private, "the demo has no private source: the check would prove nothing"
        network = client.get("/api/v1/funding-sources/", {"page_size": rest.MAX_PAGE_SIZE})
        assert network.json()["results"]
        assert not {r["id"] for r in network.json()["results"]} & private


def test_generated_requests_never_fail_and_match_the_document(client, demo):
    """schemathesis generates requests for every operation of /api/v1/schema/ (parameters
    of every type, values out of range, unknown ids): never a 500, and every answer's
    status, content type and body are those the document declares."""
    # The WSGI handler closes the database connection after each request, as a server
    # must; the test's connection holds the demo's transaction, so, as Django's test client
    # does, the handler leaves it open during the test.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        generate_requests()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def generate_requests():
    import schemathesis
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        f"/api/v1/{viewset.api_prefix}/" for viewset in rest.endpoint_classes()
    }
    for operation in operations:

        @hypothesis_settings(
            max_examples=30,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case):
            cache.clear()  # no rate limit between examples
            case.call_and_validate(checks=checks)

        check()
