"""Telling a micro-parliament's followers what happened (``mprc_cms.following``): when its
page is published with new meetings (a meeting whose uid the previous live revision did
not have) or new or changed priorities."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from mprc_cms.following import announce, has_followers, previous_live_content


def announce_changes(sender, instance, revision=None, **kwargs):
    if not has_followers(instance):
        return
    previous = previous_live_content(instance, revision)
    if previous is None:
        return
    url = instance.full_url or ""
    known_meetings = {str(item.get("uid")) for item in previous.get("meetings") or []}
    # By content: a revision stores the priorities it added without their id.
    known_priorities = {
        (item.get("title") or "", item.get("description") or "")
        for item in previous.get("priorities") or []
    }
    known_titles = {title for title, _description in known_priorities}
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in instance.meetings.all():
            if str(meeting.uid) in known_meetings:
                continue
            when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
            announce(
                instance,
                _("Meeting: %(title)s") % {"title": meeting.title},
                url=url,
                text=_("%(when)s, %(place)s") % {"when": when, "place": meeting.place},
            )
        for priority in instance.priorities.all():
            if (priority.title, priority.description or "") in known_priorities:
                continue
            if priority.title in known_titles:
                title = _("Priority changed: %(title)s")
            else:
                title = _("New priority: %(title)s")
            announce(
                instance,
                title % {"title": priority.title},
                url=url,
                text=priority.description or "",
            )


def connect():
    from .models import MicroParliamentPage

    page_published.connect(
        announce_changes, sender=MicroParliamentPage, dispatch_uid="parliament.following"
    )
