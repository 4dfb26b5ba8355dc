"""Running a draw in the admin: preparing it, the commune's walls, each step's screen and
form, what a final draw refuses, invitations, and the micro-parliament's members."""

import copy
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

import sortition
from parliament import draws, invitations
from parliament.factories import DrawFactory, MicroParliamentPageFactory
from parliament.models import (
    Draw,
    DrawEntrant,
    DrawStatus,
    InvitationStatus,
    ParliamentMember,
    Role,
)
from participation.choices import Gender, Source
from participation.factories import PoolFactory
from tests.conftest import logged_in
from tests.parliament.test_draws import (
    CANONICAL,
    OLDER,
    RANDOMNESS,
    SOURCE,
    crowd,
    entrant_of,
    fake_drawn,
    quota_ok,
    resident,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def volunteer_list_on(signup_page, signup_page_b):
    """Both communes run the volunteer list: their staff get the draws' admin screens."""


def text_of(response):
    return html.unescape(response.content.decode())


def url(name, draw):
    return reverse(f"participation_draws:{name}", args=[draw.pk])


def step(client, draw, action, **data):
    """POST one step on the run screen, following the redirect back to it."""
    return client.post(url("run", draw), {"action": action, **data}, follow=True)


def draw_log(draw):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Draw), object_id=str(draw.pk)
    )


def form_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


@pytest.fixture
def parliament_a(commune_a):
    return MicroParliamentPageFactory(parent=commune_a, title="Micro-parlement d'Aubigny")


@pytest.fixture
def parliament_b(commune_b):
    return MicroParliamentPageFactory(parent=commune_b, title="Micro-parlement de Bellecombe")


@pytest.fixture
def pool_a(commune_a):
    return PoolFactory(commune=commune_a, name="Liste électorale d'Aubigny")


@pytest.fixture
def pool_b(commune_b):
    return PoolFactory(commune=commune_b, name="Cadastre de Bellecombe")


@pytest.fixture
def draw_a(commune_a, parliament_a):
    crowd(commune_a, 12)
    return DrawFactory(commune=commune_a, micro_parliament=parliament_a, title="Tirage d'Aubigny")


@pytest.fixture
def frozen_a(draw_a, editor_a):
    return draws.freeze(draw_a, editor_a)


