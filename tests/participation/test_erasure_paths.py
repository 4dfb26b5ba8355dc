"""Every way people of the volunteer list are deleted erases their traces, with a few
queries for them all (participation/erasure.py): their admin history, the e-mails queued
to their address or to the new address they asked for, their consent records; other
modules hear of it once per batch (``volunteers_erased``) and the page cache of their
commune is told. Other people's traces stay."""

from datetime import timedelta

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, ReferenceIndex

from mprc_cms import page_cache
from mprc_cms.tasks import send_email
from participation import erasure
from participation.api import volunteers_erased
from participation.factories import ConsentRecordFactory, PoolFactory, VolunteerFactory
from participation.models import ConsentRecord, Pool, Volunteer
from participation.retention import erase_expired
from tests.import_helpers import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

YESTERDAY = timezone.localdate() - timedelta(days=1)


@pytest.fixture
def queue(settings):
    """As in production: e-mails wait in the database queue."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return DBTaskResult.objects.filter(task_path="mprc_cms.tasks.send_email")


@pytest.fixture
def heard(monkeypatch):
    """What the deletion told: the people in volunteers_erased, the communes to the cache."""
    told = {"ids": [], "sends": 0, "communes": []}

    def receiver(sender, volunteer_ids, **kwargs):
        told["ids"].extend(volunteer_ids)
        told["sends"] += 1

    volunteers_erased.connect(receiver, sender=Volunteer, dispatch_uid="test.erasure")
    monkeypatch.setattr(
        page_cache,
        "changed",
        lambda *objects: told["communes"].extend(getattr(obj, "pk", obj) for obj in objects),
    )
    yield told
    volunteers_erased.disconnect(sender=Volunteer, dispatch_uid="test.erasure")


def traced(person, editor):
    """The person with an admin history, references in Wagtail's index and e-mails queued
    to both their addresses."""
    log(instance=person, action="wagtail.edit", user=editor)
    ReferenceIndex.create_or_update_for_object(person)  # as the admin's edit view does
    for address in (person.email, person.pending_email):
        if address:
            send_email.enqueue("Sujet", f"Bonjour {person.last_name}", [address])
    return person


def people(pool, editor, count, prefix="Membre"):
    return [
        traced(
            VolunteerFactory(
                pool=pool,
                last_name=f"{prefix}{number}",
                email=f"{prefix.lower()}{number}@example.org",
                pending_email=f"{prefix.lower()}{number}.nouvelle@exemple.net",
            ),
            editor,
        )
        for number in range(count)
    ]


def references_of(people):
    """Wagtail's reference index rows of ``people`` (their list, their commune)."""
    return ReferenceIndex.objects.filter(
        base_content_type=ReferenceIndex._get_base_content_type(Volunteer),
        object_id__in=[str(person.pk) for person in people],
    )


def assert_erased(erased, kept, queue, heard, commune):
    erased_ids = {person.pk for person in erased}
    assert not Volunteer.objects.filter(pk__in=erased_ids).exists()
    assert not ModelLogEntry.objects.filter(object_id__in=[str(pk) for pk in erased_ids]).exists()
    for person in erased:
        for address in (person.email, person.pending_email):
            assert not (address and queue.filter(args_kwargs__icontains=address).exists())
    assert not ConsentRecord.objects.filter(volunteer_id__in=erased_ids).exists()
    assert not references_of(erased).exists()
    assert set(heard["ids"]) == erased_ids
    assert len(heard["ids"]) == len(erased_ids)  # each person told once
    assert commune.pk in heard["communes"]
    # The others keep their history and their e-mails.
    for person in kept:
        assert Volunteer.objects.filter(pk=person.pk).exists()
        assert ModelLogEntry.objects.filter(object_id=str(person.pk)).exists()
        assert queue.filter(args_kwargs__icontains=person.email).count() == 1


@pytest.fixture
def lists(commune_a, commune_b, editor_a, signup_page, queue):
    pool = PoolFactory(commune=commune_a, name="Liste à effacer")
    other = PoolFactory(commune=commune_a, name="Liste gardée")
    elsewhere = PoolFactory(commune=commune_b, name="Liste d'ailleurs")
    signed_up = traced(
        VolunteerFactory(commune=commune_a, signed_up=True, last_name="Inscrite"), editor_a
    )
    erased = people(pool, editor_a, 4)
    assert references_of(erased).exists()  # what the erasure must clean
    return {
        "pool": pool,
        "erased": erased,
        "kept": [
            *people(other, editor_a, 2, "Garde"),
            *people(elsewhere, editor_a, 1, "Ailleurs"),
            signed_up,
        ],
        "signed_up": signed_up,
    }


def test_deleting_a_list_in_the_admin(client_a, commune_a, lists, queue, heard):
    response = client_a.post(reverse("participation_pools:delete", args=[lists["pool"].pk]))
    assert response.status_code == 302, text_of(response)[:2000]
    assert not Pool.objects.filter(pk=lists["pool"].pk).exists()
    assert_erased(lists["erased"], lists["kept"], queue, heard, commune_a)


