"""Erasing a person erases them everywhere: the admin's history labels, the queued e-mails
(the micro-parliament erases their seat as a drawn member, ``parliament/signals.py``)."""

from django.db.models.signals import post_delete

from mprc_cms.erasure import erase_traces


def forget_pending_email(sender, instance, **kwargs):
    """A new address asked for and not yet confirmed: its e-mails go with the person."""
    from mprc_cms.tasks import forget_emails_to

    forget_emails_to(instance.pending_email)


def connect():
    from .models import Volunteer

    post_delete.connect(erase_traces, sender=Volunteer, dispatch_uid="participation.erase")
    post_delete.connect(
        forget_pending_email, sender=Volunteer, dispatch_uid="participation.erase_pending"
    )
