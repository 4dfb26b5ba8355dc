"""The micro-parliaments of the demo network, and their draws by lot.

- Every micro-parliament page first explains how it works (its body: who sits in it, the
  cycle of three months, frequent questions): the one page residents read about it.
- The first commune with volunteers and an electoral roll gets its own micro-parliament, in
  the co-construction phase of its cycle: phases, meetings (past ones with their minutes,
  the first one's also as a PDF, upcoming ones with their agenda), priorities linked to the
  commune's projects when the project catalogue is installed, elected officials, local
  actors, a facilitator and a guarantor.
- Its residents were drawn by lot a few days before the cycle began, through the real steps
  of :mod:`parliament.draws` (freeze, quotas, LEXIMIN, commitment, public randomness),
  then invited: most accepted, one declined and an alternate took the seat.
- A micro-parliament under the network home serves three other communes; its first cycle
  starts in a few weeks, and one of its communes has a draw ready to be run by its staff.
- Every other commune of the demo gets a micro-parliament page that explains and announces
  its first cycle, unless it still has the separate explanation page of older demos.

Deterministic: the pseudonyms of the frozen pool come from a seeded shuffle and the past
steps carry the dates they would have had (see :func:`_clock`). Idempotent: what exists
(a page by its slug, a draw by its title, the members of a page) is left as it is.
Loaded after the volunteer list's demo (:func:`participation.demo.load`), whose people
it draws.
"""

import contextlib
import datetime
import random
import time
import uuid
import zlib
from unittest import mock

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.documents.models import Document
from wagtail.log_actions import log
from wagtail.models import Page

import sortition
from home.demo_media import minutes_pdf
from home.onboarding import create_and_publish, get_network_home
from participation.api import Pool, Source, Status, Volunteer, demo_people
from participation.api import demo_communes as volunteer_list_communes

from . import demo_content, draws, invitations
from .models import (
    Draw,
    DrawEntrant,
    DrawStatus,
    InvitationStatus,
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    ParliamentPhase,
    ParliamentPriority,
    Role,
)
from .models.draws import SOURCE_CATEGORY

# Days between the Loto draw that gave the randomness and the start of the cycle.
DRAW_BEFORE_CYCLE = 12


# Dates -------------------------------------------------------------------------------------


def _day(today, offset):
    return today + datetime.timedelta(days=offset)


def _on_weekday(day, weekday):
    """``day`` or the first day after it that falls on ``weekday`` (0 = Monday)."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _moment(day, hour_minute):
    hour, minute = (int(part) for part in hour_minute.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _french_date(day):
    """« samedi 14 novembre 2026 »."""
    with translation.override("fr"):
        return date_format(day, "l j F Y")


def _cycle_name(cycle, first_day):
    return f"{cycle} — {demo_content.SEASONS[first_day.month]} {first_day.year}"


def _in_title(cycle_name):
    """« Cycle 2 — automne 2026 » → « cycle 2, automne 2026 », for a draw's title."""
    return (cycle_name[:1].lower() + cycle_name[1:]).replace(" — ", ", ")


@contextlib.contextmanager
def _clock(moment):
    """Take a step as if it happened at ``moment`` (plus the time it really takes), so that
    the draw, its audit log and the answers to the invitations carry coherent past dates:
    the commitment is published before the Loto draw whose numbers it uses."""
    started = time.monotonic()

    def now():
        return moment + datetime.timedelta(seconds=time.monotonic() - started)

    with mock.patch("django.utils.timezone.now", now):
        yield


# Pages -------------------------------------------------------------------------------------


def _phases(config, today):
    return [
        ParliamentPhase(
            phase=phase,
            starts_on=_day(today, first),
            ends_on=_day(today, last),
            description=description,
            sort_order=number,
        )
        for number, (phase, first, last, description) in enumerate(config["phases"])
    ]


def _how_it_works(who, where):
    """The body of a micro-parliament page: what it is, its cycle, frequent questions."""
    blocks = []
    for block_type, value in demo_content.HOW_IT_WORKS:
        if block_type == "paragraph":
            value = value.format(who=who, where=where)
        elif block_type == "faq":
            value = {
                "heading": value["heading"],
                "items": [{"question": q, "answer": a} for q, a in value["items"]],
            }
        blocks.append({"type": block_type, "value": value})
    return blocks


def _minutes_document(commune):
    """The minutes of the first meeting as a PDF, in the commune's collection."""
    title = f"Compte rendu — séance 1 — {commune.title}"
    document = Document.objects.filter(title=title).first()
    if document is None:
        lines = [line.format(commune=commune.title) for line in demo_content.MINUTES_LINES]
        document = Document(title=title, collection=commune.collection)
        document.file.save(
            f"compte-rendu-{commune.insee_code}.pdf",
            ContentFile(minutes_pdf(title, lines)),
            save=False,
        )
        document.save()
    return document