def test_deleting_a_person_in_the_admin(client_a, commune_a, lists, queue, heard):
    person = lists["erased"][0]
    response = client_a.post(reverse("participation_volunteers:delete", args=[person.pk]))
    assert response.status_code == 302, text_of(response)[:2000]
    assert_erased([person], lists["kept"] + lists["erased"][1:], queue, heard, commune_a)


def test_a_signed_up_person_erased_with_their_consent(client_a, commune_a, lists, queue, heard):
    person = lists["signed_up"]
    assert ConsentRecord.objects.filter(volunteer=person).exists()
    Volunteer.objects.get(pk=person.pk).delete()
    kept = [someone for someone in lists["kept"] if someone != person]
    assert_erased([person], kept + lists["erased"], queue, heard, commune_a)


def test_the_daily_erasure_of_an_expired_list(commune_a, lists, queue, heard):
    Pool.objects.filter(pk=lists["pool"].pk).update(retention_end=YESTERDAY)
    report = erase_expired()
    assert (report.pools, report.pool_members) == (1, 4)
    assert_erased(lists["erased"], lists["kept"], queue, heard, commune_a)


def test_the_daily_erasure_of_expired_sign_ups(commune_a, lists, queue, heard):
    person = lists["signed_up"]
    Volunteer.objects.filter(pk=person.pk).update(retention_end=YESTERDAY)
    erase_expired()
    kept = [someone for someone in lists["kept"] if someone != person]
    assert_erased([person], kept + lists["erased"], queue, heard, commune_a)


def test_deleting_people_by_queryset(commune_a, lists, queue, heard):
    _deleted, by_model = Volunteer.objects.filter(pool=lists["pool"]).delete()
    assert by_model["participation.Volunteer"] == 4
    assert Pool.objects.filter(pk=lists["pool"].pk).exists()  # the list stays, empty
    assert_erased(lists["erased"], lists["kept"], queue, heard, commune_a)


def test_deleting_lists_by_queryset(commune_a, lists, queue, heard):
    _deleted, by_model = Pool.objects.filter(pk=lists["pool"].pk).delete()
    assert (by_model["participation.Pool"], by_model["participation.Volunteer"]) == (1, 4)
    assert_erased(lists["erased"], lists["kept"], queue, heard, commune_a)


def test_a_list_deleted_counts_its_people(lists):
    deleted, by_model = lists["pool"].delete()
    assert by_model == {"participation.Pool": 1, "participation.Volunteer": 4}
    assert deleted == 5


def test_deleting_a_commune_erases_its_people_first(
    commune_a, commune_b, editor_a, editor_b, signup_page, queue, heard
):
    pool = PoolFactory(commune=commune_b, name="Liste de B")
    erased = people(pool, editor_b, 3)
    kept = people(PoolFactory(commune=commune_a), editor_a, 2, "Garde")
    commune_b.delete()
    assert not Pool.objects.filter(pk=pool.pk).exists()
    assert_erased(erased, kept, queue, heard, commune_b)


def test_others_are_told_once_per_batch(commune_a, editor_a, monkeypatch, queue, heard):
    monkeypatch.setattr(erasure, "BATCH_SIZE", 3)
    pool = PoolFactory(commune=commune_a)
    erased = people(pool, editor_a, 7)
    pool.delete()
    assert heard["sends"] == 3
    assert_erased(erased, [], queue, heard, commune_a)


def queries_to_delete(pool):
    with CaptureQueriesContext(connection) as context:
        pool.delete()
    # The micro-parliament's own receivers are its business: counted are the volunteer
    # list's queries.
    return [query["sql"] for query in context.captured_queries if "parliament" not in query["sql"]]


def test_the_queries_of_a_deletion_do_not_grow_with_the_people(commune_a, editor_a, queue):
    small = PoolFactory(commune=commune_a, name="Petite")
    people(small, editor_a, 2, "Petit")
    large = PoolFactory(commune=commune_a, name="Grande")
    people(large, editor_a, 12, "Grand")
    Volunteer.objects.filter(pool__in=[small, large]).update(pending_email="")
    Volunteer.objects.filter(pool__in=[small, large]).update(email="")
    large_queries, small_queries = queries_to_delete(large), queries_to_delete(small)
    assert len(large_queries) == len(small_queries), "\n".join(large_queries)


def test_a_deletion_loads_no_person(commune_a, editor_a, queue):
    pool = PoolFactory(commune=commune_a)
    people(pool, editor_a, 5)
    sql = " ".join(queries_to_delete(pool))
    # No full row read (the only query naming public_id): statements by subqueries.
    assert '"participation_volunteer"."public_id"' not in sql, sql
    assert '"id" IN (%s' not in sql.replace("%s, ", "")  # nor lists of primary keys


