"""Erasing a record that holds personal data erases its traces too: Wagtail's history of
the record keeps its label (a name, a title), and the task queue keeps the e-mails sent to
its address. Connect ``erase_traces`` to ``post_delete`` of such a model."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from mprc_cms.tasks import forget_emails_to


def erase_traces(sender, instance, **kwargs):
    content_type = ContentType.objects.get_for_model(sender)
    ModelLogEntry.objects.filter(content_type=content_type, object_id=str(instance.pk)).delete()
    forget_emails_to(getattr(instance, "email", ""))
