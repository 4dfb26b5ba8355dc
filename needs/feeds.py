"""The Atom feed of a commune's calls for needs (route ``flux/`` of NeedsIndexPage): one
entry per call, updated when it opens and when it closes."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

# The core's feeds reach modules through its public face, mprc_cms.following.
from mprc_cms import french
from mprc_cms.following import PageFeed

from .models import CallState


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(8, 0)))


class CallsFeed(PageFeed):
    """The calls already open or closed (an upcoming one is not news yet), latest first."""

    def items(self, obj):
        today = timezone.localdate()
        calls = [call for call in obj.calls() if call.state(today) != CallState.UPCOMING]
        calls.sort(key=lambda call: self._event_day(call, today), reverse=True)
        return calls[: self.limit]

    @staticmethod
    def _event_day(call, today):
        return call.closes_on if call.state(today) == CallState.CLOSED else call.opens_on

    def description(self, obj):
        name = obj.commune.title if obj.commune else obj.title
        return french.contract(
            _("The calls for needs of %(commune)s: when they open and when they close.")
            % {"commune": name},
            name,
        )

    def item_title(self, item):
        if item.state() == CallState.CLOSED:
            return _("Call closed: %(question)s") % {"question": item.question}
        return _("Call open: %(question)s") % {"question": item.question}

    def item_description(self, item):
        return _("From %(opens)s to %(closes)s.") % {
            "opens": item.opens_on.strftime("%d/%m/%Y"),
            "closes": item.closes_on.strftime("%d/%m/%Y"),
        }

    def item_guid(self, item):
        return f"{self.page_url(item)}#{item.state()}"

    def item_pubdate(self, item):
        return _at(item.opens_on)

    def item_updateddate(self, item):
        return _at(self._event_day(item, timezone.localdate()))


def calls_feed(request, index_page):
    """The Atom response of the commune's calls (``index_page``: its NeedsIndexPage)."""
    return CallsFeed(index_page)(request)
