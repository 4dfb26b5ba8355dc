"""Running a draw by lot: the steps and their rules, apart from the views.

Each step moves a :class:`~parliament.models.Draw` forward and only forward, inside a
transaction that locks the draw, and is written in the audit log:

1. prepare: sources, seats per source, categories, quotas (``DRAFT``);
2. :func:`freeze`: the pool is snapshotted under pseudonyms (``FROZEN``);
3. :func:`start_computation`: LEXIMIN runs in a background task (``COMPUTING`` →
   ``COMPUTED``, or back to ``FROZEN`` with an explanation);
4. :func:`publish`: the commitment and the announced source of randomness (``PUBLISHED``);
5. :func:`enter_randomness`: the panel and its alternates (``DRAWN``, final);
6. invitations (:mod:`parliament.invitations`).

:func:`cancel` ends a draw at any step, with a reason. The engine
(:mod:`sortition`) knows nothing of Django.
"""

import math
import secrets
import time
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

import sortition
from participation.api import (
    AGE_BANDS,
    Gender,
    SocialCategory,
    Source,
    Status,
    Volunteer,
    age_band,
)
from sortition.publication import canonical_randomness_of

from . import invitations
from .models import Category, Draw, DrawEntrant, DrawStatus
from .models.draws import SOURCE_CATEGORY, UNKNOWN_VALUE

LOTTERY_PANELS = 1000
# Fewer people than this sharing an answer make a crowd small enough to point to someone:
# the public page says «fewer than 5», and staff are warned before publishing.
SMALL_CROWD = 5
PROGRESS_INTERVAL = 1.0  # seconds between two progress writes


class DrawError(Exception):
    """A step that cannot be taken now; the message is for the user."""


# What each person brings to a draw -------------------------------------------------------


def category_label(category):
    if category == SOURCE_CATEGORY:
        return _("Source")
    return str(dict(Category.choices).get(category, category))


def value_label(category, value):
    """The words a user sees for a value of a category."""
    if value == UNKNOWN_VALUE:
        return _("Not given")
    labels = {
        Category.GENDER: dict(Gender.choices),
        Category.SOCIAL_CATEGORY: dict(SocialCategory.choices),
        Category.AGE_BAND: {key: label for key, label, _low, _high in AGE_BANDS},
        SOURCE_CATEGORY: dict(Source.choices),
    }.get(category, {})
    return str(labels.get(value, value))


def person_value(volunteer, category):
    if category == SOURCE_CATEGORY:
        return Source.VOLUNTEER_LIST.value if volunteer.pool_id is None else volunteer.source
    if category == Category.AGE_BAND:
        value = age_band(volunteer.birth_year)
    elif category == Category.HAMLET:
        value = " ".join((volunteer.hamlet or "").split())
    else:
        value = getattr(volunteer, category, "") or ""
    return value or UNKNOWN_VALUE


def draw_categories(draw):
    """The categories of a draw's quotas: the chosen ones, and the source when seats are set
    per source."""
    categories = [c for c in draw.categories if c in Category.values]
    if draw.seats_per_source:
        categories.append(SOURCE_CATEGORY)
    return categories


def eligible_volunteers(draw):
    """The people a draw may pick, before duplicates are removed."""
    sources = Q(pool__in=draw.pools.all())
    if draw.include_volunteer_list:
        sources |= Q(pool__isnull=True)
    return (
        Volunteer.objects.filter(commune=draw.commune, status=Status.ACTIVE)
        .filter(sources)
        .exclude(membership__left_on__isnull=True, membership__isnull=False)
        .order_by("pk")
    )


def unique_people(volunteers):
    """One entry per person: someone both on the volunteer list and in an imported list
    (same name and year of birth) counts once, as a volunteer. Returns (people, duplicates)."""
    kept, duplicates = {}, 0
    for volunteer in sorted(volunteers, key=lambda v: (v.pool_id is not None, v.pk)):
        key = (volunteer.name_key, volunteer.birth_year)
        if key in kept:
            duplicates += 1
            continue
        kept[key] = volunteer
    return sorted(kept.values(), key=lambda v: v.pk), duplicates


def pool_counts(draw):
    """{category: Counter(value → people)} of the frozen pool, or of today's lists before
    the pool is frozen."""
    categories = draw_categories(draw)
    counts = {category: Counter() for category in categories}
    if draw.frozen_at:
        for person in draw.pool_snapshot:
            for category in categories:
                counts[category][person["features"].get(category, UNKNOWN_VALUE)] += 1
        return counts
    people, _duplicates = unique_people(eligible_volunteers(draw))
    for volunteer in people:
        for category in categories:
            counts[category][person_value(volunteer, category)] += 1
    return counts


