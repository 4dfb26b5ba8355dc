"""After the draw: the seats, inviting the people drawn, their answers, and calling
alternates.

A drawn panel has ``draw.panel_size`` seats (:class:`~parliament.models.DrawSeat`, made by
:func:`create_seats` when the panel is drawn): seat ``n`` goes to the ``n``-th person of
``draw.selected``. Each seat has a history, the people it was given to in turn
(``DrawEntrant.seat``):

- the person drawn for it is invited (by e-mail, or called by the town hall), then accepts,
  declines, or could not be reached: they may then still answer until a deadline;
- a seat whose holder declined, could not be reached by the deadline, or was erased from the
  lists is *empty*. Only an empty seat is given again, and only to the next alternate of the
  published order (``draw.alternates``): the first one not called yet. Alternates erased
  from the lists are passed over, and that is written in the seat's history too;
- a seat has at most one holder and at most one member, so the members drawn by lot never
  outnumber the seats (database constraints on ``DrawEntrant``).

Every step locks the draw's row (as :mod:`parliament.draws` does), checks the rules and
is written in the audit log with the seat and the pseudonyms; a step the rules refuse raises
:class:`InvitationError` (a message for the user) and changes nothing. A drawn person
answers from the link in their invitation (their personal link's token, under the
micro-parliament's page); the town hall records the answers given on the phone. Accepting
makes the person a member of the micro-parliament, with their name shown publicly only if
they agree.
"""

import heapq
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mprc_cms.tasks import send_templated_email
from participation.api import make_token, read_token

from .models import (
    Draw,
    DrawEntrant,
    DrawSeat,
    DrawStatus,
    InvitationStatus,
    ParliamentMember,
    Role,
)
from .models.draws import HOLDING


def _render_and_send(template, context, to):
    send_templated_email(f"parliament/emails/{template}", context, [to], to_resident=True)


class InvitationError(Exception):
    """An answer or an invitation that is not possible; the message is for the user."""


# Seats ----------------------------------------------------------------------------------


def deadline_passed(entrant, today=None):
    """Whether an unreachable person's last day to answer is over."""
    return entrant.answer_by is not None and (today or timezone.localdate()) > entrant.answer_by


def holds_seat(entrant, today=None):
    """Whether ``entrant`` holds their seat now: drawn or called for it, still on the lists,
    and neither declined nor unreachable past their deadline."""
    if entrant.seat_id is None or entrant.volunteer_id is None:
        return False
    if entrant.invitation in HOLDING:
        return True
    return entrant.invitation == InvitationStatus.UNREACHABLE and not deadline_passed(
        entrant, today
    )


def can_answer(entrant, today=None):
    """Whether an invitation can still be accepted or declined."""
    if entrant.seat_id is None or entrant.volunteer_id is None:
        return False
    if entrant.invitation == InvitationStatus.INVITED:
        return True
    return entrant.invitation == InvitationStatus.UNREACHABLE and not deadline_passed(
        entrant, today
    )


def current_memberships(volunteer_ids):
    """The micro-parliament each of these people sits in now, {volunteer id: member}: a
    person sits in one micro-parliament at a time, so accepting a seat is refused for them
    (see :func:`accept`) until they leave it."""
    return {
        member.volunteer_id: member
        for member in ParliamentMember.objects.filter(
            volunteer_id__in=[pk for pk in volunteer_ids if pk is not None],
            left_on__isnull=True,
        ).select_related("micro_parliament")
    }


def _time_key(moment, default):
    return moment.timestamp() if moment is not None else default


