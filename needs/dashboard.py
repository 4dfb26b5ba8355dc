"""The call for needs on the admin dashboard (``ModuleInfo.dashboard_items``): in each
commune's block, the needs waiting for approval, the needs of closed calls still waiting for
an outcome, and the open call with its figures. Two queries for all the communes."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mprc_cms.communes import subtree_condition
from mprc_cms.dashboard import INFO, WARNING, DashboardItem, DashboardLink

from .models import CallForNeedsPage, Need, NeedStatus

# The needs named in a line; the listing's link leads to the others.
NEEDS_SHOWN = 3
# After the service exchange's line.
ORDER = 45
# The listing's filter (see wagtail_hooks.NeedFilterSet).
TO_DECIDE = "yes"


def to_decide(queryset):
    """Needs waiting for a decision: for approval, or published and without an outcome."""
    return queryset.filter(
        Q(status=NeedStatus.PENDING)
        | Q(status=NeedStatus.PUBLISHED, outcome_decided_at__isnull=True)
    )


def listing_url(commune, **query):
    return f"{reverse('needs_list:index')}?{urlencode({'commune': commune.pk, **query})}"


def _links(needs):
    return tuple(
        DashboardLink(need.title, reverse("needs_list:moderate", args=[need.pk]))
        for need in needs[:NEEDS_SHOWN]
    )


def items(communes, user, today):
    """Per commune: what waits for approval, what waits for an outcome, the open call."""
    if not user.has_perm("needs.change_need"):
        return {}
    communes = list(communes)
    if not communes:
        return {}
    pending = {commune.pk: [] for commune in communes}
    undecided = {commune.pk: [] for commune in communes}
    queryset = (
        to_decide(Need.objects.filter(commune__in=list(pending)))
        .filter(Q(status=NeedStatus.PENDING) | Q(call__closes_on__lt=today))
        .only("pk", "commune_id", "title", "status", "created_at")
        .order_by("created_at", "pk")
    )
    for need in queryset:
        (pending if need.status == NeedStatus.PENDING else undecided)[need.commune_id].append(need)

    calls = (
        CallForNeedsPage.objects.live()
        .filter(subtree_condition([commune.path for commune in communes]))
        .filter(opens_on__lte=today, closes_on__gte=today)
        .annotate(
            published=Count("needs", filter=Q(needs__status=NeedStatus.PUBLISHED), distinct=True),
            supports=Count(
                "needs__supports",
                filter=Q(
                    needs__status=NeedStatus.PUBLISHED,
                    needs__supports__confirmed_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("closes_on", "path")
    )
    open_calls = {}
    for call in calls:
        for commune in communes:
            if call.path.startswith(commune.path):
                open_calls.setdefault(commune.pk, call)

    result = {}
    for commune in communes:
        lines = []
        waiting = pending[commune.pk]
        if waiting:
            lines.append(
                DashboardItem(
                    label=_("Needs to approve"),
                    text=ngettext(
                        "%(count)s need waiting for approval",
                        "%(count)s needs waiting for approval",
                        len(waiting),
                    )
                    % {"count": len(waiting)},
                    url=listing_url(commune, status=NeedStatus.PENDING),
                    level=WARNING,
                    order=ORDER,
                    links=_links(waiting),
                )
            )
        late = undecided[commune.pk]
        if late:
            lines.append(
                DashboardItem(
                    label=_("Needs without an outcome"),
                    text=ngettext(
                        "%(count)s need of a closed call waits for an outcome",
                        "%(count)s needs of closed calls wait for an outcome",
                        len(late),
                    )
                    % {"count": len(late)},
                    url=listing_url(commune, decision=TO_DECIDE),
                    level=WARNING,
                    order=ORDER,
                    links=_links(late),
                )
            )
        call = open_calls.get(commune.pk)
        if call is not None:
            lines.append(
                DashboardItem(
                    label=_("Call for needs"),
                    text=_(
                        "“%(title)s”, open until %(date)s: %(needs)s published, "
                        "%(supports)s supports"
                    )
                    % {
                        "title": call.title,
                        "date": date_format(call.closes_on, "DATE_FORMAT"),
                        "needs": call.published,
                        "supports": call.supports,
                    },
                    url=listing_url(commune, call=call.pk),
                    level=INFO,
                    order=ORDER,
                )
            )
        if lines:
            result[commune.pk] = lines
    return result
