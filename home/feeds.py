"""The Atom feed of a commune's news (the route ``flux/`` of its NewsIndexPage)."""

from datetime import datetime, time

from django.utils import timezone

from mprc_cms.feeds import PageFeed


class NewsFeed(PageFeed):
    def items(self, obj):
        from .models import NewsPage

        return (
            NewsPage.objects.child_of(obj)
            .live()
            .public()
            .order_by("-date", "-first_published_at")[: self.limit]
        )

    def item_description(self, item):
        return item.intro

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))