def build_seats(draw):
    """Make a drawn panel's seats: seat ``n`` for the ``n``-th person of ``draw.selected``.

    For a draw whose invitations began before seats existed, the alternates already called
    are put on the seats that were left empty, in the order of their answers (each on the
    seat empty the longest); those for whom no seat was empty stay without one. (Migration
    0006 keeps its own frozen copy of these steps, as Django advises for data
    migrations.)"""
    seats = [DrawSeat.objects.create(draw=draw, number=n) for n in range(1, draw.panel_size + 1)]
    entrants = {e.pseudonym: e for e in DrawEntrant.objects.filter(draw=draw)}
    turns = {}  # seat number → the last turn given
    empty = []  # (when it was left, seat number, seat)

    def left(entrant):
        return entrant.volunteer_id is None or entrant.invitation not in HOLDING

    for seat, pseudonym in zip(seats, draw.selected, strict=False):
        entrant = entrants.get(pseudonym)
        if entrant is None:
            heapq.heappush(empty, (-math.inf, seat.number, seat))
            continue
        entrant.seat, entrant.turn = seat, 1
        entrant.save(update_fields=["seat", "turn"])
        turns[seat.number] = 1
        if left(entrant):
            heapq.heappush(empty, (_time_key(entrant.answered_at, -math.inf), seat.number, seat))
    rank = {pseudonym: number for number, pseudonym in enumerate(draw.alternates)}
    called = [
        entrants[p]
        for p in draw.alternates
        if p in entrants and entrants[p].invitation != InvitationStatus.NOT_INVITED
    ]
    called.sort(
        key=lambda e: (
            _time_key(e.answered_at, math.inf),
            _time_key(e.invited_at, math.inf),
            rank[e.pseudonym],
        )
    )
    for entrant in called:
        if not empty:
            break
        _when, _number, seat = heapq.heappop(empty)
        turns[seat.number] = turns.get(seat.number, 0) + 1
        entrant.seat, entrant.turn = seat, turns[seat.number]
        entrant.save(update_fields=["seat", "turn"])
        if left(entrant):
            heapq.heappush(empty, (_time_key(entrant.answered_at, math.inf), seat.number, seat))
    return seats


def create_seats(draw):
    """Make the seats of a drawn panel, once (idempotent); returns them in order. Called when
    the panel is drawn, and lazily for a draw drawn before seats existed."""
    if not draw.selected:
        draw = Draw.objects.get(pk=draw.pk)
        if not draw.selected:
            return []
    seats = list(DrawSeat.objects.filter(draw_id=draw.pk).order_by("number"))
    if seats:
        return seats
    with transaction.atomic():
        draw = draw.locked()
        seats = list(DrawSeat.objects.filter(draw=draw).order_by("number"))
        return seats or build_seats(draw)


@dataclass
class Seat:
    """A seat and its history, for the screens (see :func:`seats`)."""

    number: int
    seat: DrawSeat
    # Everyone it was given to, in order: the person drawn, then the alternates called.
    history: list = field(default_factory=list)
    holder: DrawEntrant | None = None

    @property
    def state(self):
        """``taken`` (a member holds it), ``waiting`` (for an answer), ``to_invite`` or
        ``empty`` (to give to the next alternate)."""
        holder = self.holder
        if holder is None:
            return "empty"
        if holder.invitation == InvitationStatus.ACCEPTED:
            return "taken"
        if holder.invitation == InvitationStatus.NOT_INVITED:
            return "to_invite"
        return "waiting"

    @property
    def empty(self):
        return self.holder is None

    @property
    def last(self):
        return self.history[-1] if self.history else None


def seats(draw, today=None):
    """The seats of a drawn panel (made if missing), each with its history. Each person of a
    history carries ``rank`` (their rank among the alternates; None for the person drawn),
    ``holds``, ``answerable``, ``sits_elsewhere`` (the membership of another micro-parliament,
    or of this one by an earlier draw, that keeps them from accepting; None) and
    ``may_accept``."""
    today = today or timezone.localdate()
    create_seats(draw)
    rank = {pseudonym: number for number, pseudonym in enumerate(draw.alternates, start=1)}
    rows = {
        seat.pk: Seat(number=seat.number, seat=seat)
        for seat in DrawSeat.objects.filter(draw_id=draw.pk)
    }
    holders = DrawEntrant.objects.filter(draw_id=draw.pk, seat__isnull=False).select_related(
        "volunteer", "seat"
    )
    for entrant in sorted(holders, key=lambda e: (e.turn or 0, rank.get(e.pseudonym, 0))):
        row = rows[entrant.seat_id]
        entrant.rank = rank.get(entrant.pseudonym)
        entrant.holds = holds_seat(entrant, today)
        entrant.answerable = can_answer(entrant, today)
        entrant.deadline_passed = deadline_passed(entrant, today)
        row.history.append(entrant)
        if entrant.holds:
            row.holder = entrant
    answering = [e for row in rows.values() for e in row.history if e.answerable]
    memberships = current_memberships(e.volunteer_id for e in answering)
    for row in rows.values():
        for entrant in row.history:
            entrant.sits_elsewhere = memberships.get(entrant.volunteer_id)
            entrant.may_accept = entrant.answerable and entrant.sits_elsewhere is None
    return sorted(rows.values(), key=lambda row: row.number)


