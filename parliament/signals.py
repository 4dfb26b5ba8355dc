"""Erasing a person of the volunteer list erases their seat as a drawn member of a
micro-parliament (their name must not outlive them there)."""

from participation.api import Volunteer, volunteers_erased


def erase_membership(sender, volunteer_ids, **kwargs):
    """A drawn resident who withdraws or expires leaves the micro-parliament's member list;
    the draw keeps only the pseudonym."""
    from .models import ParliamentMember, Role

    ParliamentMember.objects.filter(
        volunteer_id__in=volunteer_ids, role=Role.DRAWN_RESIDENT
    ).delete()


def connect():
    volunteers_erased.connect(
        erase_membership, sender=Volunteer, dispatch_uid="parliament.erase_membership"
    )
    # Telling a micro-parliament's followers of its new meetings and priorities.
    from .following import connect as connect_following

    connect_following()
