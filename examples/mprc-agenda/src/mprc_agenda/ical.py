"""The agenda as iCalendar (RFC 5545), for residents' own calendars: the whole agenda of a
commune, or one event. Times carry their time zone (TZID=Europe/Paris, with its
VTIMEZONE)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//MPRC CMS//mprc-agenda//FR"


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def event_component(event, request):
    zone = _zone()
    component = Event()
    component.add("uid", f"mprc-agenda-event-{event.pk}@{request.get_host()}")
    stamp = event.last_published_at or timezone.now()
    component.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    component.add("dtstart", timezone.localtime(event.start, zone))
    if event.end:
        component.add("dtend", timezone.localtime(event.end, zone))
    title = event.title
    if event.cancelled:
        title = _("Cancelled: %(title)s") % {"title": event.title}
    component.add("summary", title)
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    location = event.location_text()
    if location:
        component.add("location", location)
    description = [event.description.strip()] if event.description.strip() else []
    if event.organiser:
        description.append(_("Organised by %(organiser)s") % {"organiser": event.organiser})
    if description:
        component.add("description", "\n\n".join(description))
    component.add("url", event.get_full_url(request) or event.link or "")
    if event.last_published_at:
        component.add("last-modified", event.last_published_at.astimezone(ZoneInfo("UTC")))
    return component


def calendar_response(events, name, filename, request):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event_component(event, request))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response
