"""The communes in the public API (``/api/v1/communes/``): the published communes of the
site, with their town hall's public details and the modules they run."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from mprc_cms.modules import get_public_modules
from mprc_cms.rest import OptionalEmailField, PublicViewSet, site_root

from .communes import mark_running_modules
from .models import CommunePage


class ModuleSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The module's key, e.g. «funding»."))
    label = serializers.CharField(help_text=_("Its name on the site."))


class CommuneSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="title", help_text=_("The commune's name."))
    url = serializers.SerializerMethodField(help_text=_("Its home page on the site."))
    email = OptionalEmailField(help_text=_("The town hall's e-mail address."))
    modules = serializers.SerializerMethodField(
        help_text=_("The modules it runs (published pages), in the order the site lists them.")
    )

    class Meta:
        model = CommunePage
        fields = [
            "id",
            "name",
            "slug",
            "url",
            "insee_code",
            "postcode",
            "population",
            "epci",
            "intro",
            "address",
            "phone",
            "email",
            "opening_hours",
            "modules",
        ]

    def get_url(self, commune) -> str:
        return commune.get_full_url(self.context["request"])

    def get_modules(self, commune) -> list[dict]:
        return [{"key": m.key, "label": str(m.label)} for m in commune.running_modules]


class CommuneFilterSet(filters.FilterSet):
    insee_code = filters.CharFilter(label=_("INSEE code"))
    postcode = filters.CharFilter(label=_("Postcode"))
    epci = filters.CharFilter(label=_("Intercommunality (exact name)"))
    module = filters.CharFilter(method="filter_module", label=_("Runs this module (its key)"))

    class Meta:
        model = CommunePage
        fields = ["insee_code", "postcode", "epci"]

    def filter_module(self, queryset, name, value):
        return queryset  # applied after the modules are read (CommuneViewSet.paginate_queryset)


class CommuneViewSet(PublicViewSet):
    """The network's published communes, by name; ``?module=funding`` for those that run a
    module. The town hall's details are the institution's, shown on the commune's pages."""

    api_prefix = "communes"
    queryset = CommunePage.objects.none()
    serializer_class = CommuneSerializer
    filterset_class = CommuneFilterSet

    def get_queryset(self):
        communes = CommunePage.objects.live().public().defer_streamfields()
        root = site_root(self.request)
        if root is not None:
            communes = communes.descendant_of(root, inclusive=True)
        return communes.order_by("title", "pk")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        key = self.request.query_params.get("module")
        if key:
            modules = [m for m in get_public_modules() if m.key == key]
            if not modules:
                return queryset.none()
            pks = [c.pk for c in _with_modules(list(queryset), modules) if c.running_modules]
            queryset = queryset.filter(pk__in=pks)
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return _with_modules(page, get_public_modules()) if page is not None else None

    def get_object(self):
        return _with_modules([super().get_object()], get_public_modules())[0]


def _with_modules(communes, modules):
    mark_running_modules(communes, modules)
    return communes
