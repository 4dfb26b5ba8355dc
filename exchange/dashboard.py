"""The service exchange on the admin dashboard (``ModuleInfo.dashboard_items``): in each
commune's block, the posts waiting for a decision — reported, or waiting for approval —
with the first of them and a link to the moderation queue narrowed to the commune."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mprc_cms.dashboard import INFO, WARNING, DashboardItem, DashboardLink

from .models import ListingStatus, ServiceListing

# The posts named in a commune's block; the queue's link leads to the others.
POSTS_SHOWN = 3
# Right after the micro-parliament's lines.
ORDER = 40
# The moderation queue's filter (see wagtail_hooks.ListingFilterSet).
TO_DECIDE = "yes"


def queue_url(commune, to_decide=True):
    query = {"commune": commune.pk}
    if to_decide:
        query["decision"] = TO_DECIDE
    return f"{reverse('exchange_listings:index')}?{urlencode(query)}"


def waiting_for_decision(queryset):
    """Posts reported (an open report) or waiting for approval, those with the most open
    reports first, then the oldest."""
    return (
        queryset.with_open_reports()
        .filter(Q(status=ListingStatus.PENDING) | Q(open_reports__gt=0))
        .order_by("-open_reports", "created_at", "pk")
    )


def reason(post):
    if post.open_reports:
        return ngettext("%(count)s report", "%(count)s reports", post.open_reports) % {
            "count": post.open_reports
        }
    return str(ListingStatus.PENDING.label)


def items(communes, user, today):
    """The posts to moderate in each commune, in one query for all of them."""
    if not user.has_perm("exchange.change_servicelisting"):
        return {}
    posts = {commune.pk: [] for commune in communes}
    queryset = ServiceListing.objects.filter(commune__in=list(posts)).only(
        "pk", "commune_id", "title", "status", "created_at"
    )
    for post in waiting_for_decision(queryset):
        posts[post.commune_id].append(post)
    result = {}
    for commune in communes:
        waiting = posts[commune.pk]
        if waiting:
            text = ngettext(
                "%(count)s post waiting for a decision",
                "%(count)s posts waiting for a decision",
                len(waiting),
            ) % {"count": len(waiting)}
            item = DashboardItem(
                label=_("Posts to moderate"),
                text=text,
                url=queue_url(commune),
                level=WARNING,
                order=ORDER,
                links=tuple(
                    DashboardLink(
                        post.title,
                        reverse("exchange_listings:moderate", args=[post.pk]),
                        reason(post),
                    )
                    for post in waiting[:POSTS_SHOWN]
                ),
            )
        else:
            item = DashboardItem(
                label=_("Posts to moderate"),
                text=_("None: every post is dealt with"),
                url=queue_url(commune, to_decide=False),
                level=INFO,
                order=ORDER,
            )
        result[commune.pk] = [item]
    return result
