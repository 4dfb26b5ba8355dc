"""Erasing a person erases them everywhere: the admin's history labels, the queued e-mails,
their seat as a drawn member of a micro-parliament."""

from django.db.models.signals import post_delete, pre_delete

from mprc_cms.erasure import erase_traces


def erase_membership(sender, instance, **kwargs):
    """A drawn resident who withdraws or expires leaves the micro-parliament's member list
    (their name must not outlive them there); the draw keeps only the pseudonym."""
    from .models import ParliamentMember, Role

    ParliamentMember.objects.filter(volunteer=instance, role=Role.DRAWN_RESIDENT).delete()


def forget_pending_email(sender, instance, **kwargs):
    """A new address asked for and not yet confirmed: its e-mails go with the person."""
    from mprc_cms.tasks import forget_emails_to

    forget_emails_to(instance.pending_email)


def connect():
    from .models import Volunteer

    pre_delete.connect(
        erase_membership, sender=Volunteer, dispatch_uid="participation.erase_membership"
    )
    post_delete.connect(erase_traces, sender=Volunteer, dispatch_uid="participation.erase")
    post_delete.connect(
        forget_pending_email, sender=Volunteer, dispatch_uid="participation.erase_pending"
    )