def _meetings(config, today, key, minutes_document=None, **names):
    meetings = []
    for number, meeting in enumerate(config["meetings"]):
        title, offset, weekday, start, end, place, agenda, minutes = meeting
        day = _on_weekday(_day(today, offset), weekday)
        meetings.append(
            ParliamentMeeting(
                # A stable identifier, so that calendars see the same event on every build.
                uid=uuid.uuid5(uuid.NAMESPACE_URL, f"mprc-demo:{key}:{title}"),
                title=title,
                starts_at=_moment(day, start),
                ends_at=_moment(day, end),
                place=place.format(**names),
                agenda=agenda,
                minutes=minutes if day < today else "",
                minutes_document=minutes_document if number == 0 and day < today else None,
                sort_order=number,
            )
        )
    return meetings


def _project_pages(commune):
    """The commune's live projects when the project catalogue is installed, else none."""
    if not apps.is_installed("project_catalog"):
        return []
    ProjectPage = apps.get_model("project_catalog", "ProjectPage")
    return list(ProjectPage.objects.live().descendant_of(commune).order_by("path"))


def _priorities(config, commune):
    projects = _project_pages(commune)
    priorities = []
    for number, (title, description, word) in enumerate(config["priorities"]):
        project = next((p for p in projects if word and word in p.slug), None)
        priorities.append(
            ParliamentPriority(
                title=title, description=description, project=project, sort_order=number
            )
        )
    return priorities


def _page(parent, config, fields):
    """The micro-parliament page of ``config`` under ``parent``, created with ``fields()``
    and published if missing. Returns (page, created)."""
    page = MicroParliamentPage.objects.child_of(parent).filter(slug=config["slug"]).first()
    if page is not None:
        return page.specific, False
    page = MicroParliamentPage(
        title=config["title"], slug=config["slug"], show_in_menus=True, **fields()
    )
    create_and_publish(parent, page)
    return page, True


def _explained_elsewhere(commune):
    """Whether the commune still has the separate page «Le micro-parlement» of older demos:
    its explanation then stays there and is not written a second time."""
    slug = demo_content.FORMER_EXPLANATION_SLUG
    return Page.objects.child_of(commune).filter(slug=slug).exists()


def _commune_parliament(commune, today):
    config = demo_content.PARLIAMENT
    first_day = _day(today, config["phases"][0][1])

    def fields():
        explained = _explained_elsewhere(commune)
        return {
            "intro": config["intro"].format(commune=commune.title),
            "body": [] if explained else _how_it_works(demo_content.WHO, config["where"]),
            "mandate": config["mandate"],
            "cycle_name": _cycle_name(config["cycle"], first_day),
            "phases": _phases(config, today),
            "meetings": _meetings(
                config,
                today,
                f"{commune.insee_code}/{config['slug']}",
                minutes_document=_minutes_document(commune),
            ),
            "priorities": _priorities(config, commune),
        }

    page, _created = _page(commune, config, fields)
    if not page.members.exclude(role=Role.DRAWN_RESIDENT).exists():
        people = demo_people(commune, "micro-parlement", commune.hamlet_list(), today)
        for role, gender, organisation in config["members"]:
            person = people.person(gender=gender)
            ParliamentMember.objects.create(
                micro_parliament=page,
                commune=commune,
                name=f"{person['first_name']} {person['last_name']}",
                role=role,
                organisation=organisation,
                show_name=True,
                joined_on=first_day,
            )
    return page


def _list_names(names):
    return ", ".join(names[:-1]) + " et " + names[-1] if len(names) > 1 else "".join(names)


def _shared_parliament(communes, first, today):
    """The micro-parliament of two or three communes, under the network home."""
    config = demo_content.SHARED_PARLIAMENT
    by_insee = {commune.insee_code: commune for commune in communes}
    served = [by_insee[code] for code in config["communes"] if code in by_insee]
    served = [commune for commune in served if commune != first]
    if len(served) < 2:
        served = [c for c in communes[: len(volunteer_list_communes())] if c != first][:3]
    if len(served) < 2:
        return None
    first_day = _day(today, config["phases"][0][1])
    page, _created = _page(
        get_network_home(),
        config,
        lambda: {
            "intro": config["intro"].format(communes=_list_names([c.title for c in served])),
            "body": _how_it_works(demo_content.WHO_SHARED, config["where"]),
            "mandate": config["mandate"],
            "cycle_name": _cycle_name(config["cycle"], first_day),
            "communes": served,
            "phases": _phases(config, today),
            "meetings": _meetings(config, today, config["slug"], commune=served[0].title),
        },
    )
    return page