def creation(commune, parliament, **overrides):
    data = {
        "commune": commune.pk,
        "micro_parliament": parliament.pk,
        "title": "  Tirage   des habitants, cycle 1 ",
        "panel_size": 4,
        "include_volunteer_list": "on",
        "categories": ["gender", "age_band"],
        "seats_volunteer_list": "",
        "seats_electoral_roll": "",
        "seats_land_register": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Creating a draw ------------------------------------------------------------------------


def test_creating_a_draw_opens_its_run_screen(client_a, editor_a, commune_a, parliament_a, pool_a):
    response = client_a.post(
        reverse("participation_draws:add"),
        creation(
            commune_a,
            parliament_a,
            pools=[pool_a.pk],
            seats_volunteer_list=3,
            seats_electoral_roll=1,
        ),
    )
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("run", draw)
    assert draw.title == "Tirage des habitants, cycle 1"
    assert draw.commune.pk == commune_a.pk
    assert draw.micro_parliament.pk == parliament_a.pk
    assert list(draw.pools.all()) == [pool_a]
    assert draw.seats_per_source == {"volunteer_list": 3, "electoral_roll": 1}
    assert draw.categories == ["gender", "age_band"]
    assert draw.status == DrawStatus.DRAFT
    assert draw_log(draw).filter(action="wagtail.create", user=editor_a).exists()


def test_seats_per_source_must_add_up_to_the_seats(client_a, commune_a, parliament_a, pool_a):
    response = client_a.post(
        reverse("participation_draws:add"),
        creation(
            commune_a,
            parliament_a,
            pools=[pool_a.pk],
            seats_volunteer_list=2,
            seats_electoral_roll=1,
        ),
    )
    assert response.status_code == 200
    assert not Draw.objects.exists()
    expected = gettext(
        "The seats per source add up to %(total)s, but %(size)s seats are to be "
        "drawn. Fill them in for every source used, or leave them all empty."
    ) % {"total": 3, "size": 4}
    assert form_errors(response, "__all__") == [expected]
    assert expected in text_of(response)


def test_a_draw_needs_the_volunteer_list_or_a_pool(client_a, commune_a, parliament_a):
    response = client_a.post(
        reverse("participation_draws:add"),
        creation(commune_a, parliament_a, include_volunteer_list=None),
    )
    assert not Draw.objects.exists()
    assert form_errors(response, "__all__") == [
        gettext("Choose the volunteer list, a list imported from a file, or both.")
    ]


def test_the_add_form_offers_own_parliaments_and_lists_only(
    client_a, commune_a, parliament_a, parliament_b, pool_a, pool_b
):
    form = client_a.get(reverse("participation_draws:add")).context["form"]
    assert list(form.fields["micro_parliament"].queryset) == [parliament_a]
    assert list(form.fields["pools"].queryset) == [pool_a]
    assert list(form.fields["commune"].queryset) == [commune_a]


def test_a_pool_of_another_commune_is_refused(
    client_a, coordinator_client, commune_a, parliament_a, pool_b
):
    response = client_a.post(
        reverse("participation_draws:add"), creation(commune_a, parliament_a, pools=[pool_b.pk])
    )
    assert form_errors(response, "pools")
    # Even to someone who manages both communes.
    response = coordinator_client.post(
        reverse("participation_draws:add"), creation(commune_a, parliament_a, pools=[pool_b.pk])
    )
    assert form_errors(response, "pools") == [gettext("Choose lists of the draw's commune only.")]
    assert not Draw.objects.exists()


def test_a_micro_parliament_of_another_commune_is_refused(
    client_a, coordinator_client, commune_a, parliament_b
):
    response = client_a.post(reverse("participation_draws:add"), creation(commune_a, parliament_b))
    assert form_errors(response, "micro_parliament")
    response = coordinator_client.post(
        reverse("participation_draws:add"), creation(commune_a, parliament_b)
    )
    assert form_errors(response, "micro_parliament") == [
        gettext("This micro-parliament does not serve the commune of the draw.")
    ]
    assert not Draw.objects.exists()


def test_a_shared_micro_parliament_serves_its_communes(
    client_a, commune_a, commune_b, network_home
):
    shared = MicroParliamentPageFactory(parent=network_home, communes=[commune_a, commune_b])
    elsewhere = MicroParliamentPageFactory(parent=network_home, communes=[commune_b])
    form = client_a.get(reverse("participation_draws:add")).context["form"]
    assert shared in form.fields["micro_parliament"].queryset
    assert elsewhere not in form.fields["micro_parliament"].queryset
    response = client_a.post(reverse("participation_draws:add"), creation(commune_a, shared))
    assert response.status_code == 302
    assert Draw.objects.get().micro_parliament.pk == shared.pk


# The commune's walls --------------------------------------------------------------------


@pytest.mark.parametrize("view", ["run", "edit", "delete", "history"])
def test_another_communes_draw_is_not_found(client_b, draw_a, view):
    assert client_b.get(url(view, draw_a)).status_code == 404


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("run", {"action": "cancel", "reason": "Pour voir ce qui se passe."}),
        ("run", {"action": "freeze"}),
        ("delete", {}),
        ("edit", {"title": "Piraté"}),
    ],
)
def test_posting_to_another_communes_draw_changes_nothing(client_b, draw_a, view, data):
    assert client_b.post(url(view, draw_a), data).status_code == 404
    draw = Draw.objects.get(pk=draw_a.pk)
    assert draw.status == DrawStatus.DRAFT
    assert draw.title == "Tirage d'Aubigny"
    assert not DrawEntrant.objects.filter(draw=draw).exists()


def test_the_listing_shows_own_draws_only(client_a, client_b, draw_a, commune_b, parliament_b):
    other = DrawFactory(commune=commune_b, micro_parliament=parliament_b, title="Tirage secret")
    response = client_a.get(reverse("participation_draws:index"))
    assert list(response.context["object_list"]) == [draw_a]
    assert "Tirage secret" not in text_of(response)
    assert list(client_b.get(reverse("participation_draws:index")).context["object_list"]) == [
        other
    ]


# Freezing -------------------------------------------------------------------------------


def test_freezing_from_the_run_screen(client_a, draw_a, commune_a, pool_a):
    draw_a.pools.add(pool_a)
    resident(commune_a, first_name="Anne", last_name="Aubry", born=1970)
    resident(pool=pool_a, first_name="Anne", last_name="Aubry", born=1970)
    page = text_of(client_a.get(url("run", draw_a)))
    assert gettext("Freeze the pool") in page
    response = step(client_a, draw_a, "freeze")
    draw = Draw.objects.get(pk=draw_a.pk)
    assert draw.status == DrawStatus.FROZEN
    assert len(draw.pool_snapshot) == 13
    page = text_of(response)
    assert (gettext("The pool is frozen: %(people)s people.") % {"people": 13}) in page
    assert (gettext("%(count)s people on two lists were counted once.") % {"count": 1}) in page
    # The pool is shown by counts and pseudonyms, never by name.
    assert "Aubry" not in page


