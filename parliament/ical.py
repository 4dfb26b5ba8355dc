"""The micro-parliament's meetings in iCalendar: the page's feed (``agenda/``) and the
``.ics`` attached to each member's reminder are made by the same functions, so a meeting
has one UID wherever a calendar meets it."""

import datetime
import html
import re

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event
from wagtail.rich_text import expand_db_html

DEFAULT_MEETING_LENGTH = datetime.timedelta(hours=1, minutes=30)

BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|ul|ol|blockquote)>|<br\s*/?>", re.IGNORECASE)
LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def rich_text_to_plain(value):
    """A rich text field as plain text: one line per paragraph or list item."""
    if not value:
        return ""
    text = expand_db_html(value)
    text = LIST_ITEM.sub("• ", text)
    text = BLOCK_END.sub("\n", text)
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def meeting_uid(meeting, host):
    return f"{meeting.uid}@{host}"


def meeting_event(meeting, *, page_url, host, stamp):
    """One meeting as a VEVENT: times in UTC, the agenda as plain text, the page's link."""
    starts = meeting.starts_at.astimezone(datetime.UTC)
    ends = (meeting.ends_at or meeting.starts_at + DEFAULT_MEETING_LENGTH).astimezone(datetime.UTC)
    description = "\n\n".join(
        part for part in (rich_text_to_plain(meeting.agenda), page_url) if part
    )
    event = Event()
    event.add("uid", meeting_uid(meeting, host))
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    event.add("description", description)
    event.add("url", page_url)
    return event


def calendar_bytes(page, meetings, *, page_url, host, stamp=None):
    """The iCalendar file of ``meetings`` of the micro-parliament ``page``."""
    stamp = (stamp or page.last_published_at or timezone.now()).astimezone(datetime.UTC)
    feed = Calendar()
    feed.add("prodid", "-//MPRC CMS//Micro-parliament//FR")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", page.title)
    for meeting in meetings:
        feed.add_component(meeting_event(meeting, page_url=page_url, host=host, stamp=stamp))
    return feed.to_ical()
