"""Meeting reminders: two days before each meeting of a published micro-parliament, every
current member with an e-mail address (through their place in the volunteer list) gets the
meeting's title, date, time, place and agenda, with its ``.ics``. Each reminder is
recorded, so that running the daily job twice sends nothing twice."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from mprc_cms.tasks import send_templated_email

from .ical import calendar_bytes, rich_text_to_plain
from .models import MeetingReminder, ParliamentMeeting, ParliamentMember

DAYS_BEFORE = 2


def local_day_bounds(day):
    """The first instant of ``day`` and of the day after, in the site's time zone: a day
    of 23 or 25 hours (a change of summer time) is still one day."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def meetings_on(day):
    """The meetings of live micro-parliament pages starting on ``day`` (local time). The
    rows of a page's meetings are those of its live version: a draft changes them only once
    published."""
    start, end = local_day_bounds(day)
    return (
        ParliamentMeeting.objects.filter(page__live=True, starts_at__gte=start, starts_at__lt=end)
        .select_related("page")
        .order_by("starts_at", "pk")
    )


def current_members(page, day, communes=None):
    """The members of the micro-parliament who sit in it on ``day`` and have an e-mail
    address; among the members of ``communes`` when given."""
    members = (
        ParliamentMember.objects.filter(micro_parliament=page)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .exclude(volunteer=None)
        .exclude(volunteer__email="")
        .select_related("volunteer", "commune")
    )
    if communes is not None:
        members = members.filter(commune__in=[commune.pk for commune in communes])
    return members


def _site_host(page_url):
    host = urlsplit(page_url).hostname
    if not host:
        host = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).hostname
    return host or "localhost"


def send_reminder(page, meeting, member, *, page_url, attachment):
    context = {
        "member": member,
        "meeting": meeting,
        "page": page,
        "page_url": page_url,
        "commune": member.commune,
        "agenda": rich_text_to_plain(meeting.agenda),
    }
    send_templated_email(
        "parliament/emails/meeting_reminder",
        context,
        [member.volunteer.email],
        to_resident=True,
        attachments=[attachment],
    )


def send_reminders(today, now=None, communes=None):
    """Remind the members of the meetings starting in ``DAYS_BEFORE`` days; how many
    e-mails were sent."""
    now = now or timezone.now()
    day = today + datetime.timedelta(days=DAYS_BEFORE)
    sent = 0
    for meeting in meetings_on(day):
        page = meeting.page
        members = list(current_members(page, day, communes))
        if not members:
            continue
        page_url = page.full_url or ""
        content = calendar_bytes(
            page, [meeting], page_url=page_url, host=_site_host(page_url), stamp=now
        )
        attachment = ("reunion.ics", content.decode("utf-8"), "text/calendar")
        for member in members:
            try:
                with transaction.atomic():
                    MeetingReminder.objects.create(
                        meeting_uid=meeting.uid, member=member, sent_at=now
                    )
            except IntegrityError:
                continue  # already reminded
            send_reminder(page, meeting, member, page_url=page_url, attachment=attachment)
            sent += 1
    return sent


def erase_old_reminders(now):
    """A reminder's record is needed only until its meeting is over (a meeting moved to a
    later day is then reminded again)."""
    limit = now - datetime.timedelta(days=DAYS_BEFORE + 1)
    deleted, _details = MeetingReminder.objects.filter(sent_at__lt=limit).delete()
    return deleted


def daily(today, now, communes=None):
    """The module's daily job (``manage.py daily``): the meeting reminders, for the members
    of ``communes`` (those running the module; None: every commune), as a one-line report."""
    erase_old_reminders(now)
    sent = send_reminders(today, now, communes)
    return ngettext(
        "%(count)s meeting reminder sent.", "%(count)s meeting reminders sent.", sent
    ) % {"count": sent}
