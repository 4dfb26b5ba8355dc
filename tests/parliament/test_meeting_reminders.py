"""Meeting reminders: two days before each meeting of a published micro-parliament, one
e-mail to each current member with an address, with the meeting's .ics; never twice."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module
from parliament import reminders
from parliament.factories import MicroParliamentPageFactory
from parliament.models import MeetingReminder, ParliamentMeeting, ParliamentMember, Role
from participation.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 10)
NOW = datetime.datetime(2026, 6, 10, 6, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def modules_on(commune_a, commune_b):
    for commune in (commune_a, commune_b):
        switch_module_on(commune, get_module("participation"))
        switch_module_on(commune, get_module("parliament"))


def add_meeting(page, starts_at, **fields):
    meeting = ParliamentMeeting(
        page=page,
        title=fields.pop("title", "Atelier mobilité"),
        starts_at=starts_at,
        place=fields.pop("place", "Mairie, salle du conseil"),
        agenda=fields.pop("agenda", "<ul><li>Le transport à la demande</li></ul>"),
        **fields,
    )
    page.meetings.add(meeting)
    page.save_revision().publish()
    return page.meetings.get(title=meeting.title)


def member(page, commune, email="odile@example.org", **fields):
    volunteer = (
        VolunteerFactory(commune=commune, email=email, first_name="Odile")
        if (email is not None)
        else None
    )
    return ParliamentMember.objects.create(
        micro_parliament=page,
        commune=commune,
        name="Odile Perrin",
        role=fields.pop("role", Role.DRAWN_RESIDENT),
        volunteer=volunteer,
        **fields,
    )


@pytest.fixture
def page(commune_a):
    return MicroParliamentPageFactory(parent=commune_a)


def in_two_days(hour=20, minute=0):
    return datetime.datetime.combine(
        TODAY + datetime.timedelta(days=2), datetime.time(hour, minute), tzinfo=PARIS
    )


def run(today=TODAY, now=NOW, communes=None):
    return reminders.send_reminders(today, now, communes)


def test_a_member_is_reminded_two_days_before(page, commune_a):
    meeting = add_meeting(page, in_two_days())
    odile = member(page, commune_a)
    assert run() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["odile@example.org"]
    body = " ".join(message.body.split())
    assert "Atelier mobilité" in body
    assert "Mairie, salle du conseil" in body
    assert "Le transport à la demande" in body
    assert "12 juin 2026" in body
    assert "20:00" in body or "20 h" in body
    why = gettext(
        "You receive this reminder as a member of the micro-parliament “%(title)s”. "
        "To stop receiving reminders, tell the town hall."
    ) % {"title": page.title}
    assert " ".join(why.split()) in body
    assert MeetingReminder.objects.get().member == odile
    assert MeetingReminder.objects.get().meeting_uid == meeting.uid


def test_the_attachment_is_the_meetings_icalendar(page, commune_a):
    meeting = add_meeting(page, in_two_days())
    member(page, commune_a)
    run()
    (filename, content, mimetype) = mail.outbox[0].attachments[0]
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["uid"]).startswith(f"{meeting.uid}@")
    assert events[0].decoded("dtstart") == in_two_days().astimezone(datetime.UTC)
    assert str(events[0]["location"]) == "Mairie, salle du conseil"


def test_the_feed_and_the_attachment_share_the_uid(client, page, commune_a):
    meeting = add_meeting(page, in_two_days())
    member(page, commune_a)
    run()
    attached = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    # The feed as read on the site's own host name (the page's full URL).
    host = page.get_site().hostname
    feed = Calendar.from_ical(client.get(page.url + "agenda/", HTTP_HOST=host).content)
    uids = {str(event["uid"]) for event in feed.walk("VEVENT")}
    assert str(attached["uid"]) in uids
    assert str(attached["uid"]).split("@")[0] == str(meeting.uid)


def test_a_second_run_the_same_day_sends_nothing(page, commune_a):
    add_meeting(page, in_two_days())
    member(page, commune_a)
    assert run() == 1
    assert run() == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("days", [0, 1, 3, 7])
def test_no_reminder_on_other_days(page, commune_a, days):
    add_meeting(page, in_two_days() + datetime.timedelta(days=days - 2))
    member(page, commune_a)
    assert run() == 0
    assert mail.outbox == []


def test_not_for_members_who_left(page, commune_a):
    add_meeting(page, in_two_days())
    member(page, commune_a, left_on=TODAY - datetime.timedelta(days=1))
    assert run() == 0
    assert mail.outbox == []


def test_not_for_members_without_e_mail(page, commune_a):
    add_meeting(page, in_two_days())
    member(page, commune_a, email=None, role=Role.ELECTED)
    member(page, commune_a, email="")
    assert run() == 0
    assert mail.outbox == []
    assert not MeetingReminder.objects.exists()


def test_not_for_an_unpublished_page(page, commune_a):
    add_meeting(page, in_two_days())
    member(page, commune_a)
    page.unpublish()
    assert run() == 0


def test_only_for_communes_running_the_module(page, commune_a, commune_b):
    add_meeting(page, in_two_days())
    member(page, commune_a)
    assert run(communes=[]) == 0
    assert run(communes=[commune_b]) == 0
    assert mail.outbox == []
    assert run(communes=[commune_a]) == 1


def test_the_daily_command_reports_the_reminders(page, commune_a, monkeypatch):
    today = timezone.localdate()
    starts = datetime.datetime.combine(
        today + datetime.timedelta(days=2), datetime.time(18, 30), tzinfo=PARIS
    )
    add_meeting(page, starts)
    member(page, commune_a)
    out = io.StringIO()
    call_command("daily", stdout=out)
    assert len(mail.outbox) == 1
    assert "1 rappel de séance envoyé" in " ".join(out.getvalue().split()) or (
        "1 meeting reminder sent." in out.getvalue()
    )


@pytest.mark.parametrize(
    ("today", "late_evening"),
    [
        # Summer time starts on Sunday 29 March 2026 (a 23-hour day), ends on Sunday 25
        # October 2026 (a 25-hour day).
        (datetime.date(2026, 3, 27), datetime.datetime(2026, 3, 29, 23, 30, tzinfo=PARIS)),
        (datetime.date(2026, 10, 23), datetime.datetime(2026, 10, 25, 23, 30, tzinfo=PARIS)),
        (datetime.date(2026, 3, 27), datetime.datetime(2026, 3, 29, 0, 15, tzinfo=PARIS)),
        (datetime.date(2026, 10, 23), datetime.datetime(2026, 10, 25, 0, 15, tzinfo=PARIS)),
    ],
)
def test_the_day_is_counted_in_local_time_across_summer_time(page, commune_a, today, late_evening):
    add_meeting(page, late_evening)
    member(page, commune_a)
    day_before = today - datetime.timedelta(days=1)
    day_after = today + datetime.timedelta(days=1)
    assert run(today=day_before, now=NOW) == 0
    assert run(today=day_after, now=NOW) == 0
    assert run(today=today, now=NOW) == 1


def test_erasing_the_member_erases_their_reminders(page, commune_a):
    add_meeting(page, in_two_days())
    odile = member(page, commune_a)
    run()
    odile.delete()
    assert not MeetingReminder.objects.exists()


def test_old_reminder_records_are_erased(page, commune_a):
    add_meeting(page, in_two_days())
    member(page, commune_a)
    run()
    reminders.erase_old_reminders(NOW + datetime.timedelta(days=4))
    assert not MeetingReminder.objects.exists()


def test_send_templated_email_without_attachments_still_works(settings):
    from mprc_cms.tasks import send_templated_email

    send_templated_email(
        "parliament/emails/meeting_reminder",
        {"member": None, "meeting": None, "page": None, "commune": None},
        ["x@example.org"],
    )
    assert mail.outbox[0].attachments == []