def next_alternate(draw):
    """The alternate the next empty seat goes to: the first of the published order who was
    not called yet and is still on the lists (None when none is left)."""
    waiting = {
        e.pseudonym: e
        for e in DrawEntrant.objects.filter(
            draw_id=draw.pk,
            seat__isnull=True,
            invitation=InvitationStatus.NOT_INVITED,
            volunteer__isnull=False,
        )
        .exclude(pseudonym__in=draw.selected)
        .select_related("volunteer")
    }
    return next((waiting[p] for p in draw.alternates if p in waiting), None)


def alternate_rank(draw, pseudonym):
    """1 for the first alternate of the published order; None for someone who is not one."""
    try:
        return draw.alternates.index(pseudonym) + 1
    except ValueError:
        return None


def drawn_entrants(draw):
    """The panel's people, in pseudonym order, with their person (None once erased)."""
    return list(
        DrawEntrant.objects.filter(draw=draw, pseudonym__in=draw.selected)
        .select_related("volunteer")
        .order_by("pseudonym")
    )


def invitation_url(request, draw, volunteer):
    page = draw.micro_parliament
    return request.build_absolute_uri(
        page.subpage_url(request, "invitation", make_token(volunteer))
    )


# The steps ------------------------------------------------------------------------------


def _open_draw(draw):
    """The draw, locked, drawn and with its seats; or ``InvitationError``."""
    draw = draw.locked()
    if draw.status != DrawStatus.DRAWN:
        raise InvitationError(_("Invitations are sent once the panel is drawn."))
    create_seats(draw)
    return draw


def _locked_entrant(draw, entrant):
    # Lock the entrant row only: its person and seat sit on the nullable side of the joins.
    return (
        DrawEntrant.objects.select_for_update(of=("self",))
        .select_related("volunteer", "seat")
        .get(pk=entrant.pk, draw=draw)
    )


def _seat_data(entrant, **data):
    return {"seat": entrant.seat.number, "pseudonym": entrant.pseudonym, **data}


def _long_date(day):
    return formats.date_format(day, "DATE_FORMAT")


def _check_answerable(entrant):
    """Refuse an answer (accepted or declined) that the seat's rules do not allow."""
    if entrant.volunteer_id is None:
        raise InvitationError(_("This person was erased from the lists."))
    if entrant.seat_id is None:
        raise InvitationError(
            _(
                "%(pseudonym)s holds no seat: only the people drawn, and the alternates "
                "called in turn for an empty seat, are invited."
            )
            % {"pseudonym": entrant.pseudonym}
        )
    if entrant.invitation == InvitationStatus.NOT_INVITED:
        raise InvitationError(
            _("%(pseudonym)s has not been invited yet.") % {"pseudonym": entrant.pseudonym}
        )
    if entrant.invitation == InvitationStatus.UNREACHABLE and deadline_passed(entrant):
        raise InvitationError(
            _("The last day to answer was %(date)s: the seat now goes to the next alternate.")
            % {"date": _long_date(entrant.answer_by)}
        )
    if not can_answer(entrant):
        raise InvitationError(_("This invitation has already been answered."))


def invite(request, draw, entrants, user, send=True):
    """Invite people drawn who hold their seat and were not invited yet: an e-mail to those
    who have an address (unless ``send`` is false: the demo sends none); the others are to
    be called by the town hall. Returns (e-mailed, to call)."""
    draw, invited = _mark_invited(draw, entrants, user)
    emailed, to_call = 0, 0
    for entrant in invited:
        if entrant.volunteer.email:
            if send:
                _send_invitation(request, draw, entrant)
            emailed += 1
        else:
            to_call += 1
    return emailed, to_call


@transaction.atomic
def _mark_invited(draw, entrants, user):
    draw = _open_draw(draw)
    now = timezone.now()
    invited = []
    candidates = (
        DrawEntrant.objects.select_for_update(of=("self",))
        .select_related("volunteer", "seat")
        .filter(draw=draw, pk__in=[e.pk for e in entrants])
        .order_by("seat__number", "pseudonym")
    )
    for entrant in candidates:
        if not holds_seat(entrant) or entrant.invitation != InvitationStatus.NOT_INVITED:
            continue
        entrant.invitation = InvitationStatus.INVITED
        entrant.invited_at = now
        entrant.save(update_fields=["invitation", "invited_at"])
        invited.append(entrant)
    if invited:
        emailed = sum(1 for e in invited if e.volunteer.email)
        log(
            draw,
            "mprc.draw_invited",
            user=user,
            data={
                "emailed": emailed,
                "to_call": len(invited) - emailed,
                "seats": [_seat_data(e) for e in invited],
            },
        )
    return draw, invited


