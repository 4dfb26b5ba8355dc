"""The shared admin import: upload → preview (dry run) → confirm, in one transaction."""

import csv
import io

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from mprc_cms.communes import user_manages_commune

from . import store
from .forms import ImportUploadForm
from .processing import PREVIEW_ROWS, check_columns, run_import
from .reading import ImportFileError, read_file
from .registry import get_import_or_404


class ImportPermissionMixin:
    """Finds the registered import of the URL's model; 404 if none, 403 without rights."""

    def dispatch(self, request, *args, app_label, model_name, **kwargs):
        self.definition = get_import_or_404(app_label, model_name)
        if not self.definition.user_can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportViewMixin(ImportPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "upload"
    page_title = gettext_lazy("Import")

    def get_page_subtitle(self):
        return self.definition.label

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        index_url = self.definition.get_index_url()
        if index_url:
            items.append({"url": index_url, "label": self.definition.label})
        items.append({"url": "", "label": _("Import")})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            definition=self.definition,
            columns=self.definition.get_columns(),
            upload_url=self.definition.get_url(),
            template_url=self.definition.get_template_url(),
        )
        return context


class ImportUploadView(ImportViewMixin, FormView):
    template_name = "mprc_cms/imports/upload.html"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, definition=self.definition)
        return kwargs

    def get_initial(self):
        # Options may be chosen by a link, e.g. “import into this list”: ``?pool=3``.
        initial = super().get_initial()
        if self.definition.options is not None:
            for name in self.definition.options.get_fields(self.request.user):
                if name in self.request.GET:
                    initial[name] = self.request.GET[name]
        return initial

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        commune = form.cleaned_data.get("commune")
        encoding = form.cleaned_data["encoding"]
        data = upload.read()
        try:
            parsed = read_file(data, upload.name, encoding, self.definition.max_rows)
            check_columns(parsed, self.definition)
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        stored = store.save(
            data,
            user=self.request.user,
            model=self.definition.model,
            commune=commune,
            file_name=upload.name,
            encoding=encoding,
            options=form.cleaned_data.get("options"),
        )
        return redirect("mprc_imports:preview", *self.definition.key, stored.token)


class ImportTemplateView(ImportPermissionMixin, View):
    """A CSV with the expected columns and the registered example rows.

    Semicolons and a byte order mark, so that Excel in French opens it in columns with
    its accents; the import reads commas as well.
    """

    def get(self, request, *args, **kwargs):
        names = [column.name for column in self.definition.get_columns()]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(names)
        for sample in self.definition.sample_rows:
            writer.writerow([sample.get(name, "") for name in names])
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        file_name = f"import-{self.definition.opts.model_name}.csv"
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        return response


class ImportPreviewView(ImportViewMixin, TemplateView):
    """GET: what the import would do (a dry run). POST: do it, all rows or none."""

    template_name = "mprc_cms/imports/preview.html"

    def dispatch(self, request, *args, **kwargs):
        self.token = kwargs.pop("token")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = self.load()
        if response is not None:
            return response
        try:
            outcome = self.run(self.stored.read(), dry_run=True)
        except ImportFileError as error:
            return self.file_error(error)
        return self.render_to_response(self.get_context_data(outcome=outcome))

    def post(self, request, *args, **kwargs):
        response = self.load()
        if response is not None:
            return response
        data = self.stored.claim()
        if data is None:
            return self.not_found()
        try:
            with transaction.atomic():
                outcome = self.run(data, dry_run=False)
                if outcome.errors:
                    transaction.set_rollback(True)
                else:
                    self.log_import(outcome)
        except ImportFileError as error:
            self.stored.release()
            return self.file_error(error)
        except BaseException:
            self.stored.release()
            raise
        if outcome.errors:
            self.stored.release()
            messages.error(
                request,
                _("Nothing was imported: the file has errors. Correct them and send it again."),
            )
            return self.render_to_response(self.get_context_data(outcome=outcome))
        self.stored.remove()
        messages.success(
            request,
            ngettext(
                "%(count)s row imported (%(new)s new, %(updated)s updated).",
                "%(count)s rows imported (%(new)s new, %(updated)s updated).",
                outcome.imported,
            )
            % {"count": outcome.imported, "new": outcome.new, "updated": outcome.updated},
        )
        return redirect(self.definition.get_index_url() or reverse("wagtailadmin_home"))

    def load(self):
        """Find the stored file and its commune; a response if the import cannot go on."""
        self.stored = store.load(self.token, user=self.request.user, model=self.definition.model)
        if self.stored is None:
            return self.not_found()
        self.commune = None
        if self.definition.commune_scoped:
            CommunePage = apps.get_model("home", "CommunePage")
            self.commune = CommunePage.objects.filter(pk=self.stored.commune_id).first()
            if not user_manages_commune(self.request.user, self.commune):
                raise PermissionDenied
        return None

    def run(self, data, *, dry_run):
        options = self.definition.options
        if options is not None:
            problem = options.problem(self.stored.options or {})
            if problem:
                raise ImportFileError(problem)
        parsed = read_file(
            data, self.stored.file_name, self.stored.encoding, self.definition.max_rows
        )
        check_columns(parsed, self.definition)
        return run_import(
            self.definition,
            parsed,
            self.commune,
            dry_run=dry_run,
            user=self.request.user,
            options=self.stored.options,
        )

    def not_found(self):
        messages.error(
            self.request,
            _(
                "This import cannot be found: it has expired (a file is kept for one hour "
                "before it is imported) or it was started by someone else. Please send the "
                "file again."
            ),
        )
        return redirect(self.definition.get_url())

    def file_error(self, error):
        self.stored.remove()
        messages.error(self.request, error.message)
        return redirect(self.definition.get_url())

    def log_import(self, outcome):
        target = self.commune
        if target is None:
            NetworkHomePage = apps.get_model("home", "NetworkHomePage")
            target = NetworkHomePage.objects.first()
        if target is None:
            return
        opts = self.definition.opts
        log(
            instance=target,
            action="mprc.import",
            user=self.request.user,
            data={
                "model": opts.label,
                "model_name": str(capfirst(opts.verbose_name_plural)),
                "file": self.stored.file_name,
                "format": outcome.parsed.format,
                "created": outcome.new,
                "updated": outcome.updated,
                "rows": outcome.imported,
                **self.describe_options(),
            },
        )

    def describe_options(self):
        options = self.definition.options
        if options is None or not self.stored.options:
            return {}
        return {"options": {str(k): str(v) for k, v in options.describe(self.stored.options)}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outcome = context.get("outcome")
        if outcome is not None:
            options = self.definition.options
            context.update(
                stored=self.stored,
                commune=self.commune,
                option_items=(
                    options.describe(self.stored.options or {}) if options is not None else []
                ),
                preview_rows=outcome.preview_rows(),
                preview_limit=PREVIEW_ROWS,
                can_confirm=not outcome.errors and outcome.imported > 0,
                confirm_url=self.request.path,
            )
        return context
