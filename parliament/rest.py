"""The micro-parliaments in the public API: the published micro-parliament pages
(``/api/v1/micro-parliaments/``) with their cycle, members, meetings and priorities, their
meetings (``/api/v1/meetings/``) and the draws by lot they publish (``/api/v1/draws/``).

Exactly what the pages show (``parliament.search`` says which pages are public): a member
by name only when they agreed to it (else their role only), never a member's or a
volunteer's details, never a draw's pool, audit file or who is behind a pseudonym (a name
only for a member who agreed to show it, as on the draw's page)."""

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

import sortition
from home.models import attach_communes
from mprc_cms import page_cache
from mprc_cms.rest import BooleanFilter, CommuneRefSerializer, KindViewSet, id_filter

from . import invitations
from .draws import SMALL_CROWD, quota_table
from .models import (
    Draw,
    DrawStatus,
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    ParliamentPhase,
    ParliamentPriority,
    Phase,
    Role,
)
from .search import meeting_anchor
from .views import (
    FIRST_ALTERNATES,
    consented_names,
    member_groups,
    public_priorities,
    seat_story,
)

PHASE_PROGRESS = [
    ("done", _("Completed")),
    ("current", _("Current phase")),
    ("ahead", _("Upcoming")),
]
# A draw the pages publish: its commitment published (the randomness awaited), drawn, or
# cancelled after its publication.
PUBLIC_STAGES = [DrawStatus.PUBLISHED, DrawStatus.DRAWN, DrawStatus.CANCELLED]
STAGE_CHOICES = [(status.value, status.label) for status in PUBLIC_STAGES]
SEAT_STATES = ["taken", "waiting", "to_invite", "empty"]


class ParliamentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


def is_past(meeting, now):
    return (meeting.ends_at or meeting.starts_at) < now


def keep_until_next_meeting_ends(request, meetings, now):
    """The page cache keeps the answer until a meeting it shows as upcoming is over (its
    minutes may then appear), as it does for the micro-parliament's page."""
    for meeting in meetings:
        if not is_past(meeting, now):
            page_cache.valid_until(
                getattr(request, "_request", request), meeting.ends_at or meeting.starts_at
            )


# Meetings ---------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("Its place on the micro-parliament's page.")
    )
    micro_parliament = serializers.SerializerMethodField()
    upcoming = serializers.SerializerMethodField(help_text=_("Not over yet."))
    agenda = serializers.CharField(help_text=_("HTML."))
    minutes = serializers.SerializerMethodField(
        help_text=_("HTML, once the meeting is over (empty before).")
    )
    minutes_document = serializers.SerializerMethodField(
        help_text=_("The minutes as a document to download, once the meeting is over.")
    )

    class Meta:
        model = ParliamentMeeting
        fields = [
            "id",
            "title",
            "url",
            "micro_parliament",
            "starts_at",
            "ends_at",
            "place",
            "upcoming",
            "agenda",
            "minutes",
            "minutes_document",
        ]

    def page_of(self, meeting):
        return self.context.get("page") or meeting.page

    def get_url(self, meeting) -> str:
        page = self.page_of(meeting)
        return f"{page.get_full_url(self.context['request'])}#{meeting_anchor(meeting)}"

    def get_micro_parliament(self, meeting) -> ParliamentRefSerializer:
        page = self.page_of(meeting)
        return {"id": page.pk, "title": page.title}

    def get_upcoming(self, meeting) -> bool:
        return not is_past(meeting, self.context["now"])

    def get_minutes(self, meeting) -> str:
        return meeting.minutes if is_past(meeting, self.context["now"]) else ""

    def get_minutes_document(self, meeting) -> serializers.URLField(allow_null=True):
        document = meeting.minutes_document
        if document is None or not is_past(meeting, self.context["now"]):
            return None
        return self.context["request"].build_absolute_uri(document.url)


class MeetingFilterSet(filters.FilterSet):
    upcoming = BooleanFilter(
        method="filter_upcoming", label=_("Not over yet (true) or over (false)")
    )
    micro_parliament = id_filter(field_name="page", label=_("Of this micro-parliament (its id)"))

    class Meta:
        model = ParliamentMeeting
        fields = ["upcoming", "micro_parliament"]

    def filter_upcoming(self, queryset, name, value):
        now = self.request.parser_context["view"].now
        ahead = Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
        return queryset.filter(ahead) if value else queryset.exclude(ahead)


class NowMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self.now}

    @property
    def now(self):
        moment = getattr(self, "_now", None)
        if moment is None:
            moment = self._now = timezone.now()
        return moment


