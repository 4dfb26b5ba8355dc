"""The funding guide on the admin dashboard (``ModuleInfo.dashboard_items``): in each
commune's block, the sources of its guide whose deadline falls within the next 30 days, and
its applications still being prepared for one of them.

The sources come in one query for all the communes; which commune's guide lists which source
is then decided in Python by :func:`in_guide_of`, the twin of
``SourceQuerySet.for_commune`` (visible to the commune and covering its area).
"""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mprc_cms.dashboard import WARNING, DashboardItem, DashboardLink

from .models import ApplicationStatus, FundingApplication, FundingSource, Scope
from .territories import department_of, region_of

# The deadlines the dashboard announces: those from today to this many days later.
DEADLINE_DAYS = 30
# The sources named in a commune's block; the link leads to all of them.
SOURCES_SHOWN = 5
ORDER_APPLICATIONS = 50
ORDER_DEADLINES = 55


def in_guide_of(source, commune, territory):
    """Whether the commune's guide lists ``source`` (``SourceQuerySet.for_commune`` in
    Python). ``territory``: source pk → the pks of the communes its territory names."""
    if not (source.commune_id is None or source.shared or source.commune_id == commune.pk):
        return False
    if source.scope == Scope.NATIONAL:
        return True
    if source.scope == Scope.REGION:
        return source.region == region_of(commune.insee_code)
    if source.scope == Scope.DEPARTMENT:
        return source.department == department_of(commune.insee_code)
    if source.scope == Scope.TERRITORY:
        named = territory.get(source.pk)
        return commune.pk in named if named else source.commune_id == commune.pk
    return False


def closing_sources(communes, today, days=DEADLINE_DAYS):
    """Map commune pk → the sources of its guide whose deadline falls from ``today`` to
    ``days`` days later, the nearest first; two queries for all the communes."""
    sources = list(
        FundingSource.objects.visible_to([commune.pk for commune in communes])
        .filter(window_end__gte=today, window_end__lte=today + datetime.timedelta(days=days))
        .only("pk", "name", "commune_id", "shared", "scope", "region", "department", "window_end")
        .order_by("window_end", "name", "pk")
    )
    territory = defaultdict(set)
    through = FundingSource.territory_communes.through
    for source_id, commune_id in through.objects.filter(
        fundingsource_id__in=[source.pk for source in sources]
    ).values_list("fundingsource_id", "communepage_id"):
        territory[source_id].add(commune_id)
    return {
        commune.pk: [source for source in sources if in_guide_of(source, commune, territory)]
        for commune in communes
    }


def applications_in_preparation(communes, today, days=DEADLINE_DAYS):
    """Map commune pk → its applications being prepared for a source that closes within
    ``days`` days, the nearest deadline first (one query)."""
    applications = (
        FundingApplication.objects.filter(
            commune__in=[commune.pk for commune in communes],
            status=ApplicationStatus.PREPARING,
            source__window_end__gte=today,
            source__window_end__lte=today + datetime.timedelta(days=days),
        )
        .select_related("source", "project")
        .only(
            "pk",
            "commune_id",
            "source__name",
            "source__window_end",
            "project__title",
        )
        .order_by("source__window_end", "pk")
    )
    result = defaultdict(list)
    for application in applications:
        result[application.commune_id].append(application)
    return result


def _closes_on(day):
    return _("closes on %(date)s") % {"date": date_format(day, "DATE_FORMAT")}


def deadlines_item(sources):
    index = f"{reverse('funding_sources:index')}?{urlencode({'ordering': 'window_end'})}"
    if not sources:
        return DashboardItem(
            label=_("Funding deadlines"),
            text=_("No deadline within %(days)s days") % {"days": DEADLINE_DAYS},
            url=index,
            order=ORDER_DEADLINES,
        )
    return DashboardItem(
        label=_("Funding deadlines"),
        text=ngettext(
            "%(count)s source of the guide closes within %(days)s days",
            "%(count)s sources of the guide close within %(days)s days",
            len(sources),
        )
        % {"count": len(sources), "days": DEADLINE_DAYS},
        url=index,
        order=ORDER_DEADLINES,
        links=tuple(
            DashboardLink(
                source.name,
                reverse("funding_sources:inspect", args=[source.pk]),
                _closes_on(source.window_end),
            )
            for source in sources[:SOURCES_SHOWN]
        ),
    )


def applications_item(commune, applications, can_change):
    query = urlencode({"commune": commune.pk, "status": ApplicationStatus.PREPARING})
    view = "edit" if can_change else "inspect"
    return DashboardItem(
        label=_("Applications to submit"),
        text=ngettext(
            "%(count)s application being prepared for a deadline within %(days)s days",
            "%(count)s applications being prepared for a deadline within %(days)s days",
            len(applications),
        )
        % {"count": len(applications), "days": DEADLINE_DAYS},
        url=f"{reverse('funding_applications:index')}?{query}",
        level=WARNING,
        order=ORDER_APPLICATIONS,
        links=tuple(
            DashboardLink(
                _("%(project)s — %(source)s")
                % {"project": application.project.title, "source": application.source.name},
                reverse(f"funding_applications:{view}", args=[application.pk]),
                _closes_on(application.source.window_end),
            )
            for application in applications
        ),
    )


def items(communes, user, today):
    """Each commune's funding deadlines within 30 days and the applications to submit
    before them."""
    result = {commune.pk: [] for commune in communes}
    if user.has_perm("funding.view_fundingapplication"):
        applications = applications_in_preparation(communes, today)
        can_change = user.has_perm("funding.change_fundingapplication")
        for commune in communes:
            if applications.get(commune.pk):
                result[commune.pk].append(
                    applications_item(commune, applications[commune.pk], can_change)
                )
    if user.has_perm("funding.view_fundingsource"):
        sources = closing_sources(communes, today)
        for commune in communes:
            result[commune.pk].append(deadlines_item(sources[commune.pk]))
    return result
