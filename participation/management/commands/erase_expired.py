"""Erase expired personal data (run daily, e.g. from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from participation.retention import erase_expired


class Command(BaseCommand):
    help = (
        "Erase unconfirmed sign-ups past their confirmation delay, sign-ups past their "
        "retention end and imported lists past theirs; each commune's history records how "
        "many, never who."
    )

    def handle(self, *args, **options):
        self.stdout.write(erase_expired().summary())
