"""Build the open data files now (the daily job builds them every day)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mprc_cms.open_data.builder import build_open_data


class Command(BaseCommand):
    help = "Write the open data files (CSV, JSON, datapackage.json) of the network and communes."

    def handle(self, *args, **options):
        self.stdout.write(report_line(build_open_data()))


def report_line(report):
    return _(
        "Open data: %(files)s files written for %(scopes)s scopes, %(deleted)s old files "
        "deleted, in %(seconds).1f s."
    ) % {
        "files": report.files,
        "scopes": report.scopes,
        "deleted": report.deleted,
        "seconds": report.seconds,
    }
