from django.conf import settings
from django.core import mail

from mprc_cms.tasks import send_email


def test_e_mails_are_sent_through_the_task_framework():
    result = send_email.enqueue("Objet", "Bonjour", ["habitant@example.fr"])
    assert result.return_value == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["habitant@example.fr"]


def test_the_site_queues_tasks_in_the_database():
    from mprc_cms.settings import base

    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings.INSTALLED_APPS