def pool_size(draw):
    if draw.frozen_at:
        return len(draw.pool_snapshot)
    return len(unique_people(eligible_volunteers(draw))[0])


def proportional_quotas(draw, counts=None):
    """Quotas close to the pool's shares: for each value, the panel's share rounded down and
    up; seats per source exactly as set; people who gave no answer are not held to a share."""
    counts = counts if counts is not None else pool_counts(draw)
    total = sum(counts[next(iter(counts))].values()) if counts else 0
    quotas = []
    for category, values in counts.items():
        for value, count in sorted(values.items()):
            if category == SOURCE_CATEGORY:
                seats = int(draw.seats_per_source.get(value, 0))
                quotas.append(quota(category, value, seats, seats))
                continue
            share = draw.panel_size * count / total if total else 0
            low = 0 if value == UNKNOWN_VALUE else math.floor(share)
            quotas.append(quota(category, value, low, min(count, math.ceil(share))))
    return quotas


def quota(category, value, low, high):
    return {"category": category, "value": value, "min": int(low), "max": int(high)}


def quota_rows(draw, counts=None):
    """Rows for the quota table: category, value, their labels, pool count, min and max."""
    counts = counts if counts is not None else pool_counts(draw)
    current = {(q["category"], q["value"]): q for q in draw.quotas}
    rows = []
    for category, values in counts.items():
        for value, count in sorted(values.items()):
            if category == SOURCE_CATEGORY:
                seats = int((draw.seats_per_source or {}).get(value, 0))
                chosen = {"min": seats, "max": seats}
            else:
                chosen = current.get((category, value), {})
            rows.append(
                {
                    "category": category,
                    "category_label": category_label(category),
                    "value": value,
                    "value_label": value_label(category, value),
                    "count": count,
                    "min": chosen.get("min"),
                    "max": chosen.get("max"),
                }
            )
    return rows


# The steps ------------------------------------------------------------------------------


def _require(draw, *statuses):
    if draw.status not in statuses:
        raise DrawError(
            _("This step is not possible now: the draw is “%(status)s”.")
            % {"status": draw.get_status_display()}
        )


@transaction.atomic
def freeze(draw, user, rng=None):
    """Snapshot the pool under pseudonyms. From now on, new sign-ups do not enter this draw.

    ``rng`` shuffles the pool before numbering (the system's randomness by default, so that
    pseudonyms tell nothing of the lists' order; the demo passes a seeded one)."""
    draw = draw.locked()
    _require(draw, DrawStatus.DRAFT)
    volunteers = list(eligible_volunteers(draw))
    people, duplicates = unique_people(volunteers)
    if len(people) < draw.panel_size:
        raise DrawError(
            _("The pool has %(people)s people, fewer than the %(seats)s seats to draw.")
            % {"people": len(people), "seats": draw.panel_size}
        )
    categories = draw_categories(draw)
    # Pseudonyms in a random order, so that they tell nothing of the lists' order.
    (rng or secrets.SystemRandom()).shuffle(people)
    width = max(3, len(str(len(people))))
    households = {}
    snapshot, entrants = [], []
    for number, volunteer in enumerate(people, start=1):
        pseudonym = f"P{number:0{width}d}"
        household = None
        if volunteer.household_key:
            household = households.setdefault(
                volunteer.household_key, f"F{len(households) + 1:0{width}d}"
            )
        snapshot.append(
            {
                "id": pseudonym,
                "features": {c: person_value(volunteer, c) for c in categories},
                "household": household,
            }
        )
        entrants.append(DrawEntrant(draw=draw, pseudonym=pseudonym, volunteer=volunteer))
    DrawEntrant.objects.bulk_create(entrants)
    draw.pool_snapshot = snapshot
    draw.freeze_report = {
        "people": len(people),
        "duplicates": duplicates,
        "households": len(households),
    }
    draw.frozen_at = timezone.now()
    draw.status = DrawStatus.FROZEN
    if not draw.quotas:
        draw.quotas = proportional_quotas(draw)
    draw.save()
    log(draw, "mprc.draw_frozen", user=user, data=draw.freeze_report)
    return draw


@transaction.atomic
def save_quotas(draw, quotas, user):
    """Replace the quotas (any computed result is dropped: it was for the old quotas)."""
    draw = draw.locked()
    if not draw.quotas_editable:
        raise DrawError(_("The quotas of this draw can no longer change."))
    draw.quotas = quotas
    if draw.status == DrawStatus.COMPUTED:
        draw.status = DrawStatus.FROZEN
        draw.result, draw.lottery, draw.computed_at = {}, {}, None
    draw.feasibility, draw.error = {}, ""
    draw.save()
    log(draw, "wagtail.edit", user=user, data={"quotas": quotas})
    return draw