def _upcoming_parliaments(communes):
    """A page for each demo commune that has no micro-parliament yet, neither its own nor a
    shared one: how it works, and the first cycle being prepared."""
    config = demo_content.UPCOMING_PARLIAMENT
    for commune in communes:
        if commune.insee_code not in volunteer_list_communes():
            continue  # the communes added by --scale get none
        has_one = MicroParliamentPage.objects.child_of(commune).exists()
        if has_one or MicroParliamentPage.objects.filter(communes=commune).exists():
            continue
        if _explained_elsewhere(commune):
            continue
        _page(
            commune,
            config,
            lambda commune=commune: {
                "intro": config["intro"].format(commune=commune.title),
                "body": _how_it_works(demo_content.WHO, config["where"]),
            },
        )


# Draws -------------------------------------------------------------------------------------


def _has_lists(commune):
    """Whether a commune has confirmed volunteers and an extract of the electoral roll."""
    volunteers = Volunteer.objects.filter(
        commune=commune, source=Source.VOLUNTEER_LIST, status=Status.ACTIVE
    )
    return volunteers.exists() and _roll(commune).exists()


def _roll(commune):
    return Pool.objects.filter(commune=commune, source=Source.ELECTORAL_ROLL).order_by("pk")


def _staff(commune):
    """The commune's secretariat account of the demo, which runs the draw (None without)."""
    group = commune.editors_group
    return group.user_set.filter(is_active=True).order_by("pk").first() if group else None


def _new_draw(page, commune, config, title, user):
    """A draw in preparation, as staff create it in the admin: the volunteer list and the
    electoral roll, seats per source when both lists are big enough."""
    draw = Draw.objects.create(
        commune=commune,
        micro_parliament=page,
        title=title,
        panel_size=config["panel_size"],
        include_volunteer_list=True,
        seats_per_source=dict(config["seats"]),
        categories=list(config["categories"]),
        cap_highest=config.get("cap_highest", False),
    )
    draw.pools.set(_roll(commune))
    people = draws.pool_counts(draw)[SOURCE_CATEGORY]
    if any(people.get(source, 0) < seats for source, seats in config["seats"].items()):
        draw.seats_per_source = {}
        draw.save(update_fields=["seats_per_source"])
    log(draw, "wagtail.create", user=user)
    return draw


def _completed_draw(page, commune, stdout):
    """Run the draw of the micro-parliament's residents through every real step, dated a
    few days before the cycle began."""
    config = demo_content.DRAW
    title = config["title"].format(cycle=_in_title(page.cycle_name))
    if Draw.objects.filter(micro_parliament=page, title=title).exists():
        return None
    staff = _staff(commune)
    first_day = page.phases.order_by("starts_on").first().starts_on
    loto_day = _day(first_day, -DRAW_BEFORE_CYCLE)
    loto_day = _day(loto_day, -((loto_day.weekday() - 5) % 7))  # the Saturday before

    with _clock(_moment(_day(loto_day, -5), "10:00")):
        draw = _new_draw(page, commune, config, title, staff)
        try:
            # Seeded, so that the demo draws the same pseudonyms, hence the same panel, on
            # every build.
            seed = zlib.crc32(f"{commune.insee_code}/tirage".encode())
            draw = draws.freeze(draw, staff, rng=random.Random(seed))
        except draws.DrawError as error:  # too few people: the draw stays in preparation
            if stdout is not None:
                stdout.write(f"Tirage « {draw.title} » non lancé : {error}")
            return draw
    with _clock(_moment(_day(loto_day, -5), "10:20")):
        draw = draws.save_quotas(draw, draws.proportional_quotas(draw), staff)
    with _clock(_moment(_day(loto_day, -5), "10:25")):
        draw = draws.start_computation(draw, staff)
        if draw.status == DrawStatus.COMPUTING:
            # The demo's task queue has no worker yet: compute now. The task enqueued when
            # the transaction commits finds the draw computed and skips it.
            started = time.perf_counter()
            draws.compute_draw.call(draw.pk)
            seconds = time.perf_counter() - started
            draw.refresh_from_db()
    if draw.status != DrawStatus.COMPUTED:
        if stdout is not None:
            stdout.write(f"Tirage « {draw.title} » non calculé : {draw.error}")
        return draw
    if stdout is not None:
        stdout.write(
            f"Tirage « {draw.title} » : {len(draw.pool_snapshot)} personnes, "
            f"{draw.panel_size} sièges, calculé en {_decimal(seconds)} s (chance la plus "
            f"faible {_decimal(100 * draw.result['min_probability'])} %, la plus forte "
            f"{_decimal(100 * draw.result['max_probability'])} %)."
        )

    source = config["randomness_source"].format(day=_french_date(loto_day))
    with _clock(_moment(_day(loto_day, -4), "17:00")):
        # Seeded salts too: the same commitment on every build (a real draw uses the
        # system's randomness).
        salts = random.Random(zlib.crc32(f"{commune.insee_code}/sels".encode()))
        draw = draws.publish(
            draw,
            source,
            sortition.public_draw_format("loto"),
            staff,
            salt=lambda: f"{salts.getrandbits(128):032x}",
        )
    with _clock(_moment(_day(loto_day, 2), "09:30")):
        draw = draws.enter_randomness(draw, config["randomness"], staff)
    _answer_invitations(draw, staff, _day(loto_day, 2))
    return draw


