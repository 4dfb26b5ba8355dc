import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mprc_cms import tasks
from mprc_cms.tasks import forget_emails_to, forget_emails_to_all, send_email


def test_e_mails_are_sent_through_the_task_framework():
    result = send_email.enqueue("Objet", "Bonjour", ["habitant@example.fr"])
    assert result.return_value == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["habitant@example.fr"]


def test_the_site_queues_tasks_in_the_database():
    from mprc_cms.settings import base

    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings.INSTALLED_APPS


# Forgetting the e-mails queued to addresses (erasure): the batched variant deletes exactly
# the rows the per-address one deletes, with a few queries for any number of addresses.

LOCALS = ["anne", "Anne", "ANNE", "b_n", "b%n", "bon", "jose", "josé", "o'hara", "a.b"]
DOMAINS = ["example.fr", "Example.FR", "exemple.net"]
addresses = st.builds(
    lambda local, prefix, domain: f"{prefix}{local}@{domain}",
    st.sampled_from(LOCALS),
    st.sampled_from(["", "x", "jean."]),
    st.sampled_from(DOMAINS),
)


@pytest.fixture
def queue(settings):
    """As in production: e-mails wait in the database queue."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return DBTaskResult.objects.filter(task_path="mprc_cms.tasks.send_email")


def left_after(queue, recipients, forget):
    """The recipients of the e-mails left once ``forget`` ran, and what it returned (all
    rolled back)."""
    with transaction.atomic():
        for recipient in recipients:
            send_email.enqueue("Sujet", "Bonjour", [recipient])
        send_email.enqueue("Sujet", "Bonjour", ["personne@ailleurs.org"])  # never matched
        deleted = forget()
        left = sorted(row.args_kwargs["args"][2][0] for row in queue)
        transaction.set_rollback(True)
    return left, deleted


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    recipients=st.lists(addresses, max_size=8),
    forgotten=st.lists(st.one_of(addresses, st.just("")), max_size=6),
)
def test_forgetting_many_addresses_deletes_what_forgetting_each_deletes(
    queue, recipients, forgotten
):
    def one_by_one():
        return sum(forget_emails_to(address) for address in forgotten)

    expected = left_after(queue, recipients, one_by_one)
    assert left_after(queue, recipients, lambda: forget_emails_to_all(forgotten)) == expected
    assert "personne@ailleurs.org" in expected[0]


@pytest.mark.django_db
def test_forgetting_many_addresses_takes_a_query_per_batch(queue, monkeypatch):
    monkeypatch.setattr(tasks, "FORGET_BATCH_SIZE", 3)
    for number in range(7):
        send_email.enqueue("Sujet", "Bonjour", [f"habitant{number}@example.fr"])
    send_email.enqueue("Sujet", "Bonjour", ["Voisin@Example.fr"])
    forgotten = [f"habitant{number}@example.fr" for number in range(7)] + ["", "voisin@example.FR"]
    with CaptureQueriesContext(connection) as queries:
        assert forget_emails_to_all(forgotten) == 8
    deletes = [query for query in queries if query["sql"].lstrip().upper().startswith("DELETE")]
    assert len(deletes) == 3  # 8 addresses, 3 a query
    assert not queue.exists()
    assert forget_emails_to_all(["", ""]) == 0
