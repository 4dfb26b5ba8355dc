"""CSV/XLSX import and export of the catalogue, through the shared admin import view.

- Projects of a commune, for reporting: one row per project, in French column names; a
  file exported here can be corrected in a spreadsheet and imported back.
- Project templates, to move between MPRC installations: steps and resources travel as
  JSON lists in their cells.

Imports never publish: new rows become drafts, known rows new draft revisions.
"""

import json

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from import_export import fields, widgets

from mprc_cms.communes import subtree_condition
from mprc_cms.imports import CommuneScopedResource, ImportResource
from mprc_cms.imports.pages import PageImportMixin
from mprc_cms.imports.widgets import CategoryWidget, ChoiceWidget

from .adoption import projects_index_for
from .blocks import document_url
from .models import Licence, ProjectCategory, ProjectPage, ProjectStatus, ProjectTemplatePage
from .network_pages import library_page


class RichTextWidget(widgets.Widget):
    """Rich text as plain paragraphs separated by a blank line."""

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text:
            return ""
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return "".join(
            "<p>" + escape(paragraph).replace("\n", "<br/>") + "</p>" for paragraph in paragraphs
        )

    def render(self, value, obj=None, **kwargs):
        html = str(value or "")
        for tag in ("</p>", "<br/>", "<br>", "</li>"):
            html = html.replace(tag, tag + "\n")
        return strip_tags(html).strip()


class StreamListWidget(widgets.Widget):
    """A StreamField of one kind of block as a JSON list of objects with French keys."""

    def __init__(self, block_type, keys, required, column):
        super().__init__()
        self.block_type = block_type
        self.keys = keys  # French key → block field
        self.required = required
        self.column = column

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text:
            return []
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(
                _("The column “%(column)s” must hold a list written in JSON (%(error)s).")
                % {"column": self.column, "error": error.msg}
            ) from error
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ValueError(
                _("The column “%(column)s” must hold a list of objects, e.g. %(example)s.")
                % {"column": self.column, "example": json.dumps([dict.fromkeys(self.keys, "…")])}
            )
        blocks = []
        for position, item in enumerate(items, start=1):
            missing = [key for key in self.required if not str(item.get(key) or "").strip()]
            if missing:
                raise ValueError(
                    _("Item %(position)s of “%(column)s” has no “%(keys)s”.")
                    % {"position": position, "column": self.column, "keys": ", ".join(missing)}
                )
            blocks.append(
                {
                    "type": self.block_type,
                    "value": {
                        field: str(item.get(key) or "").strip() for key, field in self.keys.items()
                    },
                }
            )
        return blocks

    def render(self, value, obj=None, **kwargs):
        items = [item for item in map(self.render_block, value or []) if item]
        return json.dumps(items, ensure_ascii=False) if items else ""

    def render_block(self, block):
        if block.block_type != self.block_type:
            return None
        return {key: block.value.get(field) or "" for key, field in self.keys.items()}


class ResourceListWidget(StreamListWidget):
    """Links as they are; a document as a link to its address on this site."""

    def render_block(self, block):
        if block.block_type == "document":
            document = block.value.get("document")
            if document is None:
                return None
            url = document_url(document)
            return {"titre": block.value.get("title") or document.title, "url": url}
        return super().render_block(block)


def _integer():
    return widgets.IntegerWidget(coerce_to_string=False)


