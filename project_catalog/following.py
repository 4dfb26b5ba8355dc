"""Telling a project's followers what happened (``mprc_cms.following``): when a project
page is published with a new stage (its status changed since the previous live revision)
or a new progress update, and the Atom feed of a commune's projects."""

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from mprc_cms.following import PageFeed, announce, has_followers, previous_live_content


def _plain(html):
    return " ".join(strip_tags(html or "").split())


def announce_changes(sender, instance, revision=None, **kwargs):
    """Announce the project's new stage and its new progress updates (nothing on its first
    publication: nobody could follow it yet)."""
    from .models import ProjectStatus

    if not has_followers(instance):
        return
    previous = previous_live_content(instance, revision)
    if previous is None:
        return
    url = instance.full_url or ""
    with translation.override(settings.LANGUAGE_CODE):
        if previous.get("status") != instance.status:
            label = ProjectStatus(instance.status).label
            announce(
                instance,
                _("New stage: %(stage)s") % {"stage": label},
                url=url,
                text=instance.summary,
            )
        # By date and title: a revision stores the updates it added without their id.
        known = {
            (str(item.get("date")), item.get("title")) for item in previous.get("updates") or []
        }
        for update in sorted(instance.updates.all(), key=lambda u: (u.date, u.pk)):
            if (update.date.isoformat(), update.title) not in known:
                announce(
                    instance,
                    update.title,
                    url=url,
                    text=Truncator(_plain(update.text)).chars(600),
                )


def connect():
    from .models import ProjectPage

    page_published.connect(
        announce_changes, sender=ProjectPage, dispatch_uid="project_catalog.following"
    )


class ProjectsFeed(PageFeed):
    """A commune's projects, newest first, with their stage."""

    def items(self, obj):
        from .models import ProjectPage

        return (
            ProjectPage.objects.child_of(obj)
            .live()
            .public()
            .order_by("-first_published_at", "-pk")[: self.limit]
        )

    def item_title(self, item):
        return f"{item.title} — {item.get_status_display()}"

    def item_description(self, item):
        return item.summary