class MeetingViewSet(NowMixin, KindViewSet):
    """The meetings of the published micro-parliaments, the latest first; in a commune,
    those of the micro-parliaments that serve it. The agenda always, the minutes once the
    meeting is over, as on the page."""

    api_prefix = "meetings"
    search_kind = "parliament.search.MeetingKind"
    queryset = ParliamentMeeting.objects.none()
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    def prepare(self, records):
        return records.select_related("minutes_document")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            keep_until_next_meeting_ends(self.request, page, self.now)
        return page

    def get_object(self):
        meeting = super().get_object()
        keep_until_next_meeting_ends(self.request, [meeting], self.now)
        return meeting


# Micro-parliaments -------------------------------------------------------------------------


class PhaseSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    label = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField()
    progress = serializers.ChoiceField(
        choices=PHASE_PROGRESS, help_text=_("Where it stands today.")
    )


class MemberSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    name = serializers.CharField(
        allow_null=True, help_text=_("Only for a member who agreed to show it; else null.")
    )
    organisation = serializers.CharField(
        allow_null=True, help_text=_("Their organisation or mandate, with their name only.")
    )


class ProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


class PrioritySerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    project = ProjectRefSerializer(
        allow_null=True, help_text=_("The published project page it became, if any.")
    )


class DrawRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    stage = serializers.ChoiceField(choices=STAGE_CHOICES)


class MicroParliamentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    intro = serializers.CharField(help_text=_("HTML."))
    mandate = serializers.CharField(help_text=_("HTML: what the council asked of it."))
    communes = serializers.SerializerMethodField(help_text=_("The published communes it serves."))
    phases = serializers.SerializerMethodField(help_text=_("The cycle's phases, in date order."))
    current_phase = serializers.SerializerMethodField(
        help_text=_("The code of the phase under way today (see its phases), or null.")
    )

    class Meta:
        model = MicroParliamentPage
        fields = [
            "id",
            "title",
            "url",
            "communes",
            "intro",
            "mandate",
            "cycle_name",
            "current_phase",
            "phases",
            "first_published_at",
            "last_published_at",
        ]

    def get_url(self, page) -> str:
        return page.get_full_url(self.context["request"])

    def get_communes(self, page) -> CommuneRefSerializer(many=True):
        chosen = [commune for commune in page.communes.all() if commune.live]
        if not page.communes.all():
            chosen = [page.commune] if page.commune is not None else []
        return [{"id": commune.pk, "name": commune.title} for commune in chosen]

    def phase_rows(self, page):
        return page.phase_rows(self.context["today"])

    def get_phases(self, page) -> PhaseSerializer(many=True):
        return [
            {
                "phase": row["phase"].phase,
                "label": str(row["phase"].get_phase_display()),
                "starts_on": row["phase"].starts_on,
                "ends_on": row["phase"].ends_on,
                "description": row["phase"].description,
                "progress": row["state"],
            }
            for row in self.phase_rows(page)
        ]

    def get_current_phase(self, page) -> str | None:
        current = [row["phase"].phase for row in self.phase_rows(page) if row["state"] == "current"]
        return current[0] if current else None


class MicroParliamentDetailSerializer(MicroParliamentSerializer):
    members = serializers.SerializerMethodField(
        help_text=_("Its current members, as its page lists them.")
    )
    meetings = serializers.SerializerMethodField(help_text=_("Its meetings, in date order."))
    priorities = serializers.SerializerMethodField(help_text=_("Its priorities and projects."))
    draws = serializers.SerializerMethodField(
        help_text=_("Its published draws by lot (the latest first): see /api/v1/draws/.")
    )

    class Meta(MicroParliamentSerializer.Meta):
        fields = [
            *MicroParliamentSerializer.Meta.fields,
            "members",
            "meetings",
            "priorities",
            "draws",
        ]

    def get_members(self, page) -> MemberSerializer(many=True):
        return [
            {
                "role": member.role,
                "role_label": str(member.get_role_display()),
                "name": member.name if member.show_name else None,
                "organisation": (member.organisation or None) if member.show_name else None,
            }
            for _heading, members in member_groups(page, page.public_member_list)
            for member in members
        ]

    def get_meetings(self, page) -> MeetingSerializer(many=True):
        context = {**self.context, "page": page}
        return MeetingSerializer(page.meetings.all(), many=True, context=context).data

    def get_priorities(self, page) -> PrioritySerializer(many=True):
        request = self.context["request"]
        rows = []
        for row in public_priorities(page):
            priority, project = row["priority"], row["project"]
            rows.append(
                {
                    "title": priority.title,
                    "description": priority.description,
                    "project": (
                        {
                            "id": project.pk,
                            "title": project.title,
                            "url": project.get_full_url(request),
                        }
                        if project is not None
                        else None
                    ),
                }
            )
        return rows

    def get_draws(self, page) -> DrawRefSerializer(many=True):
        return [
            {"id": draw.pk, "title": draw.title, "stage": draw.status}
            for draw in page.public_draw_list
        ]


