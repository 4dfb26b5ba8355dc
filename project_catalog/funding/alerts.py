"""The deadline alerts: a staff member's daily e-mail about the sources that fit their
commune's projects and close within the number of days they chose.

Each deadline is announced once per alert (a :class:`DeadlineNotice` records it); a yearly
source, rolled forward to next year's window, has a new deadline and is announced again.
An alert whose owner left the commune, was deactivated or has no e-mail address is
deleted by the daily job.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mprc_cms.communes import user_manages_commune
from mprc_cms.tasks import send_templated_email
from project_catalog.api import ProjectPage, ProjectStatus

from . import aides_territoires
from .models import DeadlineAlert, DeadlineNotice, FundingGuidePage, FundingSource

TEMPLATES = "funding/emails"

# Projects in these states no longer look for money.
FINISHED = (ProjectStatus.COMPLETED, ProjectStatus.ABANDONED)

# Notices of deadlines past by more than this are of no use any more.
KEEP_NOTICES_DAYS = 60


def current_categories(commune):
    """The categories of the commune's projects still under way (a subquery)."""
    return (
        ProjectPage.objects.descendant_of(commune)
        .exclude(status__in=FINISHED)
        .values("category_id")
    )


def sources_for_projects(commune, today):
    """The sources of the commune's guide, not closed, that fit one of its current projects:
    those without categories (they fit every project) and those of a category of a project
    that is neither completed nor abandoned."""
    links = FundingSource.categories.through.objects.filter(fundingsource=OuterRef("pk"))
    fitting = links.filter(projectcategory_id__in=current_categories(commune))
    return (
        FundingSource.objects.for_commune(commune)
        .not_closed(today)
        .filter(Q(Exists(fitting)) | ~Exists(links))
    )


def deadlines_within(commune, today, days):
    """The sources fitting the commune's projects whose deadline falls from today to
    ``days`` days later, the nearest first."""
    return (
        sources_for_projects(commune, today)
        .filter(window_end__gte=today, window_end__lte=today + datetime.timedelta(days=days))
        .select_related("financer")
        .order_by("window_end", "name", "pk")
    )


def guide_for(commune):
    """The commune's live funding guide, or None."""
    return FundingGuidePage.objects.child_of(commune).live().first()


def source_url(guide, source):
    """The full address of a source's page on a guide (e-mails are sent without a
    request: the address is on the guide's site)."""
    return guide.get_full_url() + guide.reverse_subpage("source", args=[source.slug])


def settings_url():
    """The full address of the admin screen where staff change or stop their alerts."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("funding_alerts:settings")


def send_alert(alert, sources, guide, today):
    items = [(source, source_url(guide, source) if guide else "") for source in sources]
    context = {
        "alert": alert,
        "commune": alert.commune,
        "user": alert.user,
        "items": items,
        "guide_url": guide.get_full_url() if guide else "",
        "settings_url": settings_url(),
        "today": today,
    }
    with translation.override(settings.LANGUAGE_CODE):
        send_templated_email(f"{TEMPLATES}/deadlines", context, [alert.user.email])


def still_wanted(alert):
    user = alert.user
    return user.is_active and bool(user.email) and user_manages_commune(user, alert.commune)


def new_deadlines(alert, today):
    """The deadlines within the alert's horizon not announced by it yet."""
    announced = DeadlineNotice.objects.filter(
        alert=alert, source=OuterRef("pk"), closes_on=OuterRef("window_end")
    )
    return list(deadlines_within(alert.commune, today, alert.days).exclude(Exists(announced)))


def send_alerts(today, communes=None):
    """One e-mail per alert with new deadlines (of ``communes`` only, when given); returns
    (e-mails sent, alerts deleted)."""
    sent = deleted = 0
    guides = {}
    alerts = DeadlineAlert.objects.select_related("user", "commune").order_by("pk")
    if communes is not None:
        alerts = alerts.filter(commune__in=[commune.pk for commune in communes])
    for alert in alerts:
        if not still_wanted(alert):
            alert.delete()
            deleted += 1
            continue
        sources = new_deadlines(alert, today)
        if not sources:
            continue
        if alert.commune_id not in guides:
            guides[alert.commune_id] = guide_for(alert.commune)
        with transaction.atomic():
            DeadlineNotice.objects.bulk_create(
                [
                    DeadlineNotice(alert=alert, source=source, closes_on=source.window_end)
                    for source in sources
                ],
                ignore_conflicts=True,
            )
            send_alert(alert, sources, guides[alert.commune_id], today)
        sent += 1
    return sent, deleted


def purge_notices(today):
    limit = today - datetime.timedelta(days=KEEP_NOTICES_DAYS)
    deleted, _details = DeadlineNotice.objects.filter(closes_on__lt=limit).delete()
    return deleted


def daily(today, now, communes=None):
    """The module's daily job (``manage.py daily``), as a one-line report: the sync with
    Aides-territoires when enabled (aides_territoires.py); deadline alerts for ``communes``
    (those running the module; None: every commune); the yearly sources roll forward and
    old notices are purged everywhere."""
    # The network's sources from Aides-territoires first, so that the alerts see them.
    synced = aides_territoires.daily(today, now)
    rolled = FundingSource.objects.roll_forward(today)
    sent, deleted = send_alerts(today, communes)
    purged = purge_notices(today)
    return (
        _(
            "%(rolled)s yearly sources moved to their next window; %(sent)s deadline alerts "
            "sent; %(deleted)s alerts deleted (account closed, no e-mail address or commune no "
            "longer managed); %(purged)s old notices purged."
        )
        % {"rolled": rolled, "sent": sent, "deleted": deleted, "purged": purged}
        + f" {synced}"
    )
