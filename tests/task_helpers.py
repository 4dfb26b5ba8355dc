"""Running the database task queue inside a test, as a worker would."""

from django.core.management import call_command


def run_queued_tasks(monkeypatch):
    """Run every task waiting in the database queue with ``manage.py db_worker --batch``,
    in the test's own database connection. The worker checks its connection between tasks
    (``close_old_connections``), which would close the test's transaction on PostgreSQL:
    that check is left out here, as Django's test client leaves it out of its requests."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