class MicroParliamentFilterSet(filters.FilterSet):
    phase = filters.ChoiceFilter(
        choices=Phase.choices, method="filter_phase", label=_("In this phase today")
    )

    class Meta:
        model = MicroParliamentPage
        fields = ["phase"]

    def filter_phase(self, queryset, name, value):
        today = self.request.parser_context["view"].today
        current = ParliamentPhase.objects.filter(
            phase=value, starts_on__lte=today, ends_on__gte=today
        )
        return queryset.filter(pk__in=current.values("page_id"))


class MicroParliamentViewSet(NowMixin, KindViewSet):
    """The published micro-parliaments, by title; in a commune, those that serve it. One
    micro-parliament adds its members, meetings, priorities and published draws."""

    api_prefix = "micro-parliaments"
    search_kind = "parliament.search.MicroParliamentKind"
    queryset = MicroParliamentPage.objects.none()
    serializer_class = MicroParliamentSerializer
    filterset_class = MicroParliamentFilterSet

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MicroParliamentDetailSerializer
        return MicroParliamentSerializer

    def prepare(self, records):
        records = records.defer_streamfields().prefetch_related("phases", "communes")
        if self.action != "retrieve":
            return records
        members = ParliamentMember.objects.filter(left_on__isnull=True).order_by(
            "role", "sort_name", "pk"
        )
        draws = (
            Draw.objects.filter(published_at__isnull=False)
            .exclude(lottery={})
            .only("pk", "title", "status", "micro_parliament_id")
            .order_by("-published_at", "-pk")
        )
        return records.prefetch_related(
            Prefetch("members", queryset=members, to_attr="public_member_list"),
            Prefetch(
                "meetings", queryset=ParliamentMeeting.objects.select_related("minutes_document")
            ),
            Prefetch("priorities", queryset=ParliamentPriority.objects.select_related("project")),
            Prefetch("draws", queryset=draws, to_attr="public_draw_list"),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_communes(page) if page is not None else None

    def get_object(self):
        page = attach_communes([super().get_object()])[0]
        keep_until_next_meeting_ends(self.request, page.meetings.all(), self.now)
        return page


# Draws by lot ------------------------------------------------------------------------------


class QuotaSerializer(serializers.Serializer):
    category = serializers.CharField()
    category_label = serializers.CharField()
    value = serializers.CharField()
    value_label = serializers.CharField()
    in_pool = serializers.IntegerField(
        allow_null=True,
        help_text=lazy(
            lambda: (
                _(
                    "How many people of the pool gave this answer; null: fewer than %(count)s "
                    "(not published, so as not to point to anyone)."
                )
                % {"count": SMALL_CROWD}
            ),
            str,
        )(),
    )
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)
    drawn = serializers.IntegerField(
        allow_null=True, help_text=_("How many in the panel drawn (null before the draw).")
    )


class SeatSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=SEAT_STATES)
    story = serializers.CharField(help_text=_("Its history, as the draw's page tells it."))


class AlternateSerializer(serializers.Serializer):
    pseudonym = serializers.CharField()
    name = serializers.CharField(
        allow_null=True, help_text=_("Only for a member who agreed to show it; else null.")
    )


class DrawSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The draw's page."))
    file_url = serializers.SerializerMethodField(
        help_text=_("The published file (JSON) anyone can check the draw with.")
    )
    micro_parliament = serializers.SerializerMethodField()
    stage = serializers.ChoiceField(
        source="status",
        choices=STAGE_CHOICES,
        help_text=_(
            "published: its commitment is published, the randomness awaited; drawn; "
            "cancelled (after its publication)."
        ),
    )
    stage_label = serializers.CharField(source="get_status_display")
    pool_size = serializers.SerializerMethodField(help_text=_("People in the frozen pool."))
    panels = serializers.SerializerMethodField(
        help_text=_("How many possible panels the commitment numbered.")
    )
    lowest_chance = serializers.SerializerMethodField(
        help_text=_("The lowest chance of being drawn, in percent.")
    )
    highest_chance = serializers.SerializerMethodField(
        help_text=_("The highest chance of being drawn, in percent.")
    )
    randomness_format = serializers.SerializerMethodField(
        help_text=_("The expected form of the public randomness, in words.")
    )

    class Meta:
        model = Draw
        fields = [
            "id",
            "title",
            "url",
            "file_url",
            "micro_parliament",
            "stage",
            "stage_label",
            "panel_size",
            "pool_size",
            "panels",
            "lowest_chance",
            "highest_chance",
            "commitment",
            "published_at",
            "randomness_source",
            "randomness_format",
            "randomness",
            "panel_number",
            "drawn_at",
            "cancelled_at",
            "cancel_reason",
        ]

    def subpage(self, draw, name):
        page = draw.micro_parliament
        return page.get_full_url(self.context["request"]) + page.reverse_subpage(
            name, args=[draw.pk]
        )

    def get_url(self, draw) -> str:
        return self.subpage(draw, "draw")

    def get_file_url(self, draw) -> str:
        return self.subpage(draw, "draw_file")

    def get_micro_parliament(self, draw) -> ParliamentRefSerializer:
        return {"id": draw.micro_parliament_id, "title": draw.micro_parliament.title}

    def get_pool_size(self, draw) -> int:
        return len(draw.pool_snapshot)

    def get_panels(self, draw) -> int:
        return len(draw.lottery.get("panels", []))

    def _percent(self, value):
        return None if value is None else round(float(value) * 100, 3)

    def get_lowest_chance(self, draw) -> float | None:
        return self._percent(draw.result.get("min_probability"))

    def get_highest_chance(self, draw) -> float | None:
        return self._percent(draw.result.get("max_probability"))

    def get_randomness_format(self, draw) -> str:
        return (
            str(sortition.describe_format(draw.randomness_format)) if draw.randomness_format else ""
        )