def build_instance(draw):
    people = [
        sortition.Person(p["id"], dict(p["features"]), p.get("household"))
        for p in draw.pool_snapshot
    ]
    quotas = [
        sortition.Quota(q["category"], q["value"], int(q["min"]), int(q["max"]))
        for q in draw.quotas
    ]
    return sortition.Instance(people, quotas, draw.panel_size)


def check_feasibility(draw):
    """The engine's feasibility report of the draw's quotas, as stored on the draw."""
    try:
        instance = build_instance(draw)
        instance.validate()
        report = sortition.check(instance)
    except sortition.SortitionError as error:
        return {"feasible": False, "problems": list(error.problems or [str(error)])}
    return {
        "feasible": report.feasible,
        "problems": list(report.problems),
        "relaxation": list(report.relaxation),
        "forced": list(report.forced),
    }


@transaction.atomic
def start_computation(draw, user):
    """Check the quotas, then hand the computation to a background task."""
    draw = draw.locked()
    _require(draw, DrawStatus.FROZEN)
    feasibility = check_feasibility(draw)
    draw.feasibility = feasibility
    if not feasibility["feasible"]:
        draw.error = _("The quotas cannot all be met. See the explanation below.")
        draw.save()
        return draw
    draw.status = DrawStatus.COMPUTING
    draw.progress, draw.progress_message, draw.error = 0, _("Waiting for the computation…"), ""
    draw.save()
    log(draw, "mprc.draw_computation", user=user)
    draw_id = draw.pk
    transaction.on_commit(lambda: _enqueue(draw_id))
    return draw


def _enqueue(draw_id):
    result = compute_draw.enqueue(draw_id)
    Draw.objects.filter(pk=draw_id, task_id="").update(task_id=str(result.id)[:64])


def _progress_writer(draw_id):
    """The engine's two progress callbacks for a draw being computed: ``progress(fraction,
    message)`` (every algorithm) and ``on_progress(Progress)`` (LEXIMIN: the stage and
    the lowest probability so far, which the draw's screen shows while it computes). At
    most one write a second, and every stage's end."""
    last = [0.0]
    stage = [None]  # the latest LEXIMIN summary, which the plain messages do not replace

    def write(fraction, message, now_or_never=False):
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL and fraction < 1 and not now_or_never:
            return
        last[0] = now
        Draw.objects.filter(pk=draw_id, status=DrawStatus.COMPUTING).update(
            progress=max(0.0, min(1.0, float(fraction))), progress_message=str(message)[:300]
        )

    def progress(fraction, message):
        write(fraction, stage[0] or message)

    def on_progress(report):
        stage[0] = report.summary(number=number_format)
        write(report.fraction, stage[0], now_or_never=report.level is None)

    return progress, on_progress


@task()
def compute_draw(draw_id):
    """The LEXIMIN distribution and its lottery of numbered panels (background task)."""
    draw = Draw.objects.filter(pk=draw_id, status=DrawStatus.COMPUTING).first()
    if draw is None:
        return "skipped"
    try:
        instance = build_instance(draw)
        progress, on_progress = _progress_writer(draw_id)
        result = sortition.solve(
            instance, goldilocks=draw.cap_highest, progress=progress, on_progress=on_progress
        )
        lottery = sortition.make_lottery(result, panels=LOTTERY_PANELS)
    except sortition.SortitionError as error:
        outcome = {"status": DrawStatus.FROZEN, "error": str(error)}
        feasibility = getattr(error, "feasibility", None)
        if feasibility is not None:
            outcome["feasibility"] = {
                "feasible": False,
                "problems": list(feasibility.problems),
                "relaxation": list(feasibility.relaxation),
                "forced": list(feasibility.forced),
            }
        Draw.objects.filter(pk=draw_id, status=DrawStatus.COMPUTING).update(**outcome)
        return "failed"
    except Exception:
        Draw.objects.filter(pk=draw_id, status=DrawStatus.COMPUTING).update(
            status=DrawStatus.FROZEN,
            error=_("The computation failed unexpectedly. Please try again or contact support."),
        )
        raise
    summary = result.to_json()
    updated = Draw.objects.filter(pk=draw_id, status=DrawStatus.COMPUTING).update(
        status=DrawStatus.COMPUTED,
        result=summary,
        lottery=lottery,
        progress=1,
        progress_message="",
        computed_at=timezone.now(),
    )
    if updated:
        draw.refresh_from_db()
        log(
            draw,
            "mprc.draw_computed",
            data={
                "min_probability": summary["min_probability"],
                "max_probability": summary["max_probability"],
                "seconds": summary["seconds"],
                "max_deviation": lottery.get("max_deviation"),
            },
        )
    return "computed" if updated else "cancelled"


