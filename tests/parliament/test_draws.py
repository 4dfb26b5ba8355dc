"""The steps of a draw by lot, through ``parliament.draws`` and
``parliament.invitations``: freezing the pool, quotas, computing, publishing the
commitment, the randomness, cancelling, inviting; and the person's rights afterwards."""

import copy
import csv
import io
import json
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import RequestFactory
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
from participation.choices import Gender, Source, Status, age_band
from participation.factories import PoolFactory, VolunteerFactory
from participation.registration import personal_data, withdraw

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
MIDDLE_AGED = YEAR - 40  # 35 to 49
OLDER = YEAR - 70  # 65 and over
SOURCE = "Le tirage du Loto du samedi 28 novembre 2026"
LOTO = sortition.public_draw_format("loto")
RANDOMNESS = "7 19 23 38 44 / 2"
CANONICAL = "7.19.23.38.44./2./"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


# Building a pool ------------------------------------------------------------------------


def resident(commune=None, *, gender=Gender.FEMALE, born=MIDDLE_AGED, **fields):
    """An active person of the volunteer list (or of ``pool=…``)."""
    if "pool" not in fields:
        fields["commune"] = commune
    return VolunteerFactory(gender=gender, birth_year=born, **fields)


def crowd(commune, count=12, **fields):
    """``count`` people of the volunteer list, half women, half men, half 35–49 and half
    65 and over (the four groups of equal size when ``count`` is a multiple of 4)."""
    people = []
    for number in range(count):
        gender = Gender.FEMALE if number % 2 == 0 else Gender.MALE
        born = MIDDLE_AGED if (number // 2) % 2 == 0 else OLDER
        people.append(resident(commune, gender=gender, born=born, **fields))
    return people


def entrant_of(draw, volunteer):
    return DrawEntrant.objects.get(draw=draw, volunteer=volunteer)


def draw_log(draw):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Draw), object_id=str(draw.pk)
    )


def actions_logged(draw):
    return list(draw_log(draw).order_by("timestamp", "pk").values_list("action", flat=True))


def fake_drawn(draw, selected, alternates, *, panel_number=1):
    """A frozen draw moved to DRAWN as the engine would leave it (no engine needed): the
    ``selected`` and ``alternates`` are volunteers of its frozen pool."""
    pseudonym = {e.volunteer_id: e.pseudonym for e in DrawEntrant.objects.filter(draw=draw)}
    draw.status = DrawStatus.DRAWN
    draw.published_at = draw.drawn_at = timezone.now()
    draw.commitment = "ab" * 32
    draw.randomness_source = SOURCE
    draw.randomness = RANDOMNESS
    draw.panel_number = panel_number
    draw.selected = [pseudonym[v.pk] for v in selected]
    draw.alternates = [pseudonym[v.pk] for v in alternates]
    draw.save()
    return draw


def quota_ok(panel, snapshot, quotas, size):
    """Whether a panel (ids) has ``size`` distinct people of the pool, meets every quota and
    holds at most one person per household."""
    people = {p["id"]: p for p in snapshot}
    if len(set(panel)) != size or not set(panel) <= set(people):
        return False
    for quota in quotas:
        count = sum(
            1 for i in panel if people[i]["features"].get(quota["category"]) == quota["value"]
        )
        if not quota["min"] <= count <= quota["max"]:
            return False
    households = [people[i]["household"] for i in panel if people[i]["household"]]
    return len(households) == len(set(households))


@pytest.fixture
def draw(commune_a, editor_a):
    return DrawFactory(commune=commune_a, panel_size=4)


# Freezing the pool ----------------------------------------------------------------------


