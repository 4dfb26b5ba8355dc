"""Admin of the funding guide: who may read and edit which source, the views' scoping,
the download of an application's documents and the figures of the funding obtained.

Sources: network coordinators keep every source; commune staff edit their communes' own
sources and READ the others they may use (the network's and those shared by a commune),
in the same listing — each row offers "Edit" only when the user may edit it, the others
open the read-only inspect view. A commune's private source stays out of other communes'
reach (404), like every commune record.
"""

import os

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, ProtectedError, Sum
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import policy_registry

from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    communes_for_user,
    is_network_coordinator,
)

from .admin_forms import commune_of, projects_of
from .models import (
    OBTAINED,
    ApplicationDocument,
    ApplicationStatus,
    FundingApplication,
    visibility,
)

READ_ACTIONS = frozenset({"view"})
ANY_ACTION = ("add", "change", "delete", "view")


class SourcePermissionPolicy(CommuneScopedPermissionPolicy):
    """Coordinators: every source. Commune staff: edit their communes' own sources; read
    (``view``) those too, the network's and the shared ones."""

    def _coordinator(self, user):
        return is_network_coordinator(user)

    def scope(self, queryset, user):
        """What the user may read: the listing shows these."""
        if self._coordinator(user):
            return queryset
        return queryset.filter(visibility(communes_for_user(user)))

    def editable(self, queryset, user):
        if self._coordinator(user):
            return queryset
        return queryset.filter(commune__in=communes_for_user(user))

    def _allowed(self, user, actions):
        return {action for action in actions if self.user_has_permission(user, action)}

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = self._allowed(user, actions)
        queryset = self.model._default_manager.all()
        if not allowed:
            return queryset.none()
        if allowed & READ_ACTIONS:
            return self.scope(queryset, user)
        return self.editable(queryset, user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        allowed = self._allowed(user, actions)
        if not allowed:
            return False
        if self._coordinator(user):
            return True
        if instance.commune_id is not None and instance.commune_id in self._commune_ids(user):
            return True
        return bool(allowed & READ_ACTIONS) and (instance.commune_id is None or instance.shared)

    def user_may_edit(self, user, instance):
        return self.user_has_any_permission_for_instance(user, ["change"], instance)


# Single-record views of sources: what each needs on the record (see ScopedObjectMixin).
EDIT_ACTIONS = ("change", "delete")
READ_ONLY_ACTIONS = ("view", "change", "delete")


def owner_label(source):
    if source.commune_id is None:
        return _("Network")
    title = source.commune.title
    return _("%(commune)s (shared)") % {"commune": title} if source.shared else title


class PerInstanceLinksMixin:
    """Edit and delete links only on the records the user may edit (staff read the
    network's and the shared sources without editing them)."""

    @cached_property
    def _editable_commune_ids(self):
        return set(communes_for_user(self.request.user).values_list("pk", flat=True))

    @cached_property
    def _is_coordinator(self):
        return is_network_coordinator(self.request.user)

    def may_edit(self, source):
        return self._is_coordinator or source.commune_id in self._editable_commune_ids


class SourceIndexMixin(PerInstanceLinksMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Sources go to other networks through the shared import/export screens, in the
        # import's columns; the listing has no spreadsheet export of its own.
        self.is_export = False

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("financer", "commune")

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.may_edit(instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.may_edit(instance) else None


class ReadableInspectMixin:
    """Empty values as a dash, yes/no in words."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "-"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value


class SourceInspectMixin(ReadableInspectMixin, PerInstanceLinksMixin):
    scope_actions = READ_ONLY_ACTIONS

    def get_edit_url(self):
        return super().get_edit_url() if self.may_edit(self.object) else None

    def get_delete_url(self):
        return super().get_delete_url() if self.may_edit(self.object) else None


class EditScopeMixin:
    """For edit, delete, history and usage of a source: the user must be able to edit it
    (reading it is not enough); else 404."""

    scope_actions = EDIT_ACTIONS


class ProtectedDeleteMixin:
    """A record still in use (a financer by sources, a source by applications) is kept,
    with a message, even when the reference index behind Wagtail's usage count is not up
    to date."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError as error:
            count = len(error.protected_objects)
            messages.error(
                self.request,
                ngettext(
                    "“%(object)s” is still used by %(count)s record, so it is kept.",
                    "“%(object)s” is still used by %(count)s records, so it is kept.",
                    count,
                )
                % {"object": self.object, "count": count},
            )
            return redirect(self.index_url_name)


class LimitChoicesMixin:
    """After the shared commune scoping of the form's selects, the funding rules (see
    admin_forms.py)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.limit_choices(self.request.user)
        return form


class ApplicationAddMixin:
    """``?project=<id>``: the application starts with that project and its commune, when
    the project is one of the user's communes'."""

    def get_initial(self):
        initial = super().get_initial()
        raw = self.request.GET.get("project", "").strip()
        if not raw:
            return initial
        communes = communes_for_user(self.request.user)
        project = None
        if raw.isdigit():
            project = projects_of(communes).filter(pk=int(raw)).first()
        if project is None:
            if self.request.method == "GET":
                messages.warning(
                    self.request,
                    _("This project is not one of your communes' projects: choose one below."),
                )
            return initial
        initial["project"] = project.pk
        commune = commune_of(project, communes)
        if commune is not None:
            initial["commune"] = commune.pk
        return initial


class ApplicationIndexMixin:
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("project", "project__category", "source__financer", "commune")
        )

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Funding obtained"),
                url=reverse("funding_applications:report"),
                icon_name="table",
                priority=30,
            ),
        ]


class ApplicationInspectMixin(ReadableInspectMixin):
    def get_field_label(self, field_name, field):
        if field_name == "documents":
            return _("Documents")
        return super().get_field_label(field_name, field)

    def get_documents_display_value(self):
        documents = list(self.object.documents.all())
        if not documents:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (reverse("funding_applications:document", args=[doc.pk]), doc.title)
                    for doc in documents
                ),
            ),
        )


def application_policy():
    return policy_registry.get_by_type(FundingApplication)


class DocumentDownloadView(View):
    """An application's document, for the staff of the application's commune only (and
    coordinators); 404 for anybody else, whether the document exists or not."""

    def get(self, request, pk):
        applications = application_policy().instances_user_has_any_permission_for(
            request.user, ANY_ACTION
        )
        document = get_object_or_404(
            ApplicationDocument.objects.filter(application__in=applications), pk=pk
        )
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=True, filename=os.path.basename(document.file.name)
        )
        response["Cache-Control"] = "private, no-store"
        return response


class FundingReportView(WagtailAdminTemplateMixin, TemplateView):
    """The funding obtained (applications granted or paid): the amounts per financer, per
    project category, per commune and per year of the decision, with the applications
    per status. Coordinators see the whole network, commune staff their communes; a
    fixed number of queries, whatever the number of applications."""

    template_name = "funding/admin/report.html"
    page_title = gettext_lazy("Funding obtained")
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        if not application_policy().user_has_any_permission(request.user, ANY_ACTION):
            raise PermissionDenied
        self.communes = list(communes_for_user(request.user).order_by("title", "pk"))
        if not self.communes:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("funding_applications:index"), "label": _("Funding applications")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("commune", "")
        chosen = next((c for c in self.communes if str(c.pk) == raw), None)
        if raw and chosen is None:
            messages.warning(self.request, _("This commune is not one of yours: all are shown."))
        scope = [chosen] if chosen else communes_for_user(self.request.user)
        applications = FundingApplication.objects.filter(commune__in=scope).order_by()
        obtained = applications.filter(status__in=OBTAINED)

        def summed(queryset, key):
            return [
                {
                    "label": row[key],
                    "count": row["count"],
                    "granted": row["granted"] or 0,
                    "asked": row["asked"] or 0,
                }
                for row in queryset.values(key)
                .annotate(
                    count=Count("pk"),
                    granted=Sum("amount_granted"),
                    asked=Sum("amount_requested"),
                )
                .order_by(key)
            ]

        def rows(key):
            """The largest amounts first."""
            return sorted(
                summed(obtained, key),
                key=lambda row: (-row["granted"], str(row["label"] or "")),
            )

        by_year = summed(obtained.annotate(year=ExtractYear("decided_on")), "year")
        for row in by_year:
            row["label"] = None if row["label"] is None else str(row["label"])

        status_rows = {
            row["status"]: row
            for row in applications.values("status").annotate(
                count=Count("pk"), asked=Sum("amount_requested"), granted=Sum("amount_granted")
            )
        }
        statuses = [
            {
                "status": status,
                "label": status.label,
                "count": status_rows.get(status, {}).get("count", 0),
                "asked": status_rows.get(status, {}).get("asked") or 0,
                "granted": status_rows.get(status, {}).get("granted") or 0,
            }
            for status in ApplicationStatus
        ]
        obtained_rows = [row for row in statuses if row["status"] in OBTAINED]
        decided = sum(
            row["count"]
            for row in statuses
            if row["status"] in (*OBTAINED, ApplicationStatus.REFUSED)
        )
        totals = {
            "count": sum(row["count"] for row in statuses),
            "asked": sum(row["asked"] for row in statuses),
            "obtained_count": sum(row["count"] for row in obtained_rows),
            "obtained_asked": sum(row["asked"] for row in obtained_rows),
            "granted": sum(row["granted"] for row in obtained_rows),
            "decided": decided,
        }
        totals["success_rate"] = (
            round(100 * totals["obtained_count"] / decided) if decided else None
        )
        context.update(
            communes=self.communes,
            chosen=chosen,
            by_financer=rows("source__financer__name"),
            by_category=rows("project__category__name"),
            by_commune=rows("commune__title"),
            by_year=by_year,
            statuses=statuses,
            totals=totals,
            today=timezone.localdate(),
            applications_url=reverse("funding_applications:index"),
        )
        return context

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export not in ("csv", "xlsx"):
            return super().get(request, *args, **kwargs)
        return self.export(self.get_context_data(**kwargs), export)

    def get_header_buttons(self):
        query = self.request.GET.copy()
        buttons = []
        for file_format, label in (("xlsx", _("Download (.xlsx)")), ("csv", _("Download (.csv)"))):
            query["export"] = file_format
            buttons.append(HeaderButton(label, url=f"?{query.urlencode()}", icon_name="download"))
        return buttons

    def export(self, context, file_format):
        """The report's tables in one sheet, one row per line of a table (the table's name
        first), amounts as numbers."""
        import tablib

        from mprc_cms.imports.exports import render_file

        dataset = tablib.Dataset(
            headers=[
                _("Table"),
                _("Line"),
                _("Applications"),
                _("Amount granted (€)"),
                _("Amount asked (€)"),
            ]
        )
        tables = [
            (_("Applications per status"), context["statuses"]),
            (_("Funding obtained per financer"), context["by_financer"]),
            (_("Funding obtained per project category"), context["by_category"]),
        ]
        if not context["chosen"]:
            tables.append((_("Funding obtained per commune"), context["by_commune"]))
        tables.append((_("Funding obtained per year"), context["by_year"]))
        for title, table_rows in tables:
            for row in table_rows:
                label = _("Not given") if row["label"] is None else str(row["label"])
                dataset.append([title, label, row["count"], row["granted"], row["asked"]])
        content, content_type = render_file(dataset, file_format)
        scope = context["chosen"].slug if context["chosen"] else "communes"
        name = f"financements-obtenus-{scope}-{timezone.localdate():%Y-%m-%d}.{file_format}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
