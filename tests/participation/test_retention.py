"""How long personal data is kept, and its daily erasure (``manage.py erase_expired``)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from mprc_cms.models import RateLimitHit
from participation.choices import Status
from participation.factories import PoolFactory, VolunteerFactory
from participation.models import ConsentRecord, Pool, Volunteer
from participation.retention import add_months, default_retention_end, erase_expired

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def today():
    return timezone.localdate()


def names():
    return set(Volunteer.objects.values_list("last_name", flat=True))


# Month arithmetic and the default retention end


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_default_without_a_sign_up_page_is_three_months_plus_six(commune_a):
    day = date(2026, 3, 10)
    assert default_retention_end(commune_a, today=day) == date(2026, 12, 10)
    assert default_retention_end(None, today=day) == date(2026, 12, 10)


def test_default_follows_the_cycle_end_and_the_pages_delay(commune_a, signup_page):
    signup_page.cycle_end = date(2026, 6, 30)
    signup_page.retention_months = 2
    signup_page.save()
    assert default_retention_end(commune_a, today=date(2026, 3, 10)) == date(2026, 8, 30)


def test_default_at_month_ends(commune_a, signup_page):
    signup_page.cycle_end = date(2026, 8, 31)
    signup_page.retention_months = 6
    signup_page.save()
    assert default_retention_end(commune_a, today=date(2026, 3, 10)) == date(2027, 2, 28)
    signup_page.cycle_end = date(2027, 8, 31)
    signup_page.save()
    assert default_retention_end(commune_a, today=date(2026, 3, 10)) == date(2028, 2, 29)
    signup_page.cycle_end = None
    signup_page.retention_months = 1
    signup_page.save()
    # 30 November + 3 months = 28 February, + 1 month = 28 March.
    assert default_retention_end(commune_a, today=date(2026, 11, 30)) == date(2027, 3, 28)


def test_a_past_cycle_end_counts_from_today(commune_a, signup_page):
    signup_page.cycle_end = date(2026, 1, 31)
    signup_page.retention_months = 6
    signup_page.save()
    assert default_retention_end(commune_a, today=date(2026, 3, 10)) == date(2026, 12, 10)


def test_a_cycle_ending_today_is_not_past(commune_a, signup_page):
    signup_page.cycle_end = date(2026, 3, 10)
    signup_page.retention_months = 6
    signup_page.save()
    assert default_retention_end(commune_a, today=date(2026, 3, 10)) == date(2026, 9, 10)


def test_each_commune_has_its_own_default(commune_a, commune_b, signup_page, signup_page_b):
    signup_page.cycle_end = today() + timedelta(days=40)
    signup_page.retention_months = 1
    signup_page.save()
    assert default_retention_end(commune_a) == add_months(signup_page.cycle_end, 1)
    assert default_retention_end(commune_b) == add_months(add_months(today(), 3), 6)


def test_a_list_saved_without_retention_end_gets_the_default(commune_a, signup_page):
    signup_page.cycle_end = today() + timedelta(days=10)
    signup_page.retention_months = 4
    signup_page.save()
    pool = Pool.objects.create(commune=commune_a, name="Liste", source="electoral_roll")
    assert pool.retention_end == add_months(signup_page.cycle_end, 4)
    pool.refresh_from_db()
    assert pool.retention_end == add_months(signup_page.cycle_end, 4)
    chosen = Pool.objects.create(
        commune=commune_a, name="Autre", source="land_register", retention_end=date(2030, 1, 1)
    )
    chosen.refresh_from_db()
    assert chosen.retention_end == date(2030, 1, 1)


# Erasure


def test_unconfirmed_sign_ups_are_erased_after_the_delay(commune_a, signup_page):
    VolunteerFactory(commune=commune_a, pending=True, last_name="Ancien", created_at=days_ago(15))
    VolunteerFactory(commune=commune_a, pending=True, last_name="Recent", created_at=days_ago(13))
    VolunteerFactory(
        commune=commune_a, signed_up=True, last_name="Confirme", created_at=days_ago(40)
    )
    report = erase_expired()
    assert names() == {"Recent", "Confirme"}
    assert (report.unconfirmed, report.volunteers, report.pools) == (1, 0, 0)
    assert report.people == 1
    assert ConsentRecord.objects.filter(volunteer__last_name="Ancien").count() == 0


def test_the_confirmation_delay_is_a_setting(settings, commune_a, signup_page):
    settings.PARTICIPATION_CONFIRMATION_DAYS = 3
    VolunteerFactory(commune=commune_a, pending=True, last_name="Quatre", created_at=days_ago(4))
    VolunteerFactory(commune=commune_a, pending=True, last_name="Deux", created_at=days_ago(2))
    erase_expired()
    assert names() == {"Deux"}


def test_sign_ups_past_their_retention_end_are_erased(commune_a, signup_page):
    def signed_up(last_name, retention_end, **fields):
        return VolunteerFactory(
            commune=commune_a,
            signed_up=True,
            last_name=last_name,
            retention_end=retention_end,
            **fields,
        )

    signed_up("Hier", today() - timedelta(days=1))
    signed_up("Ecarte", today() - timedelta(days=30), status=Status.EXCLUDED, exclusion_reason="x")
    signed_up("Aujourdhui", today())
    signed_up("Demain", today() + timedelta(days=1))
    signed_up("Sansfin", None)
    VolunteerFactory(commune=commune_a, last_name="Amain", retention_end=today() - timedelta(1))
    report = erase_expired()
    assert names() == {"Aujourdhui", "Demain", "Sansfin"}
    assert report.volunteers == 3
    assert report.unconfirmed == 0


def test_lists_past_their_retention_end_are_erased_with_their_people(commune_a):
    old = PoolFactory(commune=commune_a, name="Vieille", retention_end=today() - timedelta(1))
    live = PoolFactory(commune=commune_a, name="Vivante", retention_end=today() + timedelta(1))
    for number in range(3):
        VolunteerFactory(pool=old, last_name=f"Vieux{number}")
    VolunteerFactory(pool=live, last_name="Vivant")
    # A person of a list follows the list, whatever their own date says.
    VolunteerFactory(pool=live, last_name="Suit", retention_end=today() - timedelta(days=5))
    report = erase_expired()
    assert set(Pool.objects.values_list("name", flat=True)) == {"Vivante"}
    assert names() == {"Vivant", "Suit"}
    assert (report.pools, report.pool_members, report.volunteers) == (1, 3, 0)
    assert report.people == 3


def test_pending_people_of_a_list_are_not_unconfirmed_sign_ups(commune_a):
    pool = PoolFactory(commune=commune_a, retention_end=today() + timedelta(days=30))
    VolunteerFactory(pool=pool, status=Status.PENDING, last_name="Liste", created_at=days_ago(60))
    erase_expired()
    assert names() == {"Liste"}


def test_each_commune_history_records_counts_only(commune_a, commune_b, signup_page):
    VolunteerFactory(commune=commune_a, pending=True, last_name="Dupont", created_at=days_ago(20))
    VolunteerFactory(
        commune=commune_a, signed_up=True, last_name="Durand", retention_end=today() - timedelta(1)
    )
    old = PoolFactory(commune=commune_a, name="Vieille liste", retention_end=date(2020, 1, 1))
    VolunteerFactory(pool=old, last_name="Dubois")
    VolunteerFactory(pool=old, last_name="Duval")
    VolunteerFactory(commune=commune_b, pending=True, last_name="Bernard", created_at=days_ago(20))
    VolunteerFactory(commune=commune_b, last_name="Reste")

    erase_expired()

    entries = PageLogEntry.objects.filter(action="mprc.retention_erasure")
    assert entries.count() == 2
    entry_a = entries.get(page=commune_a)
    assert entry_a.data == {"unconfirmed": 1, "volunteers": 1, "pools": 1, "pool_members": 2}
    assert entries.get(page=commune_b).data == {
        "unconfirmed": 1,
        "volunteers": 0,
        "pools": 0,
        "pool_members": 0,
    }
    recorded = " ".join(f"{entry.data} {entry.label}" for entry in entries)
    for name in ("Dupont", "Durand", "Dubois", "Duval", "Bernard", "Vieille liste"):
        assert name not in recorded
    assert entry_a.user is None


def test_nothing_expired_records_nothing(commune_a, signup_page):
    VolunteerFactory(commune=commune_a, signed_up=True)
    report = erase_expired()
    assert report.people == 0
    assert not PageLogEntry.objects.filter(action="mprc.retention_erasure").exists()
    assert Volunteer.objects.count() == 1


def test_the_history_of_erased_people_goes_with_them(commune_a, signup_page, editor_a):
    gone = VolunteerFactory(
        commune=commune_a,
        signed_up=True,
        first_name="Gaston",
        last_name="Parti",
        retention_end=today() - timedelta(1),
    )
    pool = PoolFactory(commune=commune_a, retention_end=today() - timedelta(1))
    member = VolunteerFactory(pool=pool, first_name="Mireille", last_name="Listee")
    kept = VolunteerFactory(commune=commune_a, signed_up=True, first_name="Rose", last_name="Reste")
    for person in (gone, member, kept):
        log(instance=person, action="wagtail.edit", user=editor_a)
    content_type = ContentType.objects.get_for_model(Volunteer)
    assert ModelLogEntry.objects.filter(content_type=content_type).count() == 3

    erase_expired()

    entries = ModelLogEntry.objects.filter(content_type=content_type)
    assert list(entries.values_list("object_id", flat=True)) == [str(kept.pk)]
    assert not ModelLogEntry.objects.filter(label__contains="Parti").exists()
    assert not ModelLogEntry.objects.filter(label__contains="Listee").exists()


def test_old_rate_limit_records_are_purged(commune_a):
    old = RateLimitHit.objects.create(scope="participation.signup.ip", key="a" * 64)
    recent = RateLimitHit.objects.create(scope="participation.signup.ip", key="b" * 64)
    RateLimitHit.objects.filter(pk=old.pk).update(created_at=days_ago(2))
    report = erase_expired()
    assert report.rate_limit_hits == 1
    assert list(RateLimitHit.objects.values_list("pk", flat=True)) == [recent.pk]


def test_erasing_twice_erases_once(commune_a, signup_page):
    VolunteerFactory(commune=commune_a, pending=True, created_at=days_ago(20))
    assert erase_expired().unconfirmed == 1
    assert erase_expired().people == 0
    assert PageLogEntry.objects.filter(action="mprc.retention_erasure").count() == 1


def test_the_command(commune_a, signup_page):
    VolunteerFactory(commune=commune_a, pending=True, last_name="Attente", created_at=days_ago(20))
    for number in range(2):
        VolunteerFactory(
            commune=commune_a,
            signed_up=True,
            last_name=f"Fini{number}",
            retention_end=today() - timedelta(days=1),
        )
    pool = PoolFactory(commune=commune_a, retention_end=today() - timedelta(days=1))
    for number in range(3):
        VolunteerFactory(pool=pool, last_name=f"Membre{number}")
    VolunteerFactory(commune=commune_a, signed_up=True, last_name="Garde")
    hit = RateLimitHit.objects.create(scope="participation.email", key="c" * 64)
    RateLimitHit.objects.filter(pk=hit.pk).update(created_at=days_ago(3))

    out = io.StringIO()
    call_command("erase_expired", stdout=out)

    assert names() == {"Garde"}
    assert not Pool.objects.exists()
    assert not RateLimitHit.objects.exists()
    # Unconfirmed, expired sign-ups, lists, their people, rate-limit records (then others).
    assert [int(n) for n in re.findall(r"\d+", out.getvalue())][:5] == [1, 2, 1, 3, 1]
    assert PageLogEntry.objects.get(action="mprc.retention_erasure").data == {
        "unconfirmed": 1,
        "volunteers": 2,
        "pools": 1,
        "pool_members": 3,
    }