def _send_invitation(request, draw, entrant):
    volunteer = entrant.volunteer
    context = {
        "volunteer": volunteer,
        "draw": draw,
        "page": draw.micro_parliament,
        "commune": draw.commune,
        "invitation_url": invitation_url(request, draw, volunteer),
    }
    _render_and_send("invitation", context, volunteer.email)


def entrant_for_token(page, token):
    """The pending or answered invitation a personal link opens under this page, or None."""
    public_id = read_token(token)
    if public_id is None:
        return None
    entrant = (
        DrawEntrant.objects.filter(
            volunteer__public_id=public_id,
            draw__micro_parliament=page,
            draw__status=DrawStatus.DRAWN,
        )
        .exclude(invitation=InvitationStatus.NOT_INVITED)
        .select_related("draw", "volunteer")
        .order_by("-draw__drawn_at")
        .first()
    )
    if entrant is not None and entrant.seat_id is None and create_seats(entrant.draw):
        entrant.refresh_from_db(fields=["seat"])
    return entrant


def default_public_name(volunteer):
    """First name and initial: enough for the public page, if the person agrees."""
    initial = (volunteer.last_name or "")[:1]
    return f"{volunteer.first_name} {initial}.".strip() if initial else volunteer.first_name


@transaction.atomic
def accept(entrant, show_name=False, public_name="", user=None):
    draw = _open_draw(entrant.draw)
    entrant = _locked_entrant(draw, entrant)
    _check_answerable(entrant)
    members = DrawEntrant.objects.filter(
        draw=draw, invitation=InvitationStatus.ACCEPTED, volunteer__isnull=False
    )
    if members.filter(seat=entrant.seat).exists():
        raise InvitationError(
            _("Seat %(number)s is already taken.") % {"number": entrant.seat.number}
        )
    if members.count() >= draw.panel_size:
        raise InvitationError(
            _("All the %(seats)s seats are already taken.") % {"seats": draw.panel_size}
        )
    volunteer = entrant.volunteer
    # A person is a member of one micro-parliament at a time; a former member (who left)
    # may be drawn again, and their membership record then follows them.
    former = ParliamentMember.objects.select_for_update().filter(volunteer=volunteer).first()
    if former is not None and former.left_on is None:
        raise InvitationError(
            _(
                "%(pseudonym)s is already a member of the micro-parliament “%(name)s”: "
                "a person sits in one micro-parliament at a time."
            )
            % {"pseudonym": entrant.pseudonym, "name": former.micro_parliament.title}
        )
    entrant.invitation = InvitationStatus.ACCEPTED
    entrant.answered_at = timezone.now()
    entrant.save(update_fields=["invitation", "answered_at"])
    fields = {
        "micro_parliament": draw.micro_parliament,
        "commune": draw.commune,
        "name": (public_name or "").strip()[:150] or default_public_name(volunteer),
        "role": Role.DRAWN_RESIDENT,
        "organisation": "",
        "show_name": bool(show_name),
        "draw": draw,
    }
    if former is None:
        member = ParliamentMember.objects.create(volunteer=volunteer, **fields)
    else:
        for name, value in fields.items():
            setattr(former, name, value)
        former.joined_on, former.left_on = timezone.localdate(), None
        former.save()
        member = former
    log(draw, "mprc.invitation_accepted", user=user, data=_seat_data(entrant))
    return member


@transaction.atomic
def decline(entrant, user=None, request=None):
    draw = _open_draw(entrant.draw)
    entrant = _locked_entrant(draw, entrant)
    _check_answerable(entrant)
    entrant.invitation = InvitationStatus.DECLINED
    entrant.answered_at = timezone.now()
    entrant.save(update_fields=["invitation", "answered_at"])
    log(draw, "mprc.invitation_declined", user=user, data=_seat_data(entrant))
    if user is None:
        _tell_town_hall(draw)
    return entrant


@transaction.atomic
def mark_unreachable(entrant, answer_by, user):
    """The town hall could not reach someone invited: they may still answer until
    ``answer_by`` (a date, that day included); after it, their seat is empty."""
    draw = _open_draw(entrant.draw)
    entrant = _locked_entrant(draw, entrant)
    if entrant.volunteer_id is None:
        raise InvitationError(_("This person was erased from the lists."))
    if entrant.seat_id is None or entrant.invitation != InvitationStatus.INVITED:
        raise InvitationError(
            _("Only someone invited who has not answered yet can be recorded as unreachable.")
        )
    if answer_by is None:
        raise InvitationError(_("Give the last day to answer."))
    invited_on = timezone.localdate(entrant.invited_at) if entrant.invited_at else None
    if invited_on is not None and answer_by < invited_on:
        raise InvitationError(
            _("The last day to answer cannot come before the invitation (%(date)s).")
            % {"date": _long_date(invited_on)}
        )
    entrant.invitation = InvitationStatus.UNREACHABLE
    entrant.answer_by = answer_by
    entrant.save(update_fields=["invitation", "answer_by"])
    log(
        draw,
        "mprc.invitation_unreachable",
        user=user,
        data=_seat_data(entrant, answer_by=answer_by.isoformat()),
    )
    return entrant