def is_drawn(draw):
    return draw.panel_number is not None and bool(draw.selected)


class DrawDetailSerializer(DrawSerializer):
    quotas = serializers.SerializerMethodField(
        help_text=_("For each answer: the pool, the seats it must get, the panel drawn.")
    )
    seats = serializers.SerializerMethodField(help_text=_("Once drawn: each seat's history."))
    alternates = serializers.SerializerMethodField(
        help_text=_("Once drawn: the first alternates, in order (the file has them all).")
    )

    class Meta(DrawSerializer.Meta):
        fields = [*DrawSerializer.Meta.fields, "quotas", "seats", "alternates"]

    def get_quotas(self, draw) -> QuotaSerializer(many=True):
        return [
            {
                "category": row["category"],
                "category_label": str(row["category_label"]),
                "value": row["value"],
                "value_label": str(row["value_label"]),
                "in_pool": row["count"] if row["count"] >= SMALL_CROWD else None,
                "min": row["min"],
                "max": row["max"],
                "drawn": row["drawn"] if is_drawn(draw) else None,
            }
            for row in quota_table(draw)
        ]

    def drawn_panel(self, draw):
        """The seats and the first alternates with the names members agreed to show."""
        found = getattr(draw, "_public_panel", None)
        if found is None:
            seats = invitations.seats(draw) if is_drawn(draw) else []
            alternates = list(draw.alternates[:FIRST_ALTERNATES]) if is_drawn(draw) else []
            names = (
                consented_names(
                    draw, [*(e.pseudonym for seat in seats for e in seat.history), *alternates]
                )
                if seats or alternates
                else {}
            )
            found = draw._public_panel = (seats, alternates, names)
        return found

    def get_seats(self, draw) -> SeatSerializer(many=True):
        seats, _alternates, names = self.drawn_panel(draw)
        return [
            {
                "number": seat.number,
                "state": seat.state,
                "story": strip_tags(seat_story(seat, names)),
            }
            for seat in seats
        ]

    def get_alternates(self, draw) -> AlternateSerializer(many=True):
        _seats, alternates, names = self.drawn_panel(draw)
        return [{"pseudonym": p, "name": names.get(p) or None} for p in alternates]


class DrawFilterSet(filters.FilterSet):
    micro_parliament = id_filter(
        field_name="micro_parliament", label=_("Of this micro-parliament (its id)")
    )
    stage = filters.ChoiceFilter(field_name="status", choices=STAGE_CHOICES, label=_("Stage"))

    class Meta:
        model = Draw
        fields = ["micro_parliament", "stage"]


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("q", exclude=True)]),
)
class DrawViewSet(KindViewSet):
    """The draws by lot the public micro-parliament pages publish, the latest first; in a
    commune, those of the micro-parliaments that serve it. A draw's record is its public
    page: its figures, quotas, commitment and randomness, and once drawn its seats."""

    api_prefix = "draws"
    search_kind = "parliament.search.DrawKind"
    searchable = False
    queryset = Draw.objects.none()
    serializer_class = DrawSerializer
    filterset_class = DrawFilterSet

    def get_serializer_class(self):
        return DrawDetailSerializer if self.action == "retrieve" else DrawSerializer

    def prepare(self, records):
        # Not the audit file (the guarantors'), nor what only the staff's screen reads.
        return records.defer("audit", "freeze_report", "feasibility")
