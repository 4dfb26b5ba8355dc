"""The site's daily work, run once a day (cron or a systemd timer): every installed
module's daily job (reminders, digests, erasing expired personal data), given the communes
that run the module, then the purge of old rate-limit records and of e-mails already sent,
and last the open data files (``mprc_cms/open_data``), from the day's records."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mprc_cms import following, ratelimit
from mprc_cms.modules import communes_running, get_modules
from mprc_cms.open_data.builder import build_open_data
from mprc_cms.tasks import purge_sent_emails


class Command(BaseCommand):
    help = (
        "Run the daily work of every installed module (reminders, digests, erasure of "
        "expired personal data) and purge old rate-limit records and sent e-mails."
    )

    def handle(self, *args, **options):
        today, now = timezone.localdate(), timezone.now()
        for module in get_modules():
            if module.info.daily_job:
                job = import_string(module.info.daily_job)
                report = job(today=today, now=now, communes=communes_running(module))
                colon = _(":")
                self.stdout.write(f"{module.label}{colon} {report}")
        # The core's own: followers who never confirmed, old updates, the weekly digests.
        followers, updates = following.daily(now)
        self.stdout.write(
            _(
                "Following: %(followers)s unconfirmed followers and %(updates)s old updates "
                "erased; weekly digests queued."
            )
            % {"followers": followers, "updates": updates}
        )
        self.stdout.write(
            _("Purged: %(hits)s rate-limit records, %(emails)s sent e-mails.")
            % {"hits": ratelimit.purge(), "emails": purge_sent_emails()}
        )
        from .build_open_data import report_line

        self.stdout.write(report_line(build_open_data(now=now)))