def invite_next_alternate(request, draw, number, user, expected=None, send=True):
    """Give the empty seat ``number`` to the next alternate and invite them (by e-mail when
    they have an address and ``send`` is true). ``expected``: the alternate the screen
    offered; anyone else is refused. Returns the alternate."""
    draw, entrant = call_next_alternate(draw, number, user, expected=expected)
    if send and entrant.volunteer.email:
        _send_invitation(request, draw, entrant)
    return entrant


@transaction.atomic
def call_next_alternate(draw, number, user, expected=None):
    """The seat-giving step of :func:`invite_next_alternate`, without the e-mail: the seat
    must be empty, and it goes to the first alternate of the published order not called yet
    (those erased from the lists before are passed over, in the seat's history)."""
    draw = _open_draw(draw)
    seat = None
    if isinstance(number, int) and 1 <= number <= draw.panel_size:
        seat = DrawSeat.objects.filter(draw=draw, number=number).first()
    if seat is None:
        raise InvitationError(_("This draw has no seat %(number)s.") % {"number": number})
    today = timezone.localdate()
    history = list(DrawEntrant.objects.select_for_update().filter(seat=seat).order_by("turn"))
    holder = next((e for e in history if holds_seat(e, today)), None)
    if holder is not None:
        raise InvitationError(
            _(
                "Seat %(number)s is not empty: %(pseudonym)s holds it. An alternate is "
                "called only for a seat whose holder declined, could not be reached in time "
                "or was erased from the lists."
            )
            % {"number": number, "pseudonym": holder.pseudonym}
        )
    waiting = {
        e.pseudonym: e
        for e in DrawEntrant.objects.select_for_update(of=("self",))
        .select_related("volunteer")
        .filter(draw=draw, seat__isnull=True, invitation=InvitationStatus.NOT_INVITED)
        .exclude(pseudonym__in=draw.selected)
    }
    passed_over, chosen = [], None
    for pseudonym in draw.alternates:
        entrant = waiting.get(pseudonym)
        if entrant is None:
            continue
        if entrant.volunteer_id is None:
            passed_over.append(entrant)
            continue
        chosen = entrant
        break
    if chosen is None:
        raise InvitationError(_("No alternate is left to call."))
    if expected is not None and expected.pk != chosen.pk:
        raise InvitationError(
            _(
                "Only the next alternate of the published order can be invited: "
                "%(pseudonym)s (alternate no. %(rank)s)."
            )
            % {"pseudonym": chosen.pseudonym, "rank": alternate_rank(draw, chosen.pseudonym)}
        )
    turn = max((e.turn or 0 for e in history), default=0)
    for entrant in passed_over:
        turn += 1
        entrant.seat, entrant.turn = seat, turn
        entrant.invitation = InvitationStatus.SKIPPED
        entrant.save(update_fields=["seat", "turn", "invitation"])
        log(
            draw,
            "mprc.alternate_skipped",
            user=user,
            data=_seat_data(entrant, rank=alternate_rank(draw, entrant.pseudonym)),
        )
    chosen.seat, chosen.turn = seat, turn + 1
    chosen.invitation = InvitationStatus.INVITED
    chosen.invited_at = timezone.now()
    chosen.save(update_fields=["seat", "turn", "invitation", "invited_at"])
    refused = [e for e in history if e.invitation != InvitationStatus.SKIPPED]
    log(
        draw,
        "mprc.alternate_invited",
        user=user,
        data=_seat_data(
            chosen,
            rank=alternate_rank(draw, chosen.pseudonym),
            replaces=refused[-1].pseudonym if refused else "",
            emailed=bool(chosen.volunteer.email),
        ),
    )
    return draw, chosen


def _tell_town_hall(draw):
    """Someone declined online: the town hall calls the next alternate. No personal data in
    the e-mail: staff open the draw in the admin."""
    commune = draw.commune
    if not commune.email:
        return
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "participation_draws:run", args=[draw.pk]
    )
    context = {"draw": draw, "commune": commune, "admin_url": admin_url}
    _render_and_send("invitation_declined", context, commune.email)
