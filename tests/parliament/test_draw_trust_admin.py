"""The draw's trust from the town hall's screens: the randomness format chosen before
publishing, one canonical randomness whatever the spelling, what will be public and its
small crowds, the audit file and receipts for the guarantors and the people of the pool."""

import html
import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext

import sortition
from parliament import draws
from parliament.models import Draw, DrawEntrant, DrawStatus
from participation.models import Volunteer
from participation.registration import personal_data
from tests.parliament.test_draw_admin import (  # noqa: F401 (fixtures)
    draw_log,
    french,
    households_a,
    parliament_a,
    step,
    text_of,
    url,
)
from tests.parliament.test_draws import CANONICAL, SOURCE

pytestmark = pytest.mark.usefixtures("every_module_on")


def public_route(draw, name="draw"):
    page = draw.micro_parliament.specific
    return page.url + page.reverse_subpage(name, args=[draw.pk])


@pytest.fixture
def rare_a(client_a, households_a, django_capture_on_commit_callbacks):  # noqa: F811
    """The households' draw, computed, where one person did not give their gender: an
    answer of one person in the pool."""
    person = Volunteer.objects.filter(commune=households_a.commune).order_by("pk").last()
    person.gender = ""
    person.save()
    step(client_a, households_a, "freeze")
    with django_capture_on_commit_callbacks(execute=True):
        step(client_a, households_a, "compute")
    households_a.refresh_from_db()
    assert households_a.status == DrawStatus.COMPUTED, households_a.error
    return households_a


@pytest.fixture
def published_a(client_a, rare_a):
    draw = rare_a
    step(client_a, draw, "publish", randomness_source=SOURCE, randomness_kind="loto", reviewed="on")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED
    return draw


def test_the_publish_step_shows_what_will_be_public_and_the_small_crowds(client_a, rare_a):
    draw = rare_a
    page = text_of(client_a.get(url("run", draw)))
    assert gettext("What will be public") in page
    small = draws.publication_preview(draw)["small_crowds"]
    counts = draws.pool_counts(draw)
    expected = [
        draws.value_label(category, value)
        for category, values in counts.items()
        for value, count in values.items()
        if 0 < count < draws.SMALL_CROWD
    ]
    assert [row["value"] for row in small] == expected
    assert gettext("Not given") in expected
    for value in expected:
        assert value in page
    # The formats offered: the French public draws and dice at a public meeting.
    for kind in ("loto", "euromillions", "eurodreams", "keno", "dice"):
        assert f'value="{kind}"' in client_a.get(url("run", draw)).content.decode()


@pytest.mark.parametrize(
    "spelling", ["7 19 23 38 44 / 2", "07-19-23-38-44-02", "44,38,23,19,7,2", "7 19 23 38 44 + 2"]
)
def test_any_spelling_of_the_result_draws_the_same_panel(client_a, published_a, spelling):
    expected = sortition.draw(dict(published_a.lottery), "7 19 23 38 44 2")
    step(client_a, published_a, "randomness", randomness=spelling, confirm="on")
    draw = Draw.objects.get(pk=published_a.pk)
    assert draw.randomness == CANONICAL
    assert (draw.panel_number, draw.selected, draw.alternates) == (
        expected["panel_number"],
        expected["members"],
        expected["alternates"],
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7 19 23 38 44", "6"),
        ("7 19 23 38 50 / 2", "50"),
        ("7 7 23 38 44 / 2", "7"),
        ("Loto 7 19 23 38 44 2", ""),
    ],
)
def test_a_result_that_does_not_fit_is_refused_and_changes_nothing(
    client_a, published_a, typed, expected
):
    response = step(client_a, published_a, "randomness", randomness=typed, confirm="on")
    errors = response.context["randomness_form"].errors["randomness"]
    assert len(errors) == 1
    assert expected in errors[0]
    assert sortition.describe_format(sortition.public_draw_format("loto")) in errors[0]
    draw = Draw.objects.get(pk=published_a.pk)
    assert draw.status == DrawStatus.PUBLISHED
    assert draw.randomness == ""
    assert draw.panel_number is None
    assert "draw" not in draw.lottery


def test_the_audit_file_is_for_the_communes_staff_only(client_a, client_b, published_a):
    audit_url = reverse("participation_draws:audit", args=[published_a.pk])
    assert client_b.get(audit_url).status_code == 404
    response = client_a.get(audit_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    audit = json.loads(response.content)
    assert audit == published_a.audit
    assert sortition.verify(published_a.lottery, audit=audit).ok
    assert draw_log(published_a).filter(action="mprc.draw_audit_downloaded").count() == 1
    # A draft draw has no audit file.
    draft = Draw.objects.create(
        commune=published_a.commune,
        micro_parliament=published_a.micro_parliament,
        title="Brouillon",
    )
    assert client_a.get(reverse("participation_draws:audit", args=[draft.pk])).status_code == 404


def test_a_receipt_checks_its_owner_entry(client_a, client_b, published_a):
    receipt_url = reverse("participation_draws:receipt", args=[published_a.pk])
    pseudonym = published_a.lottery["pool"][0]
    assert client_b.get(receipt_url, {"pseudonym": pseudonym}).status_code == 404
    assert client_a.get(receipt_url, {"pseudonym": "P999"}).status_code == 404
    response = client_a.get(receipt_url, {"pseudonym": pseudonym.lower()})
    assert response.status_code == 200
    receipt = json.loads(response.content)
    assert set(receipt) == {"id", "features", "salt"}
    assert sortition.verify(published_a.lottery, receipt_entry=receipt).ok
    # The person on the volunteer list finds it in their own data.
    entrant = DrawEntrant.objects.get(draw=published_a, pseudonym=pseudonym)
    data = personal_data(entrant.volunteer)
    entry = next(d for d in data["draws"] if d.get("commitment") == published_a.commitment)
    assert entry["receipt"] == receipt


def test_the_public_file_and_page_name_no_answer(client, published_a):
    response = client.get(public_route(published_a, "draw_file"))
    public = json.loads(response.content)
    assert public == published_a.lottery
    assert "features" not in response.content.decode()
    assert "household" not in response.content.decode()
    for person in published_a.pool_snapshot:
        assert person["household"] is None or person["household"] not in response.content.decode()
    page = client.get(public_route(published_a)).content.decode()
    assert f"--commitment {published_a.commitment}" in page
    # Counts below five are not shown exactly.
    fewer = gettext("fewer than %(count)s") % {"count": draws.SMALL_CROWD}
    small = draws.publication_preview(published_a)["small_crowds"]
    assert small
    assert fewer in page
    described = sortition.describe_format(sortition.public_draw_format("loto"))
    assert described in html.unescape(page)
