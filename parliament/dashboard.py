"""The micro-parliament on the admin dashboard (``ModuleInfo.dashboard_items``): in each
commune's block, where its micro-parliament's cycle stands — the current phase, the next
meeting, the latest draw by lot and its seats.

Every line is computed for all the communes at once: a fixed number of queries however many
communes the dashboard shows.
"""

from collections import defaultdict

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mprc_cms.dashboard import INFO, WARNING, DashboardItem

from .invitations import Seat, holds_seat
from .models import (
    Draw,
    DrawEntrant,
    DrawSeat,
    DrawStatus,
    MicroParliamentPage,
    ParliamentMeeting,
    micro_parliaments_serving,
)

ORDER_PHASE = 10
ORDER_MEETING = 20
ORDER_DRAW = 30

# What the dashboard reads of a draw (not its pool, results or audit file).
DRAW_FIELDS = (
    "pk",
    "commune_id",
    "title",
    "status",
    "panel_size",
    "progress",
    "error",
    "published_at",
    "randomness_source",
    "drawn_at",
    "cancelled_at",
    "created_at",
)


def _date(day):
    return date_format(day, "DATE_FORMAT")


def _moment(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Micro-parliaments ------------------------------------------------------------------------


def _choice_key(page, communes_by_path):
    """A commune served by several micro-parliaments shows one: published before draft,
    its own (under the commune) before a shared one, the newest first."""
    own = page.path[: -page.steplen] in communes_by_path
    return (not page.live, not own, -page.pk)


def parliaments_by_commune(communes, now=None):
    """Map commune pk → the micro-parliament it is served by (see ``served_communes``),
    with its phases and upcoming meetings (``upcoming``) prefetched; four queries."""
    now = now or timezone.now()
    upcoming = ParliamentMeeting.objects.filter(
        Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
    ).order_by("starts_at", "pk")
    candidates = micro_parliaments_serving(
        communes,
        MicroParliamentPage.objects.prefetch_related(
            "phases", Prefetch("meetings", queryset=upcoming, to_attr="upcoming")
        ),
    )
    by_path = {commune.path: commune.pk for commune in communes}
    return {
        commune_pk: min(pages, key=lambda page: _choice_key(page, by_path))
        for commune_pk, pages in candidates.items()
    }


def _page_url(page, user):
    """The page's editor when the user may edit it, else its public page."""
    if page.permissions_for_user(user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=[page.pk])
    return page.url if page.live else ""


def phase_item(commune, page, user, today):
    if page is None:
        return DashboardItem(
            label=_("Micro-parliament"),
            text=_("No micro-parliament yet: create its page"),
            url=reverse(
                "wagtailadmin_pages:add",
                args=("parliament", "microparliamentpage", commune.pk),
            ),
            order=ORDER_PHASE,
        )
    rows = page.phase_rows(today)
    current = page.current_phase(today)
    level = INFO
    if current is not None:
        text = _("%(phase)s, from %(start)s to %(end)s") % {
            "phase": current.get_phase_display(),
            "start": _date(current.starts_on),
            "end": _date(current.ends_on),
        }
    elif ahead := [row["phase"] for row in rows if row["state"] == "ahead"]:
        text = _("Between two phases: %(phase)s starts on %(date)s") % {
            "phase": ahead[0].get_phase_display(),
            "date": _date(ahead[0].starts_on),
        }
    elif rows:
        text = _("The cycle is over: its last phase ended on %(date)s") % {
            "date": _date(max(row["phase"].ends_on for row in rows))
        }
    else:
        text = _("No phase is dated yet: date the cycle's phases")
        level = WARNING
    return DashboardItem(
        label=_("Phase of the cycle"),
        text=text,
        url=_page_url(page, user),
        level=level,
        order=ORDER_PHASE,
    )


def meeting_item(page, user):
    url = _page_url(page, user)
    if not page.upcoming:
        return DashboardItem(
            label=_("Next meeting"),
            text=_("None planned: add the next meeting"),
            url=url,
            order=ORDER_MEETING,
        )
    meeting = page.upcoming[0]
    return DashboardItem(
        label=_("Next meeting"),
        text=_("%(title)s, %(date)s, %(place)s")
        % {"title": meeting.title, "date": _moment(meeting.starts_at), "place": meeting.place},
        url=url,
        order=ORDER_MEETING,
    )


# Draws by lot ------------------------------------------------------------------------------


def latest_draws(communes):
    """Map commune pk → its latest draw (one query)."""
    latest = (
        Draw.objects.filter(commune=OuterRef("commune")).order_by("-created_at", "-pk").values("pk")
    )
    draws = Draw.objects.filter(
        commune__in=[commune.pk for commune in communes], pk=Subquery(latest[:1])
    ).only(*DRAW_FIELDS)
    return {draw.commune_id: draw for draw in draws}


def seats_by_draw(draws, today):
    """Map draw pk → its seats (``invitations.Seat``, with their holder), for drawn draws;
    two queries for all of them."""
    drawn = [draw.pk for draw in draws if draw.status == DrawStatus.DRAWN]
    if not drawn:
        return {}
    seats = {
        seat.pk: Seat(number=seat.number, seat=seat)
        for seat in DrawSeat.objects.filter(draw_id__in=drawn)
    }
    holders = DrawEntrant.objects.filter(draw_id__in=drawn, seat__isnull=False).only(
        "pk", "draw_id", "seat_id", "volunteer_id", "invitation", "answer_by"
    )
    for entrant in holders:
        if holds_seat(entrant, today):
            seats[entrant.seat_id].holder = entrant
    result = defaultdict(list)
    for seat in seats.values():
        result[seat.seat.draw_id].append(seat)
    return result


def seats_text(draw, seats):
    """«3 seats of 12 accepted, 2 waiting for an answer, 1 to replace»; and whether staff
    have something to do (a seat to invite for or to give to an alternate)."""
    states = defaultdict(int)
    for seat in seats:
        states[seat.state] += 1
    parts = [
        ngettext(
            "%(taken)s seat of %(seats)s accepted",
            "%(taken)s seats of %(seats)s accepted",
            states["taken"],
        )
        % {"taken": states["taken"], "seats": len(seats)}
    ]
    if states["waiting"]:
        parts.append(
            ngettext(
                "%(count)s waiting for an answer",
                "%(count)s waiting for an answer",
                states["waiting"],
            )
            % {"count": states["waiting"]}
        )
    if states["to_invite"]:
        parts.append(
            ngettext("%(count)s to invite", "%(count)s to invite", states["to_invite"])
            % {"count": states["to_invite"]}
        )
    if states["empty"]:
        parts.append(
            ngettext("%(count)s to replace", "%(count)s to replace", states["empty"])
            % {"count": states["empty"]}
        )
    return ", ".join(parts), bool(states["to_invite"] or states["empty"])


def draw_state(draw, seats):
    """Where a draw stands, in words, and its level."""
    status = draw.status
    if status == DrawStatus.FROZEN and draw.error:
        return _("pool frozen, the computation failed: see why"), WARNING
    if status == DrawStatus.COMPUTING:
        return _("computing (%(percent)s %%)") % {"percent": round(draw.progress * 100)}, INFO
    if status == DrawStatus.COMPUTED:
        return _("chances computed, commitment to publish"), INFO
    if status == DrawStatus.PUBLISHED:
        if draw.randomness_source:
            return _("commitment published on %(date)s, drawn from: %(source)s") % {
                "date": _date(timezone.localtime(draw.published_at)),
                "source": draw.randomness_source,
            }, INFO
        return _("commitment published on %(date)s") % {
            "date": _date(timezone.localtime(draw.published_at))
        }, INFO
    if status == DrawStatus.DRAWN:
        if seats:
            text, to_do = seats_text(draw, seats)
            return text, WARNING if to_do else INFO
        return _("panel drawn on %(date)s") % {
            "date": _date(timezone.localtime(draw.drawn_at))
        }, INFO
    if status == DrawStatus.CANCELLED and draw.cancelled_at:
        return _("cancelled on %(date)s") % {
            "date": _date(timezone.localtime(draw.cancelled_at))
        }, INFO
    return str(draw.get_status_display()).lower(), INFO


def draw_item(draw, seats, user):
    if draw is None:
        return DashboardItem(
            label=_("Draw by lot"),
            text=_("No draw yet: prepare one"),
            url=reverse("participation_draws:add") if user.has_perm("parliament.add_draw") else "",
            order=ORDER_DRAW,
        )
    state, level = draw_state(draw, seats)
    return DashboardItem(
        label=_("Draw by lot"),
        text=_("%(title)s: %(state)s") % {"title": draw.title, "state": state},
        url=reverse("participation_draws:run", args=[draw.pk]),
        level=level,
        order=ORDER_DRAW,
    )


def items(communes, user, today):
    """Each commune's micro-parliament and latest draw (the draw only for users whose group
    may see draws)."""
    result = {commune.pk: [] for commune in communes}
    parliaments = parliaments_by_commune(communes)
    see_draws = user.has_perm("parliament.view_draw")
    draws = latest_draws(communes) if see_draws else {}
    seats = seats_by_draw(draws.values(), today)
    for commune in communes:
        page = parliaments.get(commune.pk)
        draw = draws.get(commune.pk)
        result[commune.pk].append(phase_item(commune, page, user, today))
        if page is not None:
            result[commune.pk].append(meeting_item(page, user))
        if see_draws and (page is not None or draw is not None):
            seats_of_draw = seats.get(draw.pk, []) if draw else []
            result[commune.pk].append(draw_item(draw, seats_of_draw, user))
    return result