# --- Every relation to the people and their lists, with its on_delete ----------------


def relations_reached(model, seen=None):
    """Every relation Django's deletion follows from ``model``, down the cascades."""
    seen = set() if seen is None else seen
    found = {}
    if model in seen:
        return found
    seen.add(model)
    for relation in erasure.relations_to(model):
        found[erasure.relation_name(relation)] = relation.on_delete
        if relation.on_delete is models.CASCADE:
            found.update(relations_reached(relation.related_model, seen))
    return found


def test_every_relation_to_the_people_and_their_lists_is_known():
    """A foreign key added to a person, a list or what cascades from them fails here until
    erasure.RELATIONS says how its rows go (deleting people would fall back to Django's
    deletion, one row at a time, meanwhile)."""
    reached = {**relations_reached(Volunteer), **relations_reached(Pool)}
    assert reached == erasure.RELATIONS
    assert not any(
        hasattr(field, "bulk_related_objects")
        for model in (Volunteer, Pool, ConsentRecord)
        for field in model._meta.private_fields
    )


def test_people_and_lists_are_deleted_set_based():
    """No pre_delete/post_delete receiver on the models deleted set-based (one would make
    every deletion load its rows): modules listen to volunteers_erased instead."""
    assert erasure._set_based_plan(Volunteer)
    assert erasure._set_based_plan(Pool)


@pytest.fixture
def relations(commune_a, every_module_on, editor_a, signup_page, queue):
    """A list in a draw, one of its people drawn (an entrant with a seat in the
    micro-parliament), another a member under another role."""
    from parliament.factories import DrawFactory
    from parliament.models import DrawEntrant, ParliamentMember, Role

    pool = PoolFactory(commune=commune_a)
    drawn, elected, _other = people(pool, editor_a, 3)
    ConsentRecordFactory(volunteer=drawn)
    draw = DrawFactory(commune=commune_a, pools=[pool])
    entrant = DrawEntrant.objects.create(draw=draw, pseudonym="A-001", volunteer=drawn)
    seat = ParliamentMember.objects.create(
        micro_parliament=draw.micro_parliament,
        commune=commune_a,
        name="Membre0",
        role=Role.DRAWN_RESIDENT,
        volunteer=drawn,
    )
    mandate = ParliamentMember.objects.create(
        micro_parliament=draw.micro_parliament,
        commune=commune_a,
        name="Membre1",
        role=Role.ELECTED,
        volunteer=elected,
    )
    return {"pool": pool, "draw": draw, "entrant": entrant, "seat": seat, "mandate": mandate}


@pytest.mark.parametrize("way", ["set-based", "django"])
def test_each_relation_follows_its_on_delete(relations, way, monkeypatch):
    """The same outcome and counts set-based as with Django's deletion (what a relation
    missing from RELATIONS falls back to)."""
    from parliament.models import ParliamentMember

    if way == "django":
        monkeypatch.setitem(erasure.RELATIONS, "parliament.DrawEntrant.volunteer", models.CASCADE)
        assert not erasure._set_based_plan(Volunteer)
    pool, draw = relations["pool"], relations["draw"]
    pool_pk = pool.pk
    _deleted, by_model = pool.delete()
    assert by_model == {
        "participation.Pool": 1,
        "participation.Volunteer": 3,
        "participation.ConsentRecord": 1,
        "parliament.Draw_pools": 1,
    }
    assert pool.pk is None
    assert not Pool.objects.filter(pk=pool_pk).exists()
    draw.refresh_from_db()  # the draw stays, without the list
    assert not draw.pools.exists()
    relations["entrant"].refresh_from_db()  # the pseudonym stays, not the person
    assert relations["entrant"].volunteer_id is None
    assert not ParliamentMember.objects.filter(pk=relations["seat"].pk).exists()
    relations["mandate"].refresh_from_db()  # SET_NULL
    assert relations["mandate"].volunteer_id is None


def test_a_delete_receiver_makes_the_deletion_row_by_row(commune_a, editor_a, queue, heard):
    """Never wrong: a receiver of post_delete on people hears every one of them (Django's
    deletion then), and their traces go all the same."""
    from django.db.models.signals import post_delete

    pool = PoolFactory(commune=commune_a)
    erased = people(pool, editor_a, 3)
    deleted = []

    def receiver(sender, instance, **kwargs):
        deleted.append(instance.pk)

    post_delete.connect(receiver, sender=Volunteer, dispatch_uid="test.erasure.receiver")
    try:
        assert not erasure._set_based_plan(Volunteer)
        assert not erasure._set_based_plan(Pool)
        pool.delete()
    finally:
        post_delete.disconnect(sender=Volunteer, dispatch_uid="test.erasure.receiver")
    assert sorted(deleted) == sorted(person.pk for person in erased)
    assert_erased(erased, [], queue, heard, commune_a)
