"""Funding sources in the public API (``/api/v1/funding-sources/``): the sources a published
guide shows (``project_catalog.funding.search``): the network guide's (the network's and the
shared ones) or, with ``?commune=``, that commune's guide (those fitting its area, and its
own). Closed sources are left out, as in the guides; a commune's private source never
appears outside its own guide, and who checked a source is not published."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from mprc_cms.rest import BooleanFilter, KindViewSet, OptionalURLField
from project_catalog.api import category_filter

from .models import ApplicationStatus, Financer, FundingKind, FundingSource

STATES = ["permanent", "open", "closing_soon", "upcoming", "closed"]
MAX_DAYS = 366


class FinancerSerializer(serializers.ModelSerializer):
    website = OptionalURLField()

    class Meta:
        model = Financer
        fields = ["name", "level", "website"]


class FundingSourceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Its page in the guide."))
    official_url = OptionalURLField(source="url", help_text=_("The programme's page."))
    application_url = OptionalURLField(help_text=_("Where to apply online."))
    aides_territoires_url = OptionalURLField(
        help_text=_("Its page on Aides-territoires, when it comes from there.")
    )
    financer = FinancerSerializer()
    applicants = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    commune = serializers.SerializerMethodField(
        help_text=_("The commune that keeps it (a shared or own source); none: the network's.")
    )
    state = serializers.SerializerMethodField(help_text=_("Where its window stands today."))
    deadline_label = serializers.SerializerMethodField(help_text=_("The state in words."))

    class Meta:
        model = FundingSource
        fields = [
            "id",
            "name",
            "slug",
            "url",
            "official_url",
            "summary",
            "financer",
            "co_financers",
            "kind",
            "applicants",
            "categories",
            "themes",
            "scope",
            "region",
            "department",
            "territory_name",
            "covers_investment",
            "covers_operating",
            "covers_studies",
            "description",
            "amount_min",
            "amount_max",
            "rate_min",
            "rate_max",
            "amount_comment",
            "timing",
            "opens_on",
            "closes_on",
            "window_start",
            "window_end",
            "state",
            "deadline_label",
            "how_to_apply",
            "contact",
            "checked_on",
            "application_url",
            "aides_territoires_id",
            "aides_territoires_url",
            "synced_at",
            "commune",
        ]

    def get_url(self, source) -> str:
        guide = self.context["kind"].guide
        return guide.get_full_url(self.context["request"]) + guide.reverse_subpage(
            "source", args=[source.slug]
        )

    def get_commune(self, source) -> dict | None:
        if source.commune_id is None:
            return None
        return {"id": source.commune_id, "name": source.commune.title}

    def get_state(self, source) -> serializers.ChoiceField(choices=STATES):
        return source.state(self.context["today"])

    def get_deadline_label(self, source) -> str:
        return str(source.deadline_label(self.context["today"]))


class FundingSourceFilterSet(filters.FilterSet):
    category = category_filter(
        field_name="categories",
        method="filter_category",
        label=_("Fits this project category (its slug); a source without any fits all"),
    )
    kind = filters.ChoiceFilter(choices=FundingKind.choices, label=_("Kind"))
    open = BooleanFilter(method="filter_open", label=_("Open today"))
    closing_within = filters.NumberFilter(
        method="filter_closing_within",
        min_value=0,
        max_value=MAX_DAYS,
        label=_("Open today and closing within this many days"),
    )

    class Meta:
        model = FundingSource
        fields = ["category", "kind", "open", "closing_within"]

    def filter_category(self, queryset, name, value):
        return queryset.for_category(value)

    def filter_open(self, queryset, name, value):
        today = self.request.parser_context["view"].today
        opened = queryset.open_on(today)
        return opened if value else queryset.exclude(pk__in=opened.values("pk"))

    def filter_closing_within(self, queryset, name, value):
        today = self.request.parser_context["view"].today
        return queryset.closing_within(today, int(value))


class FundingSourceViewSet(KindViewSet):
    """The sources of a published guide, the nearest deadline first."""

    api_prefix = "funding-sources"
    search_kind = "project_catalog.funding.search.FundingSourceKind"
    queryset = FundingSource.objects.none()
    serializer_class = FundingSourceSerializer
    filterset_class = FundingSourceFilterSet

    def prepare(self, records):
        return records.prefetch_related("applicants", "categories")


# --- A project's funding obtained, in its detail (``PROJECT_API_FIELDS_HOOK``) -----------


class ObtainedFundingList(serializers.ListSerializer):
    """The funding a project obtained, read from the project (``source="*"``): what its
    page's «Funding obtained» shows, in the same order."""

    def to_representation(self, project):
        obtained = (
            project.funding_applications.obtained()
            .select_related("source__financer")
            .order_by("decided_on", "pk")
        )
        return super().to_representation(obtained)


class ObtainedFundingSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.name", help_text=_("The funding source."))
    financer = serializers.CharField(source="source.financer.name", help_text=_("Who pays."))
    amount_granted = serializers.IntegerField(help_text=_("Amount granted, in euros."))
    paid = serializers.SerializerMethodField(help_text=_("Whether it has been paid."))

    class Meta:
        list_serializer_class = ObtainedFundingList

    def get_paid(self, application) -> bool:
        return application.status == ApplicationStatus.PAID


def project_api_fields():
    return {
        "funding_obtained": ObtainedFundingSerializer(
            many=True,
            read_only=True,
            source="*",
            help_text=_("The funding the project obtained, as its page shows it."),
        )
    }
