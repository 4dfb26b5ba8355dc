"""An application's documents leave the disk with it."""

from django.db.models.signals import post_delete


def delete_file(sender, instance, **kwargs):
    if instance.file:
        instance.file.delete(save=False)


def connect():
    from .models import ApplicationDocument

    post_delete.connect(delete_file, sender=ApplicationDocument, dispatch_uid="funding.file")