def test_too_small_a_pool_is_refused_with_a_message(client_a, commune_a, parliament_a):
    crowd(commune_a, 3)
    draw = DrawFactory(commune=commune_a, micro_parliament=parliament_a, panel_size=4)
    response = step(client_a, draw, "freeze")
    assert (
        gettext("The pool has %(people)s people, fewer than the %(seats)s seats to draw.")
        % {"people": 3, "seats": 4}
    ) in text_of(response)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.DRAFT


def test_a_frozen_draws_settings_cannot_change(client_a, frozen_a):
    response = client_a.get(url("edit", frozen_a))
    assert response.status_code == 302
    assert response["Location"] == url("run", frozen_a)
    response = client_a.post(url("edit", frozen_a), {"title": "Autre titre", "panel_size": 2})
    assert response["Location"] == url("run", frozen_a)
    draw = Draw.objects.get(pk=frozen_a.pk)
    assert (draw.title, draw.panel_size) == ("Tirage d'Aubigny", 4)
    page = text_of(client_a.get(url("run", frozen_a)))
    assert gettext("Change the settings") not in page
    assert url("edit", frozen_a) not in page


def test_a_draft_draws_settings_can_change(client_a, draw_a, commune_a, parliament_a):
    response = client_a.post(
        url("edit", draw_a), creation(commune_a, parliament_a, title="Nouveau titre")
    )
    assert response.status_code == 302
    assert response["Location"] == url("run", draw_a)
    assert Draw.objects.get(pk=draw_a.pk).title == "Nouveau titre"


# Quotas ---------------------------------------------------------------------------------


def quota_data(draw, **changes):
    """The quota form as posted: the draw's quotas, with ``changes`` as
    {"category:value": (min, max)}."""
    draw.refresh_from_db()
    current = {(q["category"], q["value"]): q for q in draw.quotas}
    data = {"action": "quotas"}
    for index, row in enumerate(draws.quota_rows(draw)):
        key = f"{row['category']}:{row['value']}"
        quota = current.get((row["category"], row["value"]), {"min": 0, "max": draw.panel_size})
        low, high = changes.get(key, (quota["min"], quota["max"]))
        data[f"quotas-min_{index}"] = low
        data[f"quotas-max_{index}"] = high
    return data


def quotas_of(draw):
    draw.refresh_from_db()
    return {f"{q['category']}:{q['value']}": (q["min"], q["max"]) for q in draw.quotas}


def test_the_quota_form_shows_pool_counts_and_saves(client_a, frozen_a):
    page = text_of(client_a.get(url("run", frozen_a)))
    assert gettext("Quotas per value, with the count in the pool") in page
    response = client_a.post(
        url("run", frozen_a),
        quota_data(frozen_a, **{"gender:female": (1, 3), "age_band:65+": (0, 4)}),
        follow=True,
    )
    assert gettext("The quotas are saved.") in text_of(response)
    quotas = quotas_of(frozen_a)
    assert quotas["gender:female"] == (1, 3)
    assert quotas["age_band:65+"] == (0, 4)
    assert quotas["gender:male"] == (2, 2)
    assert draw_log(frozen_a).filter(action="wagtail.edit").exists()


def test_the_quota_form_refuses_a_minimum_above_the_maximum(client_a, frozen_a):
    before = quotas_of(frozen_a)
    response = client_a.post(url("run", frozen_a), quota_data(frozen_a, **{"gender:male": (3, 1)}))
    assert response.status_code == 200
    page = text_of(response)
    assert (
        gettext("The maximum (%(max)s) is below the minimum (%(min)s).") % {"max": 1, "min": 3}
    ) in page
    assert 'aria-invalid="true"' in page
    assert quotas_of(frozen_a) == before


def test_the_quota_form_refuses_a_minimum_above_the_pool_count(
    client_a, commune_a, parliament_a, editor_a
):
    crowd(commune_a, 8)
    resident(commune_a, gender=Gender.OTHER)
    draw = draws.freeze(
        DrawFactory(commune=commune_a, micro_parliament=parliament_a, panel_size=4), editor_a
    )
    before = quotas_of(draw)
    response = client_a.post(url("run", draw), quota_data(draw, **{"gender:other": (2, 2)}))
    assert (gettext("Only %(count)s people of the pool have this value.") % {"count": 1}) in (
        text_of(response)
    )
    assert quotas_of(draw) == before


