"""How long personal data is kept, and the daily erasure of what has expired.

A sign-up is kept until the end of the cycle it serves plus the delay the commune set on
its sign-up page; a list imported from a file (a pool) carries its own retention end, by
default computed the same way. Unconfirmed sign-ups are erased after
``PARTICIPATION_CONFIRMATION_DAYS`` days. Only counts are recorded. Old rate-limit records
and e-mails already sent (kept by the task queue) are purged too.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mprc_cms import ratelimit
from mprc_cms.tasks import purge_sent_emails

CYCLE_MONTHS = 3  # a micro-parliament's cycle: diagnostic → co-construction → action
DEFAULT_RETENTION_MONTHS = 6
DEFAULT_CONFIRMATION_DAYS = 14


def confirmation_days():
    return int(getattr(settings, "PARTICIPATION_CONFIRMATION_DAYS", DEFAULT_CONFIRMATION_DAYS))


def add_months(day, months):
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_retention_end(commune, today=None):
    """End of the commune's current cycle (or three months from today) plus its delay."""
    from .models import VolunteerSignupPage

    today = today or timezone.localdate()
    page = VolunteerSignupPage.objects.child_of(commune).first() if commune else None
    cycle_end = page.cycle_end if page is not None else None
    if cycle_end is None or cycle_end < today:
        cycle_end = add_months(today, CYCLE_MONTHS)
    months = page.retention_months if page is not None else DEFAULT_RETENTION_MONTHS
    return add_months(cycle_end, months)


@dataclass
class ErasureReport:
    unconfirmed: int = 0
    volunteers: int = 0
    pools: int = 0
    pool_members: int = 0
    rate_limit_hits: int = 0
    sent_emails: int = 0
    by_commune: dict = field(default_factory=dict)

    @property
    def people(self):
        return self.unconfirmed + self.volunteers + self.pool_members

    def summary(self):
        return _(
            "Erased: %(unconfirmed)s unconfirmed sign-ups, %(volunteers)s expired "
            "sign-ups, %(pools)s lists (%(members)s people); %(hits)s rate-limit records, "
            "%(emails)s sent e-mails."
        ) % {
            "unconfirmed": self.unconfirmed,
            "volunteers": self.volunteers,
            "pools": self.pools,
            "members": self.pool_members,
            "hits": self.rate_limit_hits,
            "emails": self.sent_emails,
        }


def _count(report, commune_id, key, amount=1):
    counts = report.by_commune.setdefault(
        commune_id, {"unconfirmed": 0, "volunteers": 0, "pools": 0, "pool_members": 0}
    )
    counts[key] += amount


def erase_expired(today=None, now=None):
    """Erase expired sign-ups and pools; log per commune how many (never who)."""
    from home.models import CommunePage

    from .models import Pool, Status, Volunteer

    today = today or timezone.localdate()
    now = now or timezone.now()
    report = ErasureReport()
    with transaction.atomic():
        unconfirmed = Volunteer.objects.filter(
            status=Status.PENDING,
            pool=None,
            created_at__lt=now - timedelta(days=confirmation_days()),
        )
        for commune_id in unconfirmed.values_list("commune_id", flat=True):
            report.unconfirmed += 1
            _count(report, commune_id, "unconfirmed")
        Volunteer.objects.filter(pk__in=list(unconfirmed.values_list("pk", flat=True))).delete()

        # New addresses asked for on the personal page and never confirmed in time.
        from .tokens import email_change_days

        Volunteer.objects.filter(
            pending_email_since__lt=now - timedelta(days=email_change_days())
        ).update(pending_email="", pending_email_since=None)

        expired = Volunteer.objects.filter(pool=None, retention_end__lt=today)
        for commune_id in expired.values_list("commune_id", flat=True):
            report.volunteers += 1
            _count(report, commune_id, "volunteers")
        expired.delete()

        for pool in Pool.objects.filter(retention_end__lt=today):
            members = pool.members.count()
            report.pools += 1
            report.pool_members += members
            _count(report, pool.commune_id, "pools")
            _count(report, pool.commune_id, "pool_members", members)
            pool.delete()

        for commune in CommunePage.objects.filter(pk__in=report.by_commune):
            log(
                instance=commune,
                action="mprc.retention_erasure",
                data=report.by_commune[commune.pk],
            )
    report.rate_limit_hits = ratelimit.purge()
    report.sent_emails = purge_sent_emails()
    return report


def daily(today, now, communes=None):
    """The module's daily job (``manage.py daily``): the erasure, as a one-line report. It
    runs for every commune, ``communes`` (those running the module) or not: personal data
    is erased on time even where the module was switched off."""
    return erase_expired(today=today, now=now).summary()
