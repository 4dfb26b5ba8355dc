"""Erase expired personal data (run daily, e.g. from cron or a systemd timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from participation.retention import erase_expired


class Command(BaseCommand):
    help = (
        "Erase unconfirmed sign-ups past their confirmation delay, sign-ups past their "
        "retention end and imported lists past theirs; each commune's history records how "
        "many, never who."
    )

    def handle(self, *args, **options):
        report = erase_expired()
        self.stdout.write(
            _(
                "Erased: %(unconfirmed)s unconfirmed sign-ups, %(volunteers)s expired "
                "sign-ups, %(pools)s lists (%(members)s people); %(hits)s rate-limit records, "
                "%(emails)s sent e-mails."
            )
            % {
                "unconfirmed": report.unconfirmed,
                "volunteers": report.volunteers,
                "pools": report.pools,
                "members": report.pool_members,
                "hits": report.rate_limit_hits,
                "emails": report.sent_emails,
            }
        )
