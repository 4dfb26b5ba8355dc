"""The catalogue in the public API: the communes' projects (``/api/v1/projects/``) and the
network's templates (``/api/v1/templates/``), the records the catalogue's pages and the
site search show (``project_catalog.search``), never their carriers' names."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers
from wagtail import hooks

from home.models import attach_communes
from mprc_cms.rest import CommuneRefSerializer, KindViewSet, id_filter

from .blocks import document_url
from .models import ProjectCategory, ProjectPage, ProjectStatus, ProjectTemplatePage

# What other modules add to a project's detail, as to its page (``sections.py``): a hook
# returning ``{name: read-only serializer field}``, each field reading the project (e.g.
# ``source="*"``) and showing only what the project's page shows.
API_FIELDS_HOOK = "project_api_fields"

# The largest budget a filter takes (€): a PositiveIntegerField's.
MAX_BUDGET = 2_147_483_647


def category_filter(**options):
    """A filter on a project category by its slug (a 400 for a slug that is none)."""
    options.setdefault("field_name", "category")
    options.setdefault("label", _("Category (its slug)"))
    return filters.ModelChoiceFilter(
        to_field_name="slug", queryset=ProjectCategory.objects.all(), **options
    )


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectCategory
        fields = ["slug", "name"]


class StageSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=_("The stage's code."))
    label = serializers.CharField()
    date = serializers.DateField(allow_null=True, help_text=_("When the project reached it."))
    state = serializers.ChoiceField(choices=["done", "current", "ahead"])


class UpdateSerializer(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField()
    text = serializers.CharField(help_text=_("HTML."))


class SourceTemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(allow_null=True)


class ProjectSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    commune = serializers.SerializerMethodField()
    category = CategorySerializer()
    status_label = serializers.CharField(help_text=_("The stage, in words."))
    source_template = serializers.SerializerMethodField(
        help_text=_("The network template it started from, and which version.")
    )

    class Meta:
        model = ProjectPage
        fields = [
            "id",
            "title",
            "url",
            "commune",
            "category",
            "status",
            "status_label",
            "place",
            "summary",
            "need",
            "planned_budget",
            "actual_budget",
            "source_template",
            "first_published_at",
            "last_published_at",
        ]

    def get_url(self, project) -> str:
        return project.get_full_url(self.context["request"])

    def get_commune(self, project) -> CommuneRefSerializer(allow_null=True):
        commune = getattr(project, "commune", None)
        return CommuneRefSerializer(commune).data if commune is not None else None

    def get_source_template(self, project) -> SourceTemplateSerializer(allow_null=True):
        if project.source_template_id is None:
            return None
        return {"id": project.source_template_id, "version": project.source_version}


class ProjectDetailSerializer(ProjectSerializer):
    results = serializers.CharField(help_text=_("HTML."))
    stages = serializers.SerializerMethodField(help_text=_("The MPRC path, stage by stage."))
    updates = serializers.SerializerMethodField(help_text=_("The news of the project."))

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "results", "stages", "updates"]

    def get_fields(self):
        fields = super().get_fields()
        for provide in hooks.get_hooks(API_FIELDS_HOOK):
            fields.update(provide())
        return fields

    def get_stages(self, project) -> StageSerializer(many=True):
        return [
            {"status": status.value, "label": str(label), "date": date, "state": state}
            for status, label, date, state in project.path_stages()
        ]

    def get_updates(self, project) -> UpdateSerializer(many=True):
        return [
            {"date": u.date, "title": u.title, "text": u.text}
            for u in project._children()["updates"]
        ]


class ProjectFilterSet(filters.FilterSet):
    category = category_filter()
    status = filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Stage"))
    template = id_filter(
        field_name="source_template", label=_("Started from this template (its id)")
    )

    class Meta:
        model = ProjectPage
        fields = ["category", "status", "template"]


class ProjectViewSet(KindViewSet):
    """The published projects of the communes, the latest published first."""

    api_prefix = "projects"
    search_kind = "project_catalog.search.ProjectKind"
    queryset = ProjectPage.objects.none()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def prepare(self, records):
        return records.defer_streamfields()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_communes(page) if page is not None else None

    def get_object(self):
        return attach_communes([super().get_object()])[0]


class StepSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    duration = serializers.CharField(allow_blank=True)


class ResourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("A link, or the address of a document on this site."))


def documents_of(templates):
    """The documents the templates' resources point to, by id, in one query."""
    from wagtail.documents import get_document_model

    ids = {
        block["value"].get("document")
        for template in templates
        for block in template.resources.raw_data
        if block.get("type") == "document" and isinstance(block.get("value"), dict)
    }
    ids.discard(None)
    return get_document_model().objects.in_bulk(ids) if ids else {}


class TemplateSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    category = CategorySerializer()
    steps = serializers.SerializerMethodField(help_text=_("The recipe, step by step."))
    resources = serializers.SerializerMethodField(
        help_text=_("Links and documents, each as a link.")
    )
    adopted_by = serializers.IntegerField(
        source="adoption_count", help_text=_("How many published projects started from it.")
    )

    class Meta:
        model = ProjectTemplatePage
        fields = [
            "id",
            "title",
            "slug",
            "url",
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
            "adopted_by",
            "first_published_at",
            "last_published_at",
        ]

    def get_url(self, template) -> str:
        return template.get_full_url(self.context["request"])

    # From the blocks' raw data: no query per template (the documents are read once per
    # page of results, ``documents_of``).
    def get_steps(self, template) -> StepSerializer(many=True):
        return [
            {
                "title": block["value"].get("title") or "",
                "description": block["value"].get("description") or "",
                "duration": block["value"].get("duration") or "",
            }
            for block in template.steps.raw_data
            if block.get("type") == "step"
        ]

    def get_resources(self, template) -> ResourceSerializer(many=True):
        documents = self.context.get("documents")
        if documents is None:
            documents = documents_of([template])
        resources = []
        for block in template.resources.raw_data:
            value = block.get("value") or {}
            if block.get("type") == "link":
                resources.append({"title": value.get("title") or "", "url": value.get("url") or ""})
            elif block.get("type") == "document":
                document = documents.get(value.get("document"))
                if document is not None:
                    resources.append(
                        {
                            "title": value.get("title") or document.title,
                            "url": document_url(document),
                        }
                    )
        return resources


class TemplateFilterSet(filters.FilterSet):
    category = category_filter()
    budget = filters.NumberFilter(
        field_name="budget_min",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_BUDGET,
        label=_("Can start with this budget (€)"),
    )

    class Meta:
        model = ProjectTemplatePage
        fields = ["category", "budget"]


class TemplateViewSet(KindViewSet):
    """The network's published templates, by title. A template is the network's: it has
    no commune (``?commune=`` gives none)."""

    api_prefix = "templates"
    search_kind = "project_catalog.search.TemplateKind"
    queryset = ProjectTemplatePage.objects.none()
    serializer_class = TemplateSerializer
    filterset_class = TemplateFilterSet

    # Its steps and resources are in the answer (another network follows the library
    # through it: docs/project-catalogue.md), so the StreamFields are read.
    def paginate_queryset(self, queryset):
        from .listing import adoption_counts

        page = super().paginate_queryset(queryset)
        if page is not None:
            adoption_counts(page)
            self.documents = documents_of(page)
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "documents"):
            context["documents"] = self.documents
        return context

    def get_object(self):
        from .listing import adoption_counts

        template = super().get_object()
        adoption_counts([template])
        return template
