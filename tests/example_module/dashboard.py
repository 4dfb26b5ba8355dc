"""The example module's line on the admin dashboard: the ideas of each commune's idea box
(proves that a module's items plug into the dashboard from its ModuleInfo alone)."""

from django.db.models import Count

from mprc_cms.dashboard import INFO, WARNING, DashboardItem


def items(communes, user, today):
    from .models import ExampleRecord

    counts = dict(
        ExampleRecord.objects.filter(commune__in=[commune.pk for commune in communes])
        .order_by()
        .values("commune")
        .annotate(count=Count("pk"))
        .values_list("commune", "count")
    )
    return {
        commune.pk: [
            DashboardItem(
                label="Boîte à idées",
                text=f"{counts.get(commune.pk, 0)} idée(s) à lire",
                url=f"/admin/idees/?commune={commune.pk}",
                level=WARNING if counts.get(commune.pk) else INFO,
            )
        ]
        for commune in communes
    }