def test_seats_per_source_stay_fixed_in_the_quota_form(client_a, commune_a, parliament_a, editor_a):
    pool = PoolFactory(commune=commune_a, source=Source.ELECTORAL_ROLL)
    crowd(commune_a, 8)
    crowd(None, 8, pool=pool)
    draw = DrawFactory(
        commune=commune_a,
        micro_parliament=parliament_a,
        pools=[pool],
        panel_size=4,
        seats_per_source={"volunteer_list": 3, "electoral_roll": 1},
    )
    draw = draws.freeze(draw, editor_a)
    data = quota_data(
        draw,
        **{
            "source:volunteer_list": (0, 4),
            "source:electoral_roll": (0, 4),
            "gender:female": (1, 3),
        },
    )
    response = client_a.post(url("run", draw), data, follow=True)
    assert gettext("The quotas are saved.") in text_of(response)
    quotas = quotas_of(draw)
    assert quotas["source:volunteer_list"] == (3, 3)
    assert quotas["source:electoral_roll"] == (1, 1)
    assert quotas["gender:female"] == (1, 3)


def test_quotas_can_be_set_before_freezing_with_seats_per_source(client_a, commune_a, parliament_a):
    """Before the pool is frozen the draw has no quotas yet: the fixed source rows must not
    block the form (their seats are known)."""
    pool = PoolFactory(commune=commune_a, source=Source.ELECTORAL_ROLL)
    crowd(commune_a, 8)
    crowd(None, 8, pool=pool)
    draw = DrawFactory(
        commune=commune_a,
        micro_parliament=parliament_a,
        pools=[pool],
        panel_size=4,
        seats_per_source={"volunteer_list": 3, "electoral_roll": 1},
    )
    page = text_of(client_a.get(url("run", draw)))
    assert gettext("Save the quotas") in page
    response = client_a.post(url("run", draw), quota_data(draw), follow=True)
    form = response.context.get("quota_form")
    assert not (form and form.errors), form.errors
    assert gettext("The quotas are saved.") in text_of(response)
    quotas = quotas_of(draw)
    assert quotas["source:volunteer_list"] == (3, 3)
    assert quotas["source:electoral_roll"] == (1, 1)


def test_proportional_quotas_from_the_run_screen(client_a, frozen_a, editor_a):
    draws.save_quotas(frozen_a, [dict(q, min=0, max=4) for q in frozen_a.quotas], editor_a)
    response = step(client_a, frozen_a, "proportional")
    assert gettext("Quotas close to the pool's shares are proposed.") in text_of(response)
    # 12 people: 6 women, 6 men, 6 of 35–49, 6 of 65 and over; 4 seats.
    assert quotas_of(frozen_a) == {
        "gender:female": (2, 2),
        "gender:male": (2, 2),
        "age_band:35-49": (2, 2),
        "age_band:65+": (2, 2),
    }


def test_saving_quotas_after_computing_drops_the_result(client_a, frozen_a):
    Draw.objects.filter(pk=frozen_a.pk).update(
        status=DrawStatus.COMPUTED,
        computed_at=timezone.now(),
        result={
            "min_probability": 0.3333,
            "max_probability": 0.3333,
            "probabilities": {p["id"]: 0.3333 for p in frozen_a.pool_snapshot},
            "seconds": 0.1,
        },
        lottery={"panels": [[p["id"] for p in frozen_a.pool_snapshot[:4]]], "max_deviation": 0},
    )
    page = text_of(client_a.get(url("run", frozen_a)))
    assert gettext("Publish the commitment") in page
    response = client_a.post(
        url("run", frozen_a), quota_data(frozen_a, **{"gender:female": (1, 3)}), follow=True
    )
    draw = Draw.objects.get(pk=frozen_a.pk)
    assert draw.status == DrawStatus.FROZEN
    assert (draw.result, draw.lottery, draw.computed_at) == ({}, {}, None)
    page = text_of(response)
    assert gettext("Publish the commitment") not in page
    assert gettext("Compute") in page


# Infeasible quotas, then computing, publishing, drawing (the engine) ---------------------


