"""Erasing people erases their traces everywhere (``erasure.py``): their deletion goes
through the models' and querysets' ``delete()``, which do it for every person at once.
Only a commune's deletion reaches its people by Django's cascade, which calls no
``delete()`` of ours: its people are erased first, here."""

from django.db.models.signals import pre_delete


def erase_people_of_commune(sender, instance, **kwargs):
    """A commune deleted: its lists and people go first, their traces with them."""
    from .models import Pool, Volunteer

    Volunteer.objects.filter(commune_id=instance.pk).delete()
    Pool.objects.filter(commune_id=instance.pk).delete()


def connect():
    from home.models import CommunePage

    pre_delete.connect(
        erase_people_of_commune, sender=CommunePage, dispatch_uid="participation.commune_erase"
    )