@transaction.atomic
def publish(draw, randomness_source, randomness_format, user, salt=None):
    """Seal the lottery: the public file with its commitment (which also binds the announced
    source and format of the public randomness) and the guarantors' audit file."""
    draw = draw.locked()
    _require(draw, DrawStatus.COMPUTED)
    source = " ".join((randomness_source or "").split())
    if len(source) < 10:
        raise DrawError(
            _("Describe the public source of randomness precisely (at least 10 characters).")
        )
    try:
        public, audit = sortition.seal(draw.lottery, source, randomness_format, salt=salt)
    except sortition.SortitionError as error:
        raise DrawError(str(error)) from error
    draw.lottery, draw.audit = public, audit
    draw.commitment = public["commitment"]
    draw.randomness_source = source
    draw.randomness_format = randomness_format
    draw.published_at = timezone.now()
    draw.status = DrawStatus.PUBLISHED
    draw.save()
    log(
        draw,
        "mprc.draw_published",
        user=user,
        data={
            "commitment": draw.commitment,
            "randomness_source": source,
            "randomness_format": sortition.describe_format(randomness_format),
        },
    )
    return draw


def canonical_randomness(draw, randomness):
    """The outcome typed by staff, in the canonical form of the draw's committed format;
    ``DrawError`` saying what was expected otherwise."""
    try:
        return canonical_randomness_of(draw.lottery, randomness)
    except sortition.SortitionError as error:
        raise DrawError(str(error)) from error


@transaction.atomic
def enter_randomness(draw, randomness, user):
    """Derive the panel and the ranked alternates from the public randomness. Final."""
    draw = draw.locked()
    _require(draw, DrawStatus.PUBLISHED)
    lottery = dict(draw.lottery)
    try:
        outcome = sortition.draw(lottery, randomness)
    except sortition.SortitionError as error:
        raise DrawError(str(error)) from error
    draw.lottery = lottery
    draw.randomness = outcome["randomness"]
    draw.panel_number = outcome["panel_number"]
    draw.selected = list(outcome["members"])
    draw.alternates = list(outcome["alternates"])
    draw.drawn_at = timezone.now()
    draw.status = DrawStatus.DRAWN
    draw.save()
    invitations.create_seats(draw)
    log(
        draw,
        "mprc.draw_drawn",
        user=user,
        data={"randomness": draw.randomness, "panel_number": draw.panel_number},
    )
    return draw


@transaction.atomic
def cancel(draw, reason, user):
    draw = draw.locked()
    if draw.status == DrawStatus.CANCELLED:
        raise DrawError(_("This draw is already cancelled."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DrawError(_("Give the reason for cancelling the draw."))
    previous = draw.status
    draw.status = DrawStatus.CANCELLED
    draw.cancel_reason = reason
    draw.cancelled_at = timezone.now()
    draw.save()
    log(draw, "mprc.draw_cancelled", user=user, data={"reason": reason, "from": previous})
    return draw


def publication_preview(draw):
    """What publishing makes public, and the answers so rare in the pool that they could
    point to someone (fewer than ``SMALL_CROWD`` people)."""
    counts = pool_counts(draw)
    small = [
        {
            "category": category_label(category),
            "value": value_label(category, value),
            "count": count,
        }
        for category, values in counts.items()
        for value, count in sorted(values.items())
        if 0 < count < SMALL_CROWD and category != SOURCE_CATEGORY
    ]
    return {
        "pool": len(draw.pool_snapshot),
        "panels": len(draw.lottery.get("panels", [])),
        "categories": [category_label(c) for c in counts],
        "small_crowds": small,
    }


# Reading a result -----------------------------------------------------------------------


def probability_report(draw):
    """Per person of the frozen pool: pseudonym, features, probability, sorted by chance."""
    probabilities = draw.result.get("probabilities", {})
    categories = draw_categories(draw)
    rows = []
    for person in draw.pool_snapshot:
        rows.append(
            {
                "id": person["id"],
                "values": [
                    value_label(c, person["features"].get(c, UNKNOWN_VALUE)) for c in categories
                ],
                "household": person.get("household") or "",
                "probability": probabilities.get(person["id"], 0.0),
            }
        )
    rows.sort(key=lambda row: (row["probability"], row["id"]))
    return rows


def quota_table(draw):
    """Quota rows with the pool count, the expected number of seats and, once drawn, the
    panel's count."""
    probabilities = draw.result.get("probabilities", {})
    selected = set(draw.selected)
    rows = quota_rows(draw)
    for row in rows:
        members = [
            p
            for p in draw.pool_snapshot
            if p["features"].get(row["category"], UNKNOWN_VALUE) == row["value"]
        ]
        row["expected"] = sum(probabilities.get(p["id"], 0.0) for p in members)
        row["drawn"] = sum(1 for p in members if p["id"] in selected) if selected else None
    return rows