def _invite(draw, entrants, user):
    """``invitations.invite`` without its e-mails: a demo sends none."""
    invitations.invite(None, draw, entrants, user, send=False)


def _accept(entrant, day, show_name, staff):
    """Someone with an e-mail address answers online; the town hall records the others'
    answers, given on the phone."""
    online = bool(entrant.volunteer.email)
    with _clock(_moment(day, "20:15" if online else "10:40")):
        invitations.accept(entrant, show_name=show_name, user=None if online else staff)


def _answer_invitations(draw, staff, day):
    """Everyone drawn is invited; all accept but one person from the electoral roll, who
    declines on the phone; their seat goes to the first alternate, who accepts: the public
    draw page shows that seat's history."""
    # The seats are made when the panel is drawn; this call does nothing when they exist.
    invitations.create_seats(draw)
    entrants = [e for e in invitations.drawn_entrants(draw) if e.volunteer is not None]
    with _clock(_moment(day, "14:00")):
        _invite(draw, entrants, staff)
    from_roll = [e for e in entrants if e.volunteer.pool_id is not None]
    declining = (from_roll or entrants)[-1]
    for number, entrant in enumerate(entrants):
        if entrant != declining:
            _accept(entrant, _day(day, 1 + number % 4), number % 3 != 2, staff)
    with _clock(_moment(_day(day, 3), "11:00")):
        declining = invitations.decline(declining, user=staff)
    with _clock(_moment(_day(day, 3), "11:30")):
        try:
            _draw, alternate = invitations.call_next_alternate(draw, declining.seat.number, staff)
        except invitations.InvitationError:  # no alternate left
            return
    _accept(alternate, _day(day, 5), True, staff)


def _draft_draw(page, communes):
    """A draw left at its first step, for the staff of one of the shared micro-parliament's
    communes to try."""
    config = demo_content.DRAFT_DRAW
    served = page.served_communes()
    commune = next((c for c in served if c.insee_code == config["commune"]), None)
    commune = commune or next((c for c in served if _has_lists(c)), None)
    if commune is None or not _has_lists(commune):
        return None
    title = config["title"].format(commune=commune.title, cycle=_in_title(page.cycle_name))
    if Draw.objects.filter(micro_parliament=page, commune=commune, title=title).exists():
        return None
    return _new_draw(page, commune, config, title, _staff(commune))


# Entry points ------------------------------------------------------------------------------


def load(communes, stdout=None, scale=1):
    """The module's demo loader (``ModuleInfo.demo_loader``), after the volunteer list's."""
    today = timezone.localdate()
    communes = list(communes)
    first = next((commune for commune in communes if _has_lists(commune)), None)
    if first is not None:
        page = _commune_parliament(first, today)
        _completed_draw(page, first, stdout)
    shared = _shared_parliament(communes, first, today)
    if shared is not None:
        _draft_draw(shared, communes)
    _upcoming_parliaments(communes)
    if stdout is not None:
        stdout.write(summary())


def _decimal(number):
    return f"{number:.1f}".replace(".", ",")


def _count(number, singular, plural):
    return f"{number} {singular if number < 2 else plural}"


def summary():
    members = ParliamentMember.objects.filter(left_on__isnull=True)
    drawn_members = members.filter(role=Role.DRAWN_RESIDENT).count()
    all_draws = Draw.objects.all()
    done = all_draws.filter(status=DrawStatus.DRAWN).count()
    draft = all_draws.filter(status=DrawStatus.DRAFT).count()
    accepted = DrawEntrant.objects.filter(invitation=InvitationStatus.ACCEPTED).count()
    return (
        f"Micro-parlements : {_count(MicroParliamentPage.objects.count(), 'page', 'pages')}, "
        f"{_count(members.count(), 'membre', 'membres')} (dont "
        f"{_count(drawn_members, 'tiré au sort', 'tirés au sort')}), "
        f"{_count(all_draws.count(), 'tirage au sort', 'tirages au sort')} "
        f"({_count(done, 'terminé', 'terminés')}, {draft} en préparation), "
        f"{_count(accepted, 'invitation acceptée', 'invitations acceptées')}."
    )
