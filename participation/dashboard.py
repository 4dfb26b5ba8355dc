"""The volunteer list on the admin dashboard (``ModuleInfo.dashboard_items``): in each
commune's block, the sign-ups still awaiting their confirmation (the micro-parliament's
lines are the micro-parliament module's, ``parliament/dashboard.py``).

Computed for all the communes at once: a fixed number of queries however many communes the
dashboard shows.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mprc_cms.dashboard import DashboardItem

from .choices import Source, Status
from .models import Volunteer
from .registration import unexpired

ORDER_SIGNUPS = 35


# Sign-ups ----------------------------------------------------------------------------------


def pending_signups(communes):
    """Map commune pk → its sign-ups awaiting their confirmation (not yet expired)."""
    signups = unexpired(
        Volunteer.objects.filter(
            commune__in=[commune.pk for commune in communes],
            source=Source.VOLUNTEER_LIST,
            status=Status.PENDING,
        )
    )
    return dict(
        signups.order_by()
        .values("commune")
        .annotate(count=Count("pk"))
        .values_list("commune", "count")
    )


def signups_item(commune, count):
    query = urlencode(
        {"commune": commune.pk, "status": Status.PENDING, "source": Source.VOLUNTEER_LIST}
    )
    return DashboardItem(
        label=_("Sign-ups"),
        text=ngettext(
            "%(count)s sign-up awaiting its e-mail confirmation",
            "%(count)s sign-ups awaiting their e-mail confirmation",
            count,
        )
        % {"count": count},
        url=f"{reverse('participation_volunteers:index')}?{query}",
        order=ORDER_SIGNUPS,
    )


def items(communes, user, today):
    """Each commune's pending sign-ups, for users whose group may see the volunteers."""
    result = {commune.pk: [] for commune in communes}
    if user.has_perm("participation.view_volunteer"):
        pending = pending_signups(communes)
        for commune in communes:
            if pending.get(commune.pk):
                result[commune.pk].append(signups_item(commune, pending[commune.pk]))
    return result