def test_infeasible_quotas_are_explained_and_relaxed(
    client_a, frozen_a, django_capture_on_commit_callbacks
):
    client_a.post(
        url("run", frozen_a),
        quota_data(frozen_a, **{"gender:female": (3, 4), "gender:male": (3, 4)}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = step(client_a, frozen_a, "compute")
    draw = Draw.objects.get(pk=frozen_a.pk)
    assert draw.status == DrawStatus.FROZEN
    assert draw.feasibility["feasible"] is False
    page = text_of(response)
    assert gettext("The quotas cannot all be met. See the explanation below.") in page
    assert gettext("Why the quotas cannot be met") in page
    for problem in draw.feasibility["problems"]:
        assert problem in page
    relaxation = draw.feasibility["relaxation"]
    assert relaxation
    for change in relaxation:
        assert f"{change['category']} = {change['value']}" in page
    assert gettext("Apply this change to the quotas") in page

    response = step(client_a, frozen_a, "relax")
    assert gettext("The proposed relaxation is applied to the quotas.") in text_of(response)
    quotas = quotas_of(frozen_a)
    for change in relaxation:
        key = f"{change['category']}:{change['value']}"
        assert quotas[key] == (change["new_min"], change["new_max"])
    draw.refresh_from_db()
    assert draw.feasibility == {}
    assert draws.check_feasibility(draw)["feasible"] is True
    # Nothing left to relax.
    response = step(client_a, frozen_a, "relax")
    assert gettext("There is no relaxation to apply.") in text_of(response)

    with django_capture_on_commit_callbacks(execute=True):
        step(client_a, frozen_a, "compute")
    assert Draw.objects.get(pk=frozen_a.pk).status == DrawStatus.COMPUTED


@pytest.fixture
def households_a(commune_a, parliament_a):
    """16 people, two couples among them; a draw of 4 seats."""
    people = crowd(commune_a, 16)
    for number, (one, two) in enumerate([(0, 3), (4, 9)]):
        for person in (people[one], people[two]):
            person.address = f"{number + 1} impasse du Lavoir"
            person.save()
    return DrawFactory(commune=commune_a, micro_parliament=parliament_a, panel_size=4)


@pytest.fixture
def computed_a(client_a, households_a, django_capture_on_commit_callbacks):
    step(client_a, households_a, "freeze")
    with django_capture_on_commit_callbacks(execute=True):
        response = step(client_a, households_a, "compute")
    households_a.refresh_from_db()
    return households_a, response


def test_computing_from_the_run_screen(client_a, computed_a):
    draw, _response = computed_a
    assert draw.status == DrawStatus.COMPUTED, draw.error
    assert draw.task_id
    assert draw.result["min_probability"] > 0
    panels = draw.lottery["panels"]
    assert len(panels) == 1000
    assert all(quota_ok(panel, draw.pool_snapshot, draw.quotas, 4) for panel in panels)
    assert draw.freeze_report["households"] == 14
    page = text_of(client_a.get(url("run", draw)))
    assert gettext("Lowest chance") in page
    assert gettext("Highest chance") in page
    assert floatformat(draw.result["min_probability"], "-2") in page
    assert floatformat(draw.result["max_probability"], "-2") in page
    assert gettext("Publish the commitment") in page
    # The per-person report lists every pseudonym.
    for person in draw.pool_snapshot:
        assert person["id"] in page


def test_publish_and_draw_from_the_run_screen(client_a, editor_a, computed_a):
    draw, _response = computed_a

    response = step(client_a, draw, "publish", randomness_source="Le Loto")
    errors = response.context["publish_form"].errors
    assert errors["randomness_source"]
    assert errors["randomness_kind"] == [gettext("Choose the public randomness.")]
    assert errors["reviewed"]
    # Dice need their number of throws.
    response = step(
        client_a, draw, "publish", randomness_source=SOURCE, randomness_kind="dice", reviewed="on"
    )
    assert response.context["publish_form"].errors["dice"] == [
        gettext("Give the number of throws.")
    ]
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMPUTED
    assert draw.commitment == ""

    response = step(
        client_a, draw, "publish", randomness_source=SOURCE, randomness_kind="loto", reviewed="on"
    )
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED
    assert draw.commitment == draw.lottery["commitment"]
    assert draw.randomness_source == SOURCE
    assert draw.randomness_format == sortition.public_draw_format("loto")
    assert sortition.verify(draw.lottery, audit=draw.audit).ok
    page = text_of(response)
    assert draw.commitment in page
    assert gettext("The commitment is published on the public draw page.") in page
    published = copy.deepcopy(draw.lottery)
    # Published: the quotas are fixed, and the draw can no longer be deleted nor edited.
    assert gettext("Save the quotas") not in page
    assert client_a.post(url("delete", draw))["Location"] == url("run", draw)
    assert client_a.get(url("edit", draw))["Location"] == url("run", draw)
    assert Draw.objects.filter(pk=draw.pk).exists()

    # The randomness needs the box ticked.
    response = step(client_a, draw, "randomness", randomness=RANDOMNESS)
    assert response.context["randomness_form"].errors["confirm"] == [
        gettext("Tick the box to confirm the randomness.")
    ]
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED
    assert draw.panel_number is None

    response = step(client_a, draw, "randomness", randomness=RANDOMNESS, confirm="on")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    assert draw.randomness == CANONICAL
    assert 1 <= draw.panel_number <= 1000
    assert sorted(draw.selected) == sorted(draw.lottery["panels"][draw.panel_number - 1])
    assert len(draw.alternates) == 12
    again = sortition.draw(copy.deepcopy(published), RANDOMNESS)
    assert (again["panel_number"], again["members"], again["alternates"]) == (
        draw.panel_number,
        draw.selected,
        draw.alternates,
    )
    page = text_of(response)
    assert (gettext("Panel number %(number)s is drawn.") % {"number": draw.panel_number}) in page
    for pseudonym in draw.selected:
        assert pseudonym in page

    # A second randomness cannot redo it.
    response = step(client_a, draw, "randomness", randomness="1 2 3 4 5 / 6", confirm="on")
    kept = Draw.objects.get(pk=draw.pk)
    assert kept.status == DrawStatus.DRAWN
    assert (kept.randomness, kept.panel_number, kept.selected, kept.alternates) == (
        CANONICAL,
        draw.panel_number,
        draw.selected,
        draw.alternates,
    )
    assert draw_log(draw).filter(action="mprc.draw_drawn").count() == 1
    assert "randomness_form" not in response.context


# A final draw ---------------------------------------------------------------------------


@pytest.fixture
def drawn_a(frozen_a):
    """The frozen draw moved to DRAWN: 4 people drawn (the first two with an e-mail
    address), the others alternates in pool order."""
    entrants = list(DrawEntrant.objects.filter(draw=frozen_a).select_related("volunteer"))
    volunteers = sorted((e.volunteer for e in entrants), key=lambda v: v.pk)
    panel = [v for v in volunteers if v.birth_year != OLDER][:4]
    for number, person in enumerate(panel[:2]):
        person.email = f"tiree{number}@example.org"
        person.save()
    alternates = [v for v in volunteers if v not in panel]
    return fake_drawn(frozen_a, panel, alternates), panel, alternates


@pytest.mark.parametrize("status", [DrawStatus.PUBLISHED, DrawStatus.DRAWN])
def test_a_published_or_drawn_draw_cannot_be_deleted_nor_edited(client_a, drawn_a, status):
    draw, _panel, _alternates = drawn_a
    Draw.objects.filter(pk=draw.pk).update(status=status)
    for method in ("get", "post"):
        response = getattr(client_a, method)(url("delete", draw))
        assert response.status_code == 302
        assert response["Location"] == url("run", draw)
        response = getattr(client_a, method)(url("edit", draw), {"title": "Autre"})
        assert response["Location"] == url("run", draw)
    kept = Draw.objects.get(pk=draw.pk)
    assert kept.title == "Tirage d'Aubigny"
    assert DrawEntrant.objects.filter(draw=draw).count() == 12
    page = text_of(client_a.get(url("run", draw)))
    assert gettext("Change the settings") not in page
    assert gettext("Save the quotas") not in page


def test_a_draft_draw_can_be_deleted(client_a, draw_a):
    response = client_a.post(url("delete", draw_a))
    assert response.status_code == 302
    assert not Draw.objects.filter(pk=draw_a.pk).exists()


def test_cancelling_needs_a_reason_and_is_logged_once(client_a, editor_a, drawn_a):
    draw, _panel, _alternates = drawn_a
    response = step(client_a, draw, "cancel", reason="")
    assert response.context["cancel_form"].errors["reason"]
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.DRAWN

    response = step(client_a, draw, "cancel", reason="Un tiré au sort n'habitait plus la commune.")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.CANCELLED
    assert draw.cancel_reason == "Un tiré au sort n'habitait plus la commune."
    page = text_of(response)
    assert gettext("This draw is cancelled.") in page
    assert draw.cancel_reason in page
    assert "cancel_form" not in response.context
    entry = draw_log(draw).get(action="mprc.draw_cancelled")
    assert entry.user_id == editor_a.pk
    assert entry.data["reason"] == draw.cancel_reason
    assert entry.data["from"] == DrawStatus.DRAWN
    history = text_of(client_a.get(url("history", draw)))
    assert gettext("Draw cancelled") in history

    response = step(client_a, draw, "cancel", reason="Une seconde fois, pour voir.")
    assert gettext("This draw is already cancelled.") in text_of(response)
    draw.refresh_from_db()
    assert draw.cancel_reason == "Un tiré au sort n'habitait plus la commune."
    assert draw_log(draw).filter(action="mprc.draw_cancelled").count() == 1
    # Still neither deleted nor redone.
    client_a.post(url("delete", draw))
    assert Draw.objects.filter(pk=draw.pk).exists()


def test_an_unknown_action_is_not_found(client_a, frozen_a):
    assert client_a.post(url("run", frozen_a), {"action": "delete"}).status_code == 404
    assert client_a.post(url("run", frozen_a), {}).status_code == 404


# Invitations ----------------------------------------------------------------------------


def test_inviting_the_people_drawn(client_a, drawn_a):
    draw, panel, _alternates = drawn_a
    mail.outbox.clear()
    page = text_of(client_a.get(url("run", draw)))
    assert gettext("The seats") in page
    for person in panel:
        assert person.full_name in page
    response = step(client_a, draw, "invite")
    assert sorted(m.to[0] for m in mail.outbox) == ["tiree0@example.org", "tiree1@example.org"]
    assert (
        gettext("%(emailed)s invitations sent by e-mail; %(to_call)s people to call.")
        % {"emailed": 2, "to_call": 2}
    ) in text_of(response)
    invited = DrawEntrant.objects.filter(draw=draw, invitation=InvitationStatus.INVITED)
    assert {e.volunteer_id for e in invited} == {p.pk for p in panel}
    assert draw_log(draw).filter(action="mprc.draw_invited").exists()
    # Once invited, the button is gone and a second POST sends nothing more.
    step(client_a, draw, "invite")
    assert len(mail.outbox) == 2


def test_answers_recorded_by_staff_and_the_next_alternate(client_a, drawn_a):
    draw, panel, _alternates = drawn_a
    step(client_a, draw, "invite")
    accepting, declining = entrant_of(draw, panel[2]), entrant_of(draw, panel[3])

    response = step(client_a, draw, "accepted", entrant=accepting.pk)
    assert gettext("The answer is recorded: the person joins the micro-parliament.") in (
        text_of(response)
    )
    member = ParliamentMember.objects.get(volunteer=panel[2])
    assert member.role == Role.DRAWN_RESIDENT
    assert member.draw == draw
    assert member.show_name is False

    response = step(client_a, draw, "declined", entrant=declining.pk)
    declining.refresh_from_db()
    assert declining.invitation == InvitationStatus.DECLINED
    assert not ParliamentMember.objects.filter(volunteer=panel[3]).exists()
    # The first alternate of the published order, whatever their answers.
    first = DrawEntrant.objects.get(draw=draw, pseudonym=draw.alternates[0])
    offer = gettext("Invite the next alternate (%(pseudonym)s)") % {"pseudonym": first.pseudonym}
    assert text_of(response).count(offer) == 1

    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=declining.seat.number)
    first.refresh_from_db()
    assert first.invitation == InvitationStatus.INVITED
    assert first.seat == declining.seat
    page = text_of(client_a.get(url("run", draw)))
    assert first.volunteer.full_name in page
    # The seat is held again: no alternate is offered any more.
    assert gettext("Invite the next alternate (%(pseudonym)s)").split("(")[0] not in page


def test_only_the_next_alternate_of_this_draw_can_be_invited(
    client_a, drawn_a, commune_a, parliament_a, editor_a
):
    draw, panel, _alternates = drawn_a
    step(client_a, draw, "invite")
    declining = entrant_of(draw, panel[0])
    step(client_a, draw, "declined", entrant=declining.pk)
    # Someone drawn is not an alternate: refused with a message, nothing changes.
    member = entrant_of(draw, panel[1])
    response = step(client_a, draw, "invite_alternate", entrant=member.pk, seat=1)
    following = invitations.next_alternate(draw)
    assert (
        gettext(
            "Only the next alternate of the published order can be invited: %(pseudonym)s "
            "(alternate no. %(rank)s)."
        )
        % {
            "pseudonym": following.pseudonym,
            "rank": invitations.alternate_rank(draw, following.pseudonym),
        }
    ) in text_of(response)
    member.refresh_from_db()
    assert member.invitation == InvitationStatus.INVITED
    crowd(commune_a, 4)
    other = draws.freeze(DrawFactory(commune=commune_a, micro_parliament=parliament_a), editor_a)
    stranger = DrawEntrant.objects.filter(draw=other).first()
    assert step(client_a, draw, "accepted", entrant=stranger.pk).status_code == 404
    assert step(client_a, draw, "invite_alternate", entrant=stranger.pk).status_code == 404
    assert step(client_a, draw, "accepted", entrant="not a number").status_code == 404
    assert step(client_a, draw, "accepted", entrant="9" * 30).status_code == 404
    stranger.refresh_from_db()
    assert stranger.invitation == InvitationStatus.NOT_INVITED


def test_erasing_a_drawn_member_in_the_admin(client_a, drawn_a):
    draw, panel, _alternates = drawn_a
    step(client_a, draw, "invite")
    entrant = entrant_of(draw, panel[0])
    step(client_a, draw, "accepted", entrant=entrant.pk)
    member = ParliamentMember.objects.get(volunteer=panel[0])

    response = client_a.post(
        reverse("participation_volunteers:delete", args=[panel[0].pk]), follow=True
    )
    assert response.redirect_chain
    assert not ParliamentMember.objects.filter(pk=member.pk).exists()
    entrant.refresh_from_db()
    assert entrant.volunteer is None
    assert entrant.invitation == InvitationStatus.ACCEPTED
    page = text_of(client_a.get(url("run", draw)))
    assert gettext("Erased from the lists") in page
    assert panel[0].last_name not in page


# Members of a micro-parliament ----------------------------------------------------------


def member_data(commune, parliament, **overrides):
    data = {
        "commune": commune.pk,
        "micro_parliament": parliament.pk,
        "name": "Martine Lebrun",
        "role": Role.ELECTED,
        "organisation": "Adjointe au maire",
        "joined_on": "2026-09-01",
        "left_on": "",
    }
    data.update(overrides)
    return data


def test_adding_a_member(client_a, commune_a, parliament_a):
    response = client_a.post(
        reverse("participation_members:add"), member_data(commune_a, parliament_a)
    )
    assert response.status_code == 302
    member = ParliamentMember.objects.get()
    assert (member.name, member.role, member.micro_parliament.pk) == (
        "Martine Lebrun",
        Role.ELECTED,
        parliament_a.pk,
    )
    assert member.public_name == str(Role.ELECTED.label)


def test_a_member_of_a_micro_parliament_that_does_not_serve_the_commune_is_refused(
    client_a, coordinator, commune_a, parliament_b
):
    response = client_a.post(
        reverse("participation_members:add"), member_data(commune_a, parliament_b)
    )
    assert response.context["form"].errors["micro_parliament"]
    response = logged_in(coordinator).post(
        reverse("participation_members:add"), member_data(commune_a, parliament_b)
    )
    assert response.context["form"].errors["micro_parliament"] == [
        gettext("This micro-parliament does not serve the member's commune.")
    ]
    assert not ParliamentMember.objects.exists()


def test_a_member_cannot_leave_before_joining(client_a, commune_a, parliament_a):
    response = client_a.post(
        reverse("participation_members:add"),
        member_data(commune_a, parliament_a, left_on="2026-08-01"),
    )
    assert response.context["form"].errors["left_on"] == [
        gettext("A member cannot leave before joining.")
    ]
    assert not ParliamentMember.objects.exists()


def test_members_of_another_commune_are_not_found(
    client_b, client_a, commune_a, parliament_a, commune_b, parliament_b
):
    mine = ParliamentMember.objects.create(
        micro_parliament=parliament_a, commune=commune_a, name="Martine Lebrun", role=Role.ELECTED
    )
    ParliamentMember.objects.create(
        micro_parliament=parliament_b, commune=commune_b, name="Bruno Borel", role=Role.ELECTED
    )
    response = client_a.get(reverse("participation_members:index"))
    assert list(response.context["object_list"]) == [mine]
    assert "Bruno Borel" not in text_of(response)
    for view in ("edit", "delete", "history"):
        response = client_b.get(reverse(f"participation_members:{view}", args=[mine.pk]))
        assert response.status_code == 404