class ProjectResource(PageImportMixin, CommuneScopedResource):
    slug = fields.Field(attribute="slug", column_name="identifiant")
    title = fields.Field(attribute="title", column_name="titre")
    category = fields.Field(
        attribute="category", column_name="categorie", widget=CategoryWidget(ProjectCategory)
    )
    status = fields.Field(
        attribute="status",
        column_name="etape",
        widget=ChoiceWidget(ProjectStatus.choices, default=ProjectStatus.IDEA),
    )
    place = fields.Field(attribute="place", column_name="lieu")
    summary = fields.Field(attribute="summary", column_name="resume")
    need = fields.Field(attribute="need", column_name="besoin")
    planned_budget = fields.Field(
        attribute="planned_budget", column_name="budget_prevu", widget=_integer()
    )
    actual_budget = fields.Field(
        attribute="actual_budget", column_name="budget_reel", widget=_integer()
    )
    results = fields.Field(attribute="results", column_name="resultats", widget=RichTextWidget())
    # Written by the export only, ignored by the import.
    commune_name = fields.Field(column_name="commune", readonly=True)
    template_title = fields.Field(column_name="modele", readonly=True)
    published = fields.Field(column_name="publie", readonly=True)
    address = fields.Field(column_name="adresse", readonly=True)

    class Meta:
        model = ProjectPage
        fields = (
            "slug",
            "title",
            "category",
            "status",
            "place",
            "summary",
            "need",
            "planned_budget",
            "actual_budget",
            "results",
            "commune_name",
            "template_title",
            "published",
            "address",
        )
        import_id_fields = ("slug",)
        skip_html_diff = True

    def get_parent(self):
        return projects_index_for(self.commune, getattr(self, "user", None))

    def export_queryset(self, communes=None):
        paths = [commune.path for commune in communes or []]
        return (
            ProjectPage.objects.filter(subtree_condition(paths))
            .select_related("category", "source_template")
            .order_by("path")
        )

    def dehydrate_commune_name(self, project):
        return project.commune.title if project.commune else ""

    def dehydrate_template_title(self, project):
        return project.source_template.title if project.source_template else ""

    def dehydrate_published(self, project):
        return _("yes") if project.live else _("no")

    def dehydrate_address(self, project):
        return project.full_url or ""


class ProjectTemplateResource(PageImportMixin, ImportResource):
    slug = fields.Field(attribute="slug", column_name="identifiant")
    title = fields.Field(attribute="title", column_name="titre")
    category = fields.Field(
        attribute="category", column_name="categorie", widget=CategoryWidget(ProjectCategory)
    )
    summary = fields.Field(attribute="summary", column_name="resume")
    problem = fields.Field(attribute="problem", column_name="probleme")
    steps = fields.Field(
        attribute="steps",
        column_name="etapes",
        widget=StreamListWidget(
            "step",
            {"titre": "title", "description": "description", "duree": "duration"},
            required=("titre", "description"),
            column="etapes",
        ),
    )
    budget_min = fields.Field(attribute="budget_min", column_name="budget_min", widget=_integer())
    budget_max = fields.Field(attribute="budget_max", column_name="budget_max", widget=_integer())
    duration = fields.Field(attribute="duration", column_name="duree")
    roles = fields.Field(attribute="roles", column_name="roles")
    pitfalls = fields.Field(attribute="pitfalls", column_name="ecueils")
    success_factors = fields.Field(attribute="success_factors", column_name="facteurs_reussite")
    resources = fields.Field(
        attribute="resources",
        column_name="ressources",
        widget=ResourceListWidget(
            "link", {"titre": "title", "url": "url"}, required=("titre", "url"), column="ressources"
        ),
    )
    licence = fields.Field(
        attribute="licence",
        column_name="licence",
        widget=ChoiceWidget(Licence.choices, default=Licence.CC_BY_SA),
    )
    origin = fields.Field(attribute="origin", column_name="origine")
    version = fields.Field(attribute="version", column_name="version", widget=_integer())
    version_note = fields.Field(attribute="version_note", column_name="note_version")

    class Meta:
        model = ProjectTemplatePage
        fields = (
            "slug",
            "title",
            "category",
            "summary",
            "problem",
            "steps",
            "budget_min",
            "budget_max",
            "duration",
            "roles",
            "pitfalls",
            "success_factors",
            "resources",
            "licence",
            "origin",
            "version",
            "version_note",
        )
        import_id_fields = ("slug",)
        skip_html_diff = True

    def get_parent(self):
        return library_page()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that would change nothing is unchanged, steps and resources compared as
        the file writes them (their blocks' ids are not in the file): the same file twice,
        or a followed library's template already held, changes nothing."""
        if self._meta.skip_diff or import_validation_errors:
            return False
        for field in self.get_import_fields():
            new, old = field.get_value(instance), field.get_value(original)
            if isinstance(field.widget, StreamListWidget):
                new, old = field.widget.render(new), field.widget.render(old)
            if new != old:
                return False
        return True

    def import_instance(self, instance, row, **kwargs):
        version = instance.version
        super().import_instance(instance, row, **kwargs)
        if instance.version is None:  # a blank cell keeps the version (1 for a new template)
            instance.version = version or 1

    def export_queryset(self, communes=None):
        return (
            ProjectTemplatePage.objects.child_of(library_page())
            .select_related("category")
            .order_by("category__sort_order", "title")
        )
