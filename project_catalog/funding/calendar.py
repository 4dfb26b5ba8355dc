"""A guide's deadlines as an iCalendar feed (route ``echeances/`` of FundingGuidePage).

One all-day event per closing date of the sources the guide shows, over the next twelve
months; the guide's own filters (category, kind, who applies, scope) narrow it, so that a
filtered guide's feed link gives the same sources. Permanent sources have no deadline and
are left out. The number of queries does not depend on the number of sources.
"""

import datetime

from django.http import HttpResponse, HttpResponseNotAllowed
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .guide import FEED_FILTERS, filtered_sources
from .windows import same_day_in

FEED_MONTHS = 12


def feed_sources(request, page, today):
    """The guide's sources, narrowed by its filters, whose deadline falls within the next
    twelve months, the nearest first."""
    _form, _data, sources = filtered_sources(request, page, today, only=FEED_FILTERS)
    return (
        sources.filter(window_end__gte=today, window_end__lt=same_day_in(today, today.year + 1))
        .select_related("financer")
        .order_by("window_end", "name", "pk")
    )


def _description(source, url, today):
    lines = [
        _("Financer: %(financer)s") % {"financer": source.financer.name},
        _("Kind: %(kind)s") % {"kind": source.get_kind_display()},
    ]
    if source.window_start and source.window_start > today:
        lines.append(
            _("Opens on: %(date)s") % {"date": date_format(source.window_start, "DATE_FORMAT")}
        )
    lines.append(url)
    if source.url:
        lines.append(_("Official page: %(url)s") % {"url": source.url})
    return "\n".join(lines)


def deadlines_feed(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    today = timezone.localdate()
    host = split_domain_port(request.get_host())[0] or "localhost"
    guide_url = request.build_absolute_uri(page.get_url(request))

    feed = Calendar()
    feed.add("prodid", "-//MPRC CMS//Funding guide//FR")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", _("Deadlines — %(guide)s") % {"guide": page.title})
    for source in feed_sources(request, page, today):
        closes = source.window_end
        url = guide_url + page.reverse_subpage("source", args=[source.slug])
        event = Event()
        event.add("uid", f"funding-{source.pk}-{closes:%Y%m%d}@{host}")
        event.add("dtstamp", source.updated_at.astimezone(datetime.UTC))
        event.add("dtstart", closes)
        event.add("dtend", closes + datetime.timedelta(days=1))
        event.add("summary", _("Deadline: %(source)s") % {"source": source.name})
        event.add("description", _description(source, url, today))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)

    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances.ics"'
    response["Cache-Control"] = "max-age=3600"
    return response
