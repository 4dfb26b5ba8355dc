"""The demo network's volunteer lists: a live sign-up page in every commune, confirmed
volunteers with their consent, pending sign-ups and an extract of the electoral roll."""

from collections import Counter

import pytest
from django.utils import timezone

from home import demo_content as home_demo_content
from home.models import CommunePage
from participation import demo_content
from participation.choices import ConsentMethod, SocialCategory, Source, Status
from participation.models import ConsentRecord, ConsentText, Pool, Volunteer, VolunteerSignupPage
from participation.normalise import household_key, name_key
from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db

EXAMPLE_DOMAINS = ("@example.org", "@example.net")


def counts():
    return (
        VolunteerSignupPage.objects.count(),
        Volunteer.objects.count(),
        ConsentRecord.objects.count(),
        ConsentText.objects.count(),
        Pool.objects.count(),
    )


def check_signup_pages(client, output):
    assert "Liste des volontaires" in output
    today = timezone.localdate()
    for data in home_demo_content.COMMUNES:
        commune = CommunePage.objects.get(insee_code=data["insee"])
        assert commune.hamlet_list() == data["hamlets"].splitlines()
        page = VolunteerSignupPage.objects.child_of(commune).live().get()
        assert today < page.cycle_end < today.replace(year=today.year + 1)
        assert not page.has_unpublished_changes
        response = client.get(page.url)
        assert response.status_code == 200
        assert response.context["form"].fields["hamlet"].choices[-1][0] == commune.hamlet_list()[-1]


def check_signups():
    for insee, config in demo_content.COMMUNES.items():
        commune = CommunePage.objects.get(insee_code=insee)
        page = VolunteerSignupPage.objects.child_of(commune).get()
        signups = Volunteer.objects.filter(commune=commune, source=Source.VOLUNTEER_LIST)
        active = signups.filter(status=Status.ACTIVE)
        pending = signups.filter(status=Status.PENDING)
        assert active.count() == config["volunteers"]
        if not config["volunteers"]:
            assert not signups.exists()
            continue
        assert 8 <= active.count() <= 15
        assert 2 <= pending.count() <= 3
        assert pending.filter(email="").exclude(phone="").count() == 1
        text = ConsentText.objects.get(commune=commune)
        assert text.digest == ConsentText.digest_of(page.rendered_consent_text())
        for volunteer in active:
            consent = volunteer.consents.get()
            assert consent.method == ConsentMethod.ONLINE
            assert consent.consent_text == text
            assert consent.given_at < consent.confirmed_at == volunteer.confirmed_at
            assert volunteer.retention_end > page.cycle_end
            assert volunteer.email.endswith(EXAMPLE_DOMAINS)
            assert volunteer.hamlet in commune.hamlet_list()
            assert volunteer.name_key == name_key(volunteer.first_name, volunteer.last_name)
            assert volunteer.availability
        for volunteer in pending:
            assert volunteer.consents.get().confirmed_at is None
            assert volunteer.confirmed_at is None
            assert volunteer.email == "" or volunteer.email.endswith(EXAMPLE_DOMAINS)


def check_electoral_roll():
    year = timezone.localdate().year
    pools = Pool.objects.all()
    assert pools.count() == sum(1 for config in demo_content.COMMUNES.values() if config["roll"])
    for pool in pools:
        commune = CommunePage.objects.get(pk=pool.commune_id)
        assert pool.source == Source.ELECTORAL_ROLL
        assert pool.name.startswith("Liste électorale — extrait ")
        assert pool.name.endswith(str(year))
        assert pool.retention_end > timezone.localdate()
        members = list(pool.members.all())
        assert 40 <= len(members) <= 80
        assert {member.source for member in members} == {Source.ELECTORAL_ROLL}
        assert {member.commune_id for member in members} == {commune.pk}
        assert all(1940 <= member.birth_year <= 2008 for member in members)
        assert {member.gender for member in members} == {"female", "male"}
        assert {member.hamlet for member in members} <= set(commune.hamlet_list())
        assert len({member.hamlet for member in members}) >= 2
        assert all(member.email == "" and member.phone == "" for member in members)
        assert all(
            member.household_key == household_key(member.address) != "" for member in members
        )
        households = Counter(member.household_key for member in members)
        assert sum(1 for size in households.values() if size > 1) >= 5
        categories = Counter(member.social_category for member in members)
        assert categories.most_common(1)[0][0] == SocialCategory.RETIRED
        assert categories[SocialCategory.EMPLOYEES] + categories[SocialCategory.WORKERS] >= 5
        # A few volunteers are on the electoral roll too.
        signed_up = set(
            Volunteer.objects.filter(commune=commune, source=Source.VOLUNTEER_LIST).values_list(
                "name_key", "birth_year"
            )
        )
        on_both = [m for m in members if (m.name_key, m.birth_year) in signed_up]
        assert len(on_both) == demo_content.ON_BOTH_LISTS


def people():
    return sorted(
        Volunteer.objects.values_list(
            "commune__insee_code", "source", "name_key", "birth_year", "address", "email"
        )
    )


def test_the_demo_lists_are_complete_idempotent_and_reproducible(client):
    """One test, because load_demo takes several seconds: every check on one build."""
    check_signup_pages(client, load_demo())
    check_signups()
    check_electoral_roll()

    # A second run adds nothing.
    before = counts()
    cycle_ends = list(VolunteerSignupPage.objects.order_by("pk").values_list("cycle_end"))
    everyone = people()
    load_demo()
    assert counts() == before
    assert list(VolunteerSignupPage.objects.order_by("pk").values_list("cycle_end")) == cycle_ends
    assert people() == everyone

    # The same people come back after they were erased.
    Volunteer.objects.all().delete()
    Pool.objects.all().delete()
    load_demo()
    assert people() == everyone
