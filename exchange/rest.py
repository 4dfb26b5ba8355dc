"""The service exchange in the public API (``/api/v1/posts/``): the posts on the published
boards (``exchange.search.PostKind``: published by the town hall and not expired, on a
board that is online; never a post waiting, rejected, hidden, done or expired).

What a post says, never who posted it nor how to reach them: no first name, e-mail or
phone (even one the poster chose to show on the board), no channel nor the staff who
entered it. To answer a post, one writes through its page on the board."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from mprc_cms.rest import CommuneRefSerializer, KindViewSet

from .models import Kind, ServiceCategory, ServiceListing


class ServiceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["slug", "name"]


class PostSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Its page on the board, to answer it."))
    kind_label = serializers.CharField(source="get_kind_display")
    category = ServiceCategorySerializer()
    commune = serializers.SerializerMethodField()
    published_on = serializers.SerializerMethodField(help_text=_("When it was put on the board."))
    expires_on = serializers.DateField(help_text=_("On the board until this day."))

    class Meta:
        model = ServiceListing
        fields = [
            "id",
            "title",
            "url",
            "kind",
            "kind_label",
            "category",
            "commune",
            "hamlet",
            "availability",
            "description",
            "published_on",
            "expires_on",
        ]

    def board(self, post):
        return self.context["kind"].boards[post.commune_id]

    def get_url(self, post) -> str:
        board = self.board(post)
        return board.get_full_url(self.context["request"]) + board.reverse_subpage(
            "listing", args=[post.pk]
        )

    def get_commune(self, post) -> CommuneRefSerializer:
        return CommuneRefSerializer(self.board(post).commune).data

    def get_published_on(self, post) -> datetime.date:
        return timezone.localdate(post.published_at)


class PostFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Kind.choices, label=_("Offers or requests"))
    category = filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=ServiceCategory.objects.all(),
        label=_("Category (its slug)"),
    )
    hamlet = filters.CharFilter(label=_("Hamlet (exact name)"))

    class Meta:
        model = ServiceListing
        fields = ["kind", "category", "hamlet"]


class PostViewSet(KindViewSet):
    """The posts on the published boards, the latest first; in a commune, its board's."""

    api_prefix = "posts"
    search_kind = "exchange.search.PostKind"
    queryset = ServiceListing.objects.none()
    serializer_class = PostSerializer
    filterset_class = PostFilterSet

    def prepare(self, records):
        # Only the public columns are read: never the poster's name, e-mail or phone.
        return records.only(
            "pk",
            "commune_id",
            "kind",
            "category__slug",
            "category__name",
            "title",
            "description",
            "hamlet",
            "availability",
            "published_at",
            "expires_on",
        )
