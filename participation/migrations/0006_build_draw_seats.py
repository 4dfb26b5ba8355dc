"""Seats for the draws drawn before seats existed, from their people's invitations: the
people drawn hold seats 1..k in the order of ``draw.selected``; the alternates already
called go to the seats left empty (declined, or erased), in the order of their answers.
Alternates for whom no seat was empty stay without one (their membership, if any, is kept).

A copy of ``participation.invitations.build_seats`` as it was written with this migration,
so that later changes to the code do not change what the migration does."""

import heapq
import math

from django.db import migrations

NOT_INVITED = ""
HOLDING = ("", "invited", "accepted")


def _time_key(moment, default):
    return moment.timestamp() if moment is not None else default


def _build_seats(draw, seat_model, entrant_model):
    seats = [seat_model.objects.create(draw=draw, number=n) for n in range(1, draw.panel_size + 1)]
    entrants = {e.pseudonym: e for e in entrant_model.objects.filter(draw=draw)}
    turns = {}  # seat number → the last turn given
    empty = []

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
        if p in entrants and entrants[p].invitation != NOT_INVITED
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


def build_seats(apps, schema_editor):
    Draw = apps.get_model("participation", "Draw")
    DrawSeat = apps.get_model("participation", "DrawSeat")
    DrawEntrant = apps.get_model("participation", "DrawEntrant")
    for draw in Draw.objects.exclude(panel_number=None).order_by("pk"):
        if not draw.selected or DrawSeat.objects.filter(draw=draw).exists():
            continue
        _build_seats(draw, DrawSeat, DrawEntrant)


def remove_seats(apps, schema_editor):
    DrawEntrant = apps.get_model("participation", "DrawEntrant")
    DrawSeat = apps.get_model("participation", "DrawSeat")
    DrawEntrant.objects.exclude(seat=None).update(seat=None, turn=None)
    DrawSeat.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_draw_seats"),
    ]

    operations = [
        migrations.RunPython(build_seats, remove_seats),
    ]
