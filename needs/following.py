"""Telling the followers of a call for needs, and of the commune's «Needs and ideas»
page, that a call opened and that its results are out (``mprc_cms.following``).

``connect()`` (from the app's ``ready``): a call published for the first time while open
is announced at once. ``announce_opened_calls(today)`` and ``announce_closed_calls(today)``
(from the module's daily job; ``announce_calls(today)`` runs both): a call published ahead
of its opening is announced on the day it opens; a closed call's results the day after it
closes. Each announcement is made once (its address is its key), even if the daily job
runs twice or skipped a day (within a week).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from mprc_cms.following import already_announced, announce, previous_live_content

# How far back the daily job looks for an opening or a closing it has not announced yet.
CATCH_UP = timedelta(days=7)


def _announce_once(pages, title, url, text=""):
    done = 0
    for page in pages:
        if page is None or already_announced(page, url):
            continue
        if announce(page, title, url=url, text=text) is not None:
            done += 1
    return done


def _pages(call):
    """The pages whose followers hear of ``call``: none for a call the public cannot read
    (a draft, or behind a password or a login, its own or an ancestor's)."""
    if not call.live or call.get_view_restrictions().exists():
        return []
    return [call, call.get_parent().specific]


def announce_opening(call):
    url = call.full_url or ""
    with translation.override(settings.LANGUAGE_CODE):
        return _announce_once(
            _pages(call),
            _("Call for needs open: %(title)s") % {"title": call.title},
            url,
            _("%(question)s Until %(closes)s.")
            % {"question": call.question, "closes": date_format(call.closes_on, "DATE_FORMAT")},
        )


def announce_results(call):
    url = (call.full_url or "") + call.reverse_subpage("results")
    with translation.override(settings.LANGUAGE_CODE):
        return _announce_once(
            _pages(call),
            _("Call for needs closed: %(title)s — the results") % {"title": call.title},
            url,
        )


def on_call_published(sender, instance, revision=None, **kwargs):
    if previous_live_content(instance, revision) is None and instance.is_open():
        announce_opening(instance)


def connect():
    from .models import CallForNeedsPage

    page_published.connect(
        on_call_published, sender=CallForNeedsPage, dispatch_uid="needs.following"
    )


def _live_calls():
    from .models import CallForNeedsPage

    return CallForNeedsPage.objects.live().public()


def announce_opened_calls(today=None):
    """Calls that opened lately (published before): announced once. Returns how many
    announcements were recorded."""
    today = today or timezone.localdate()
    calls = _live_calls().filter(opens_on__gt=today - CATCH_UP, opens_on__lte=today)
    return sum(announce_opening(call) for call in calls if call.is_open(today))


def announce_closed_calls(today=None):
    """Calls that closed lately: their results announced once. Returns how many
    announcements were recorded."""
    today = today or timezone.localdate()
    calls = _live_calls().filter(closes_on__gte=today - CATCH_UP, closes_on__lt=today)
    return sum(announce_results(call) for call in calls)


def announce_calls(today=None):
    return announce_opened_calls(today) + announce_closed_calls(today)