def test_freeze_snapshots_the_pool_under_pseudonyms(draw, commune_a, editor_a):
    people = crowd(commune_a, 12)
    draw = draws.freeze(draw, editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.FROZEN
    assert draw.frozen_at is not None
    snapshot = draw.pool_snapshot
    assert sorted(p["id"] for p in snapshot) == [f"P{n:03d}" for n in range(1, 13)]
    # Only the answers the quotas need, never a name, an address or an e-mail.
    assert all(set(p) == {"id", "features", "household"} for p in snapshot)
    assert all(set(p["features"]) == {"gender", "age_band"} for p in snapshot)
    published = json.dumps(snapshot, ensure_ascii=False)
    for person in people:
        assert person.last_name not in published
        assert person.address not in published
    # Each pseudonym is linked, privately, to exactly one person of the pool.
    entrants = DrawEntrant.objects.filter(draw=draw)
    assert sorted(e.volunteer_id for e in entrants) == sorted(p.pk for p in people)
    by_pseudonym = {e.pseudonym: e.volunteer for e in entrants}
    for person in snapshot:
        volunteer = by_pseudonym[person["id"]]
        assert person["features"] == {
            "gender": volunteer.gender,
            "age_band": age_band(volunteer.birth_year),
        }
    assert draw.freeze_report == {"people": 12, "duplicates": 0, "households": 12}
    assert "mprc.draw_frozen" in actions_logged(draw)


def test_freeze_marks_households(draw, commune_a, editor_a):
    crowd(commune_a, 10)
    first = resident(commune_a, address="4 chemin des Vignes")
    second = resident(commune_a, gender=Gender.MALE, address="4, Chemin des vignes")
    draw = draws.freeze(draw, editor_a)
    households = {p["id"]: p["household"] for p in draw.pool_snapshot}
    one, two = entrant_of(draw, first).pseudonym, entrant_of(draw, second).pseudonym
    assert households[one] is not None
    assert households[one] == households[two]
    others = [h for pseudonym, h in households.items() if pseudonym not in (one, two)]
    assert households[one] not in others
    assert len(set(others)) == 10
    assert draw.freeze_report["households"] == 11


def test_someone_on_the_volunteer_list_and_in_a_pool_counts_once(commune_a, editor_a):
    pool = PoolFactory(commune=commune_a)
    crowd(commune_a, 6)
    crowd(None, 4, pool=pool)
    volunteer = resident(commune_a, first_name="Anne", last_name="Aubry", born=1970)
    listed = resident(pool=pool, first_name="ANNE", last_name="Aubry", born=1970)
    draw = DrawFactory(commune=commune_a, pools=[pool], panel_size=4)
    assert draws.pool_size(draw) == 11
    draw = draws.freeze(draw, editor_a)
    assert len(draw.pool_snapshot) == 11
    assert draw.freeze_report["duplicates"] == 1
    # Counted as a volunteer, not as the list's record.
    assert DrawEntrant.objects.filter(draw=draw, volunteer=volunteer).exists()
    assert not DrawEntrant.objects.filter(draw=draw, volunteer=listed).exists()


def test_the_pool_holds_only_the_chosen_active_people_of_the_commune(
    commune_a, commune_b, editor_a
):
    chosen, other_list = PoolFactory(commune=commune_a), PoolFactory(commune=commune_a)
    on_the_list = crowd(commune_a, 4)
    in_the_pool = crowd(None, 4, pool=chosen)
    left_out = [
        resident(pool=other_list),
        resident(commune_a, status=Status.PENDING),
        resident(commune_a, status=Status.EXCLUDED),
        resident(commune_b),
    ]
    draw = DrawFactory(commune=commune_a, pools=[chosen], panel_size=4)
    draw = draws.freeze(draw, editor_a)
    volunteers = set(DrawEntrant.objects.filter(draw=draw).values_list("volunteer", flat=True))
    assert volunteers == {p.pk for p in on_the_list + in_the_pool}
    assert not volunteers & {p.pk for p in left_out}
    sources = Counter(p["features"].get("source") for p in draw.pool_snapshot)
    assert sources == {None: 8}  # no seats per source: no source category


def test_a_pool_alone_without_the_volunteer_list(commune_a, editor_a):
    pool = PoolFactory(commune=commune_a)
    crowd(commune_a, 4)
    listed = crowd(None, 5, pool=pool)
    draw = DrawFactory(commune=commune_a, pools=[pool], include_volunteer_list=False, panel_size=3)
    draw = draws.freeze(draw, editor_a)
    volunteers = set(DrawEntrant.objects.filter(draw=draw).values_list("volunteer", flat=True))
    assert volunteers == {p.pk for p in listed}


def test_people_already_members_are_not_drawn_again(draw, commune_a, editor_a):
    people = crowd(commune_a, 8)
    sitting, former = people[0], people[1]
    ParliamentMember.objects.create(
        micro_parliament=draw.micro_parliament,
        commune=commune_a,
        name="Membre en place",
        role=Role.DRAWN_RESIDENT,
        volunteer=sitting,
    )
    ParliamentMember.objects.create(
        micro_parliament=draw.micro_parliament,
        commune=commune_a,
        name="Ancien membre",
        role=Role.DRAWN_RESIDENT,
        volunteer=former,
        left_on=timezone.localdate(),
    )
    draw = draws.freeze(draw, editor_a)
    volunteers = set(DrawEntrant.objects.filter(draw=draw).values_list("volunteer", flat=True))
    assert sitting.pk not in volunteers
    assert former.pk in volunteers
    assert len(volunteers) == 7


def test_too_small_a_pool_cannot_be_frozen(commune_a, editor_a):
    crowd(commune_a, 3)
    draw = DrawFactory(commune=commune_a, panel_size=4)
    with pytest.raises(draws.DrawError) as error:
        draws.freeze(draw, editor_a)
    assert str(error.value) == gettext(
        "The pool has %(people)s people, fewer than the %(seats)s seats to draw."
    ) % {"people": 3, "seats": 4}
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAFT
    assert draw.pool_snapshot == []
    assert not DrawEntrant.objects.filter(draw=draw).exists()


def test_a_pool_is_frozen_once(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    draws.freeze(draw, editor_a)
    resident(commune_a)
    with pytest.raises(draws.DrawError):
        draws.freeze(draw, editor_a)
    draw.refresh_from_db()
    assert len(draw.pool_snapshot) == 8
    assert DrawEntrant.objects.filter(draw=draw).count() == 8


def test_a_later_sign_up_does_not_enter_a_frozen_pool(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    resident(commune_a)
    draw.refresh_from_db()
    assert draws.pool_size(draw) == 8
    assert sum(draws.pool_counts(draw)["gender"].values()) == 8


# Quotas ---------------------------------------------------------------------------------


def test_proportional_quotas_follow_the_pool(commune_a, editor_a):
    # 6 women and 3 men; 3 people of 35–49, 6 of 65 and over; one person gave no gender.
    for gender, born in [(Gender.FEMALE, MIDDLE_AGED)] * 3 + [(Gender.FEMALE, OLDER)] * 3:
        resident(commune_a, gender=gender, born=born)
    for _number in range(3):
        resident(commune_a, gender=Gender.MALE, born=OLDER)
    resident(commune_a, gender="", born=OLDER)
    draw = DrawFactory(commune=commune_a, panel_size=5)
    quotas = {
        (q["category"], q["value"]): (q["min"], q["max"]) for q in draws.proportional_quotas(draw)
    }
    assert quotas == {
        ("gender", "female"): (3, 3),  # 5 × 6/10 = 3
        ("gender", "male"): (1, 2),  # 5 × 3/10 = 1.5
        ("gender", "unknown"): (0, 1),  # no answer: no minimum
        ("age_band", "35-49"): (1, 2),  # 5 × 3/10 = 1.5
        ("age_band", "65+"): (3, 4),  # 5 × 7/10 = 3.5
    }
    # Freezing proposes the same quotas.
    draw = draws.freeze(draw, editor_a)
    assert {(q["category"], q["value"]): (q["min"], q["max"]) for q in draw.quotas} == quotas


def test_seats_per_source_are_quotas_with_min_equal_to_max(commune_a, editor_a):
    pool = PoolFactory(commune=commune_a, source=Source.ELECTORAL_ROLL)
    crowd(commune_a, 6)
    crowd(None, 6, pool=pool)
    draw = DrawFactory(
        commune=commune_a,
        pools=[pool],
        panel_size=4,
        seats_per_source={"volunteer_list": 3, "electoral_roll": 1},
    )
    assert draws.draw_categories(draw) == ["gender", "age_band", "source"]
    draw = draws.freeze(draw, editor_a)
    sources = Counter(p["features"]["source"] for p in draw.pool_snapshot)
    assert sources == {"volunteer_list": 6, "electoral_roll": 6}
    source_quotas = {
        q["value"]: (q["min"], q["max"]) for q in draw.quotas if q["category"] == "source"
    }
    assert source_quotas == {"volunteer_list": (3, 3), "electoral_roll": (1, 1)}


def test_saving_quotas_after_computing_drops_the_result(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    Draw.objects.filter(pk=draw.pk).update(
        status=DrawStatus.COMPUTED,
        result={"min_probability": 0.5, "max_probability": 0.5, "probabilities": {}},
        lottery={"panels": [["P001"]]},
        computed_at=timezone.now(),
    )
    quotas = [dict(q, min=0) for q in draw.quotas]
    draw = draws.save_quotas(draw, quotas, editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.FROZEN
    assert draw.result == {}
    assert draw.lottery == {}
    assert draw.computed_at is None
    assert draw.quotas == quotas


@pytest.mark.parametrize("status", [DrawStatus.COMPUTING, DrawStatus.PUBLISHED, DrawStatus.DRAWN])
def test_quotas_are_fixed_once_computing_or_published(draw, commune_a, editor_a, status):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    before = list(draw.quotas)
    Draw.objects.filter(pk=draw.pk).update(status=status)
    with pytest.raises(draws.DrawError):
        draws.save_quotas(draw, [dict(q, min=0) for q in before], editor_a)
    draw.refresh_from_db()
    assert draw.quotas == before


def test_infeasible_quotas_are_explained_with_a_relaxation(draw, commune_a, editor_a):
    crowd(commune_a, 12)
    draw = draws.freeze(draw, editor_a)
    quotas = [
        {"category": "gender", "value": "female", "min": 3, "max": 4},
        {"category": "gender", "value": "male", "min": 3, "max": 4},
        {"category": "age_band", "value": "35-49", "min": 0, "max": 4},
        {"category": "age_band", "value": "65+", "min": 0, "max": 4},
    ]
    draw = draws.save_quotas(draw, quotas, editor_a)
    draw = draws.start_computation(draw, editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.FROZEN
    assert draw.error == gettext("The quotas cannot all be met. See the explanation below.")
    assert draw.feasibility["feasible"] is False
    assert draw.feasibility["problems"]
    relaxation = draw.feasibility["relaxation"]
    assert relaxation
    assert {change["category"] for change in relaxation} == {"gender"}
    assert sum(change["min"] - change["new_min"] for change in relaxation) == 2


def test_a_quota_on_a_value_nobody_has_is_refused_before_computing(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    quotas = [q for q in draw.quotas if q["value"] != "female"]  # women left without a row
    draw = draws.save_quotas(draw, quotas, editor_a)
    draw = draws.start_computation(draw, editor_a)
    assert draw.status == DrawStatus.FROZEN
    assert draw.feasibility["feasible"] is False
    assert draw.feasibility["problems"]


# The steps in their order ---------------------------------------------------------------


def test_steps_cannot_be_skipped(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    with pytest.raises(draws.DrawError):
        draws.start_computation(draw, editor_a)
    draw = draws.freeze(draw, editor_a)
    with pytest.raises(draws.DrawError):
        draws.publish(draw, SOURCE, LOTO, editor_a)
    with pytest.raises(draws.DrawError):
        draws.enter_randomness(draw, RANDOMNESS, editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.FROZEN
    assert draw.commitment == ""


def test_cancelling_needs_a_reason_is_logged_and_cannot_be_repeated(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    with pytest.raises(draws.DrawError) as error:
        draws.cancel(draw, "  ", editor_a)
    assert str(error.value) == gettext("Give the reason for cancelling the draw.")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.FROZEN

    draws.cancel(draw, "Le conseil a changé le mandat.", editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.CANCELLED
    assert draw.cancel_reason == "Le conseil a changé le mandat."
    assert draw.cancelled_at is not None
    entry = draw_log(draw).get(action="mprc.draw_cancelled")
    assert entry.user_id == editor_a.pk
    assert entry.data == {"reason": "Le conseil a changé le mandat.", "from": "frozen"}

    with pytest.raises(draws.DrawError) as error:
        draws.cancel(draw, "Une deuxième fois.", editor_a)
    assert str(error.value) == gettext("This draw is already cancelled.")
    draw.refresh_from_db()
    assert draw.cancel_reason == "Le conseil a changé le mandat."
    assert draw_log(draw).filter(action="mprc.draw_cancelled").count() == 1
    # Nothing else can be done with it.
    with pytest.raises(draws.DrawError):
        draws.save_quotas(draw, draw.quotas, editor_a)
    with pytest.raises(draws.DrawError):
        draws.start_computation(draw, editor_a)


# Computing, publishing, drawing (the engine) ---------------------------------------------


@pytest.fixture
def households_pool(commune_a):
    """16 people, four couples among them (a household each)."""
    people = crowd(commune_a, 16)
    for number, (one, two) in enumerate([(0, 1), (2, 3), (4, 7), (8, 13)]):
        address = f"{number + 1} impasse du Lavoir"
        for person in (people[one], people[two]):
            person.address = address
            person.save()
    return people


def computed(draw, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draws.start_computation(draw, editor)
    draw.refresh_from_db()
    return draw


def test_computing_gives_a_lottery_of_1000_panels_that_meet_the_quotas(
    commune_a, editor_a, households_pool, django_capture_on_commit_callbacks
):
    draw = DrawFactory(commune=commune_a, panel_size=4)
    draw = draws.freeze(draw, editor_a)
    assert draw.freeze_report["households"] == 12
    draw = computed(draw, editor_a, django_capture_on_commit_callbacks)
    assert draw.status == DrawStatus.COMPUTED, draw.error
    assert draw.computed_at is not None
    assert draw.error == ""
    assert draw.result["algorithm"] == "leximin"
    assert set(draw.result["probabilities"]) == {p["id"] for p in draw.pool_snapshot}
    assert 0 < draw.result["min_probability"] <= draw.result["max_probability"] <= 1
    panels = draw.lottery["panels"]
    assert len(panels) == draws.LOTTERY_PANELS == 1000
    for panel in panels:
        assert quota_ok(panel, draw.pool_snapshot, draw.quotas, 4), panel
    # Every person of the pool has a chance (the quotas leave room for everyone).
    picked = Counter(i for panel in panels for i in panel)
    assert set(picked) == {p["id"] for p in draw.pool_snapshot}
    assert draw.lottery["max_deviation"] <= 0.01
    assert "mprc.draw_computed" in actions_logged(draw)
    # The report and the quota table read the result.
    report = draws.probability_report(draw)
    assert len(report) == 16
    assert report[0]["probability"] == pytest.approx(draw.result["min_probability"], abs=1e-6)
    table = draws.quota_table(draw)
    assert sum(row["expected"] for row in table if row["category"] == "gender") == (
        pytest.approx(4, abs=1e-6)
    )


def test_publish_then_randomness_give_a_verifiable_final_panel(
    commune_a, editor_a, households_pool, django_capture_on_commit_callbacks
):
    draw = draws.freeze(DrawFactory(commune=commune_a, panel_size=4), editor_a)
    draw = computed(draw, editor_a, django_capture_on_commit_callbacks)

    with pytest.raises(draws.DrawError) as error:
        draws.publish(draw, "Le Loto", LOTO, editor_a)
    assert str(error.value) == gettext(
        "Describe the public source of randomness precisely (at least 10 characters)."
    )
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMPUTED
    assert draw.commitment == ""

    draws.publish(draw, f"  {SOURCE}\n", LOTO, editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED
    assert draw.randomness_source == SOURCE
    assert draw.lottery["randomness_source"] == SOURCE
    assert draw.lottery["randomness_format"] == draw.randomness_format == LOTO
    assert draw.commitment == draw.lottery["commitment"] == sortition.commitment(draw.lottery)
    assert len(draw.commitment) == 64
    assert sortition.verify(draw.lottery, audit=draw.audit).ok
    # The public file has pseudonyms only; the answers and households are in the audit file.
    assert all(isinstance(pid, str) for pid in draw.lottery["pool"])
    assert {p["id"] for p in draw.audit["people"]} == {p["id"] for p in draw.pool_snapshot}
    published = copy.deepcopy(draw.lottery)

    draws.enter_randomness(draw, RANDOMNESS, editor_a)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    assert draw.randomness == CANONICAL
    assert draw.drawn_at is not None
    assert 1 <= draw.panel_number <= 1000
    assert sorted(draw.selected) == sorted(draw.lottery["panels"][draw.panel_number - 1])
    assert set(draw.alternates) == {p["id"] for p in draw.pool_snapshot} - set(draw.selected)
    # Anyone holding the published file re-derives the same panel.
    again = sortition.draw(copy.deepcopy(published), RANDOMNESS)
    assert again["panel_number"] == draw.panel_number
    assert again["members"] == draw.selected
    assert again["alternates"] == draw.alternates
    assert sortition.verify(draw.lottery, audit=draw.audit).ok
    # The commitment did not change between publication and the draw.
    assert sortition.commitment(draw.lottery) == draw.commitment

    # Final: another randomness cannot redo it.
    with pytest.raises(draws.DrawError):
        draws.enter_randomness(draw, "1 2 3 4 5 / 6", editor_a)
    with pytest.raises(draws.DrawError):
        draws.save_quotas(draw, draw.quotas, editor_a)
    kept = Draw.objects.get(pk=draw.pk)
    assert (kept.status, kept.panel_number, kept.selected) == (
        DrawStatus.DRAWN,
        draw.panel_number,
        draw.selected,
    )
    assert actions_logged(draw)[-3:] == [
        "mprc.draw_computed",
        "mprc.draw_published",
        "mprc.draw_drawn",
    ]


def test_a_cancelled_computation_is_not_overwritten(
    draw, commune_a, editor_a, django_capture_on_commit_callbacks
):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    draw = draws.start_computation(draw, editor_a)  # the task is not run: still computing
    assert draw.status == DrawStatus.COMPUTING
    draws.cancel(draw, "Erreur dans les listes.", editor_a)
    assert draws.compute_draw.call(draw.pk) == "skipped"
    draw.refresh_from_db()
    assert draw.status == DrawStatus.CANCELLED
    assert draw.result == {}


# Invitations ----------------------------------------------------------------------------


@pytest.fixture
def drawn(draw, commune_a, editor_a):
    """A drawn panel of four (two with an e-mail address) and four alternates: the alternates
    are one of each group, in a known order."""
    women = [resident(commune_a, email=f"femme{n}@example.org") for n in range(2)]
    men = [resident(commune_a, gender=Gender.MALE) for _n in range(2)]
    alternates = [
        resident(commune_a, gender=Gender.MALE, born=OLDER),
        resident(commune_a, gender=Gender.MALE),
        resident(commune_a, born=OLDER),
        resident(commune_a, email="suppleante@example.org"),
    ]
    frozen = draws.freeze(draw, editor_a)
    return fake_drawn(frozen, women + men, alternates), women, men, alternates


def Request():
    """A request of the admin, for building the invitation's absolute link."""
    return RequestFactory().get("/admin/")


def test_invitations_go_by_e_mail_or_to_the_town_hall(drawn, editor_a):
    draw, women, _men, _alternates = drawn
    mail.outbox.clear()
    emailed, to_call = invitations.invite(
        Request(), draw, invitations.drawn_entrants(draw), editor_a
    )
    assert (emailed, to_call) == (2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(w.email for w in women)
    message = mail.outbox[0]
    assert draw.micro_parliament.url in message.body
    assert "/invitation/" in message.body
    statuses = Counter(e.invitation for e in DrawEntrant.objects.filter(draw=draw))
    assert statuses[InvitationStatus.INVITED] == 4
    # Invited once only.
    assert invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a) == (
        0,
        0,
    )
    assert len(mail.outbox) == 2


def test_invitations_wait_for_the_draw(draw, commune_a, editor_a):
    crowd(commune_a, 8)
    draw = draws.freeze(draw, editor_a)
    with pytest.raises(invitations.InvitationError):
        invitations.invite(Request(), draw, DrawEntrant.objects.filter(draw=draw), editor_a)
    assert not DrawEntrant.objects.filter(draw=draw).exclude(invitation="").exists()


def test_accepting_makes_a_member_without_a_public_name(drawn, editor_a, commune_a):
    draw, women, _men, _alternates = drawn
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a)
    entrant = entrant_of(draw, women[0])
    member = invitations.accept(entrant, user=editor_a)
    assert member.volunteer == women[0]
    assert member.draw == draw
    assert member.micro_parliament.pk == draw.micro_parliament.pk
    assert member.role == Role.DRAWN_RESIDENT
    assert member.show_name is False
    assert member.public_name == str(Role.DRAWN_RESIDENT.label)
    assert member.name == f"{women[0].first_name} {women[0].last_name[0]}."
    entrant.refresh_from_db()
    assert entrant.invitation == InvitationStatus.ACCEPTED
    assert entrant.answered_at is not None
    with pytest.raises(invitations.InvitationError):
        invitations.accept(entrant, user=editor_a)
    with pytest.raises(invitations.InvitationError):
        invitations.decline(entrant, user=editor_a)
    assert ParliamentMember.objects.filter(volunteer=women[0]).count() == 1


def test_empty_seats_go_to_the_alternates_in_the_published_order(drawn, editor_a):
    draw, women, men, alternates = drawn
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a)
    # A 35–49 man declines: his seat goes to the first alternate, whatever their answers
    # (the order is published; choosing by group would break it).
    declined = invitations.decline(entrant_of(draw, men[0]), user=editor_a)
    assert declined.invitation == InvitationStatus.DECLINED
    assert invitations.next_alternate(draw).volunteer == alternates[0]
    _draw, called = invitations.call_next_alternate(draw, declined.seat.number, editor_a)
    assert called.volunteer == alternates[0]
    assert called.seat == declined.seat
    # A 35–49 woman declines: the second alternate, for her seat.
    declined = invitations.decline(entrant_of(draw, women[0]), user=editor_a)
    assert invitations.next_alternate(draw).volunteer == alternates[1]
    called = invitations.invite_next_alternate(
        Request(), draw, declined.seat.number, editor_a, expected=invitations.next_alternate(draw)
    )
    assert called.volunteer == alternates[1]
    assert invitations.next_alternate(draw).volunteer == alternates[2]
    histories = {
        seat.number: [e.pseudonym for e in seat.history] for seat in invitations.seats(draw)
    }
    assert histories[declined.seat.number] == [declined.pseudonym, called.pseudonym]


def test_an_online_decline_tells_the_town_hall_without_personal_data(drawn, commune_a):
    draw, women, _men, _alternates = drawn
    commune_a.email = "mairie@aubigny.example"
    commune_a.save()
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), None)
    mail.outbox.clear()
    invitations.decline(entrant_of(draw, women[0]))
    [message] = mail.outbox
    assert message.to == ["mairie@aubigny.example"]
    assert f"/run/{draw.pk}/" in message.body
    assert women[0].last_name not in message.body
    assert women[0].email not in message.body


# The person's rights after a draw -------------------------------------------------------


def test_erasing_a_drawn_member_leaves_only_the_pseudonym(drawn, editor_a):
    draw, women, _men, _alternates = drawn
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a)
    entrant = entrant_of(draw, women[0])
    member = invitations.accept(entrant, user=editor_a)
    elected = ParliamentMember.objects.create(
        micro_parliament=draw.micro_parliament,
        commune=draw.commune,
        name="Le maire",
        role=Role.ELECTED,
    )
    withdraw(women[0])
    assert not ParliamentMember.objects.filter(pk=member.pk).exists()
    assert ParliamentMember.objects.filter(pk=elected.pk).exists()
    entrant.refresh_from_db()
    assert entrant.volunteer is None
    assert entrant.pseudonym in Draw.objects.get(pk=draw.pk).selected
    # The panel's list shows the seat, without the person.
    assert entrant in invitations.drawn_entrants(draw)


def test_personal_data_holds_the_draws_and_the_membership(drawn, editor_a):
    draw, women, men, _alternates = drawn
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a)
    invitations.accept(entrant_of(draw, women[0]), show_name=True, public_name="Camille")
    data = personal_data(women[0])
    assert data["draws"] == [
        {
            "draw": draw.title,
            "pseudonym": entrant_of(draw, women[0]).pseudonym,
            "drawn": True,
            "invitation": str(InvitationStatus.ACCEPTED.label),
        }
    ]
    assert data["micro_parliament"]["micro_parliament"] == draw.micro_parliament.title
    assert data["micro_parliament"]["public_name"] == "Camille"
    assert data["micro_parliament"]["name_shown_publicly"] is True
    assert data["micro_parliament"]["role"] == str(Role.DRAWN_RESIDENT.label)
    other = personal_data(men[0])
    assert other["draws"][0]["invitation"] == str(InvitationStatus.INVITED.label)
    assert other["micro_parliament"] is None


def test_the_personal_download_holds_the_draws_and_the_membership(client, signup_page, editor_a):
    from tests.participation.test_signup import route

    commune = signup_page.commune
    page = MicroParliamentPageFactory(parent=commune)
    people = crowd(commune, 8)
    person = VolunteerFactory(commune=commune, signed_up=True, first_name="Odile")
    draw = draws.freeze(DrawFactory(commune=commune, micro_parliament=page), editor_a)
    fake_drawn(draw, [person, *people[:3]], people[3:])
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a)
    invitations.accept(entrant_of(draw, person))

    response = client.get(route(signup_page, "download", person))
    assert response.status_code == 200
    data = json.loads(response.content.decode("utf-8"))
    assert [entry["draw"] for entry in data["draws"]] == [draw.title]
    assert data["draws"][0]["drawn"] is True
    assert data["micro_parliament"]["micro_parliament"] == page.title

    response = client.get(route(signup_page, "download", person) + "?format=csv")
    rows = dict(
        list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    )
    from django.utils import translation

    from participation.views import personal_data_labels

    with translation.override("fr"):
        label = {key: str(name) for key, name in personal_data_labels().items()}
    assert rows[f"{label['draws']} 1 › {label['draw']}"] == draw.title
    parliament = label["micro_parliament"]
    assert rows[f"{parliament} › {parliament}"] == page.title


def test_erasing_an_expired_list_removes_its_drawn_members(draw, commune_a, editor_a):
    import datetime

    from participation.models import Pool
    from participation.retention import erase_expired

    pool = PoolFactory(commune=commune_a)
    draw.pools.add(pool)
    listed = crowd(None, 8, pool=pool)
    draw = draws.freeze(draw, editor_a)
    fake_drawn(draw, listed[:4], listed[4:])
    invitations.invite(Request(), draw, invitations.drawn_entrants(draw), editor_a)
    member = invitations.accept(entrant_of(draw, listed[0]), user=editor_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Pool.objects.filter(pk=pool.pk).update(retention_end=yesterday)

    erase_expired()

    assert not Pool.objects.filter(pk=pool.pk).exists()
    assert not ParliamentMember.objects.filter(pk=member.pk).exists()
    entrants = DrawEntrant.objects.filter(draw=draw)
    assert entrants.count() == 8
    assert not entrants.filter(volunteer__isnull=False).exists()
