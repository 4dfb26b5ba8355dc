"""Exporting a registered model with the resource that imports it: the file holds the
columns the import reads, so it goes back in unchanged (another installation, or after
corrections in a spreadsheet)."""

import csv
import io

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.log_actions import log

from mprc_cms.communes import communes_for_user, escape_formula

from .registry import get_import_or_404
from .views import ImportViewMixin

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("xlsx", gettext_lazy("Excel workbook (.xlsx)")),
            ("csv", gettext_lazy("CSV (semicolons, UTF-8)")),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    commune = forms.ModelChoiceField(
        queryset=None,
        label=_("Commune"),
        required=False,
        empty_label=gettext_lazy("All my communes"),
    )
    selection = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Records to export"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick what you do not want in the file."),
    )

    def __init__(self, *args, user, definition, resource, **kwargs):
        super().__init__(*args, **kwargs)
        if definition.commune_scoped:
            self.fields["commune"].queryset = communes_for_user(user).order_by("title")
        else:
            del self.fields["commune"]
        if definition.export_selection:
            queryset = resource.export_queryset(None)
            self.fields["selection"].queryset = queryset
            self.fields["selection"].initial = list(queryset.values_list("pk", flat=True))
        else:
            del self.fields["selection"]


def rows(dataset):
    yield dataset.headers
    for row in dataset:
        yield [escape_formula(value) for value in row]


def render_file(dataset, file_format):
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerows(rows(dataset))
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows(dataset):
        # Every cell is written as text or number, never as a formula.
        sheet.append(["" if value is None else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_TYPE


class ExportView(ImportViewMixin, FormView):
    template_name = "mprc_cms/imports/export.html"
    form_class = ExportForm
    page_title = gettext_lazy("Export")
    header_icon = "download"

    def dispatch(self, request, *args, app_label, model_name, **kwargs):
        definition = get_import_or_404(app_label, model_name)
        if not definition.exportable:
            raise PermissionDenied
        return super().dispatch(
            request, *args, app_label=app_label, model_name=model_name, **kwargs
        )

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        items[-1] = {"url": "", "label": _("Export")}
        return items

    def get_form_kwargs(self):
        self.resource = self.definition.get_resource()
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "definition": self.definition,
            "resource": self.resource,
        }

    def form_valid(self, form):
        if self.definition.commune_scoped:
            commune = form.cleaned_data.get("commune")
            communes = [commune] if commune else list(communes_for_user(self.request.user))
            queryset = self.resource.export_queryset(communes)
        else:
            communes = None
            queryset = form.cleaned_data["selection"]
        dataset = self.resource.export(queryset=queryset)
        content, content_type = render_file(dataset, form.cleaned_data["format"])
        self.log_export(communes, len(dataset), form.cleaned_data["format"])
        response = HttpResponse(content, content_type=content_type)
        stamp = timezone.localdate().isoformat()
        file_name = f"{self.definition.opts.model_name}-{stamp}.{form.cleaned_data['format']}"
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        return response

    def log_export(self, communes, count, file_format):
        opts = self.definition.opts
        if communes is None:
            targets = [apps.get_model("home", "NetworkHomePage").objects.first()]
        else:
            targets = communes
        for target in targets:
            if target is None:
                continue
            log(
                instance=target,
                action="mprc.export",
                user=self.request.user,
                data={
                    "model": opts.label,
                    "model_name": str(capfirst(opts.verbose_name_plural)),
                    "format": file_format,
                    "rows": count,
                },
            )
