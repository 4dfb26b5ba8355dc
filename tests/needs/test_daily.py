"""The daily job: unconfirmed needs and supports erased after a week; a call closed for a
year loses its authors' first names and e-mails and its supporters' e-mails (the texts and
the counts stay)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from needs import calls
from needs.factories import CallForNeedsPageFactory, NeedFactory, SupportFactory
from needs.models import Need, Support

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def run(days_later=0):
    now = timezone.now() + timedelta(days=days_later)
    return calls.daily(timezone.localdate(now), now)


def test_unconfirmed_needs_and_supports_are_erased_after_a_week(call):
    old = timezone.now() - timedelta(days=8)
    NeedFactory(call=call, unconfirmed=True, created_at=old)
    recent = NeedFactory(call=call, unconfirmed=True, created_at=timezone.now())
    published = NeedFactory(call=call)
    SupportFactory(need=published, unconfirmed=True, created_at=old)
    kept_support = SupportFactory(need=published, unconfirmed=True)
    confirmed = SupportFactory(need=published, created_at=old)
    report = run()
    assert set(Need.objects.all()) == {recent, published}
    assert set(Support.objects.all()) == {kept_support, confirmed}
    assert "1" in report


def test_a_call_closed_for_a_year_is_anonymised_keeping_texts_and_counts(client, needs_index):
    today = timezone.localdate()
    old_call = CallForNeedsPageFactory(
        parent=needs_index,
        opens_on=today - timedelta(days=420),
        closes_on=today - timedelta(days=366),
    )
    recent_call = CallForNeedsPageFactory(parent=needs_index, closed=True)
    old_need = NeedFactory(call=old_call, first_name="Zéphyrine", email="z@example.org")
    SupportFactory(need=old_need, email="a@example.org")
    SupportFactory(need=old_need, email="b@example.org")
    recent_need = NeedFactory(call=recent_call, first_name="Anatole")
    recent_support = SupportFactory(need=recent_need)
    run()
    old_need.refresh_from_db()
    assert (old_need.first_name, old_need.email) == ("", "")
    assert old_need.anonymised_at is not None
    assert old_need.title
    assert list(Support.objects.filter(need=old_need).values_list("email", flat=True)) == [
        "",
        "",
    ]
    counted = Need.objects.filter(pk=old_need.pk).with_supports().get()
    assert counted.support_count == 2
    recent_need.refresh_from_db()
    recent_support.refresh_from_db()
    assert recent_need.email
    assert recent_need.first_name == "Anatole"
    assert recent_support.email
    # A second run changes nothing more (empty e-mails do not collide either).
    run()
    assert Support.objects.filter(need=old_need).count() == 2


def test_erasure_is_logged_per_commune_with_counts_only(commune_with_hamlets, call):
    NeedFactory(
        call=call,
        title="Titre à oublier",
        unconfirmed=True,
        created_at=timezone.now() - timedelta(days=30),
    )
    run()
    entry = PageLogEntry.objects.get(page=commune_with_hamlets, action="mprc.needs_erasure")
    assert entry.data == {"unconfirmed_needs": 1}
    assert "Titre à oublier" not in str(entry.data)


def test_erasing_a_need_erases_its_traces(call):
    from django.db.models.signals import post_delete

    from mprc_cms.erasure import erase_traces  # noqa: F401  (connected in NeedsConfig.ready)

    assert any("needs.erase" in str(receiver[0]) for receiver in post_delete.receivers)
