"""The micro-parliament page's views (routes of MicroParliamentPage): public, no account.

- the page itself: mandate, cycle, members, meetings, priorities, draws;
- its meetings as an iCalendar feed;
- each published draw: what anyone needs to check it, and its file;
- the invitation a drawn resident answers from their personal link.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail.models import Page

import sortition
from mprc_cms import page_cache
from mprc_cms.modules import reachable_pages
from mprc_cms.views import json_download, private

from . import invitations
from .draws import SMALL_CROWD, quota_table
from .forms import InvitationAnswerForm
from .ical import calendar_bytes
from .models import Draw, DrawEntrant, DrawStatus, InvitationStatus, Role

FIRST_ALTERNATES = 10

# Headings of the members' groups, in the order the page shows them.
ROLE_GROUPS = [
    (Role.DRAWN_RESIDENT, gettext_lazy("Residents drawn by lot")),
    (Role.ELECTED, gettext_lazy("Elected officials")),
    (Role.LOCAL_ACTOR, gettext_lazy("Local actors")),
    (Role.COORDINATOR, gettext_lazy("Coordination")),
    (Role.FACILITATOR, gettext_lazy("Facilitation")),
    (Role.GUARANTOR, gettext_lazy("Guarantors")),
]


def _render(request, page, template, context=None, status=200):
    context = {"page": page, "self": page, **(context or {})}
    return TemplateResponse(request, f"parliament/{template}", context, status=status)


# The page ---------------------------------------------------------------------------------


def member_groups(page, members=None):
    """[(heading, [members])] in the order of ``ROLE_GROUPS``; empty groups left out. Within a
    group, members who show their name come first. ``members``: the page's public members
    when already read (``page.public_members()`` otherwise)."""
    by_role = {}
    for member in page.public_members() if members is None else members:
        by_role.setdefault(member.role, []).append(member)
    groups = []
    for role, heading in ROLE_GROUPS:
        members = by_role.pop(role, [])
        if members:
            members.sort(key=lambda m: (not m.show_name, m.sort_name if m.show_name else ""))
            groups.append((heading, members))
    return groups


def public_priorities(page):
    """The priorities, each with its project page when a visitor can reach it (live and
    public, of a commune online, under a published projects page:
    ``mprc_cms.modules.reachable_pages``); the page and the API show the same."""
    priorities = list(page.priorities.all().select_related("project"))
    linked = [priority.project_id for priority in priorities if priority.project_id]
    reachable = (
        set(reachable_pages(Page.objects.filter(pk__in=linked)).values_list("pk", flat=True))
        if linked
        else set()
    )
    rows = []
    for priority in priorities:
        project = priority.project if priority.project_id in reachable else None
        if project is not None and not project.url:
            project = None
        rows.append({"priority": priority, "project": project})
    return rows


def page_records(request, page):
    """What the page lists (the communes it serves, phases, members, meetings, priorities,
    published draws): a memo of the page cache until anything changes (priorities link
    to projects of any commune); read afresh for a preview, whose lists may be unsaved."""

    def compute():
        return {
            "communes": page.served_communes(),
            "phases": list(page.phases.all()),
            "members": list(page.public_members()),
            "meetings": list(page.meetings.all()),
            "priorities": public_priorities(page),
            "draws": list(page.public_draws()),
        }

    if page.pk is None:
        return compute()
    return page_cache.page_memo(request, f"micro-parliament-page:{page.pk}", compute)


def parliament_page(request, page):
    records = page_records(request, page)
    # A meeting moves from upcoming to past when it ends: the cached page goes then.
    upcoming = page.upcoming_meetings(records["meetings"])
    for meeting in upcoming:
        page_cache.valid_until(request, meeting.ends_at or meeting.starts_at)
    context = {
        "communes": records["communes"],
        "phases": page.phase_rows(phases=records["phases"]),
        "member_groups": member_groups(page, records["members"]),
        "upcoming_meetings": upcoming,
        "upcoming_key": ",".join(str(meeting.pk) for meeting in upcoming),
        "past_meetings": page.past_meetings(records["meetings"]),
        "priorities": records["priorities"],
        "draws": records["draws"],
    }
    return _render(request, page, "micro_parliament_page.html", context)


# The iCalendar feed -----------------------------------------------------------------------


def calendar(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    page_url = request.build_absolute_uri(page.get_url(request))
    host = split_domain_port(request.get_host())[0] or "localhost"
    content = calendar_bytes(page, page.meetings.all(), page_url=page_url, host=host)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agenda.ics"'
    return response


# Public draws -----------------------------------------------------------------------------


def _published_draw(page, draw_id):
    """The draw, if it belongs to this page and its commitment was published (cancelled
    draws stay visible once published); 404 otherwise."""
    draw = Draw.objects.filter(
        pk=draw_id, micro_parliament_id=page.pk, published_at__isnull=False
    ).first()
    if draw is None or not draw.lottery:
        raise Http404
    return draw


def _percent(value):
    return None if value is None else float(value) * 100


def _quota_groups(draw):
    """[(category label, rows)] with each value's pool count, quota and, once drawn, count
    in the panel."""
    groups = {}
    for row in quota_table(draw):
        groups.setdefault(row["category_label"], []).append(row)
    return list(groups.items())


def consented_names(draw, pseudonyms):
    """Pseudonym → name, for the members of the micro-parliament who agreed to show it."""
    entrants = DrawEntrant.objects.filter(
        draw=draw,
        pseudonym__in=pseudonyms,
        volunteer__membership__micro_parliament_id=draw.micro_parliament_id,
        volunteer__membership__show_name=True,
        volunteer__membership__left_on__isnull=True,
    ).select_related("volunteer__membership")
    return {entrant.pseudonym: entrant.volunteer.membership.name for entrant in entrants}


def public_draw(request, page, draw_id):
    draw = _published_draw(page, draw_id)
    drawn = draw.panel_number is not None and bool(draw.selected)
    panels = len(draw.lottery.get("panels", []))
    context = {
        "draw": draw,
        "drawn": drawn,
        "cancelled": draw.status == DrawStatus.CANCELLED,
        "pool_size": len(draw.pool_snapshot),
        "quota_groups": _quota_groups(draw),
        "min_percent": _percent(draw.result.get("min_probability")),
        "max_percent": _percent(draw.result.get("max_probability")),
        "panels": panels,
        "file_name": f"tirage-{draw.pk}.json",
        "small_crowd": SMALL_CROWD,
        "v2": draw.lottery.get("format") == sortition.publication.FORMAT,
        "randomness_format": (
            sortition.describe_format(draw.randomness_format) if draw.randomness_format else ""
        ),
    }
    if drawn:
        seats = invitations.seats(draw)
        called = {e.pseudonym: e for seat in seats for e in seat.history if e.rank}
        alternates = list(draw.alternates[:FIRST_ALTERNATES])
        names = consented_names(
            draw, [*(e.pseudonym for seat in seats for e in seat.history), *alternates]
        )
        context.update(
            {
                "seats": [
                    {"number": seat.number, "state": seat.state, "story": seat_story(seat, names)}
                    for seat in seats
                ],
                "seats_taken": sum(1 for seat in seats if seat.state == "taken"),
                "alternates": [
                    (p, names.get(p, ""), _called_for(called.get(p))) for p in alternates
                ],
                "more_alternates": max(0, len(draw.alternates) - len(alternates)),
            }
        )
    return _render(request, page, "draw_public.html", context)


def _phrase(message, **values):
    """A translated sentence with HTML values (escaped unless already safe)."""
    return mark_safe(  # noqa: S308 - the message and the values are escaped
        conditional_escape(message) % {key: conditional_escape(v) for key, v in values.items()}
    )


def _seat_step(entrant, name):
    """One step of a seat's public history: what the person drawn or called for it did.
    Names only for members who agreed to show them (``name``)."""
    if name:
        person = format_html("<code>{}</code> ({})", entrant.pseudonym, name)
    else:
        person = format_html("<code>{}</code>", entrant.pseudonym)
    values = {"person": person, "rank": entrant.rank or "", "date": ""}
    if entrant.answer_by:
        values["date"] = date_format(entrant.answer_by, "DATE_FORMAT")
    state = entrant.invitation
    unreachable = state == InvitationStatus.UNREACHABLE
    if entrant.rank is None:  # the person drawn for the seat
        if entrant.volunteer_id is None:
            message = _("%(person)s is no longer on the lists")
        elif state == InvitationStatus.ACCEPTED:
            message = _("%(person)s accepted")
        elif state == InvitationStatus.DECLINED:
            message = _("%(person)s declined")
        elif unreachable and entrant.deadline_passed:
            message = _("%(person)s could not be reached and did not answer by %(date)s")
        elif unreachable:
            message = _("%(person)s could not be reached and may answer until %(date)s")
        elif state == InvitationStatus.INVITED:
            message = _("%(person)s is invited and has not answered yet")
        else:
            message = _("%(person)s is not invited yet")
    elif state == InvitationStatus.SKIPPED:
        message = _("alternate no. %(rank)s, %(person)s, passed over: no longer on the lists")
    elif entrant.volunteer_id is None:
        message = _("offered to alternate no. %(rank)s, %(person)s, no longer on the lists")
    elif state == InvitationStatus.ACCEPTED:
        message = _("taken by alternate no. %(rank)s, %(person)s")
    elif state == InvitationStatus.DECLINED:
        message = _("offered to alternate no. %(rank)s, %(person)s, who declined")
    elif unreachable and entrant.deadline_passed:
        message = _(
            "offered to alternate no. %(rank)s, %(person)s, who could not be reached and did "
            "not answer by %(date)s"
        )
    elif unreachable:
        message = _(
            "offered to alternate no. %(rank)s, %(person)s, who could not be reached and may "
            "answer until %(date)s"
        )
    else:
        message = _("offered to alternate no. %(rank)s, %(person)s, who has not answered yet")
    return _phrase(message, **values)


def seat_story(seat, names):
    """A seat's public history in one line, e.g. «P060 declined; taken by alternate no. 1,
    P009»."""
    separator = conditional_escape(pgettext("between the steps of a seat's history", "; "))
    return mark_safe(  # noqa: S308 - every step is escaped
        separator.join(_seat_step(e, names.get(e.pseudonym, "")) for e in seat.history)
    )


def _called_for(entrant):
    """What became of an alternate on the public list: called for a seat, or passed over."""
    if entrant is None:
        return ""
    if entrant.invitation == InvitationStatus.SKIPPED:
        return _("passed over (seat %(number)s)") % {"number": entrant.seat.number}
    return _("called for seat %(number)s") % {"number": entrant.seat.number}


def public_draw_file(request, page, draw_id):
    draw = _published_draw(page, draw_id)
    return json_download(draw.lottery, f"tirage-{draw.pk}.json")


# The invitation ---------------------------------------------------------------------------


def _answered(request, page, entrant, status=200):
    """An invitation that can no longer be answered: accepted, declined, or closed (the last
    day to answer is over, or the seat went to someone else)."""
    draw = entrant.draw
    member = None
    if entrant.invitation == InvitationStatus.ACCEPTED and entrant.volunteer is not None:
        member = getattr(entrant.volunteer, "membership", None)
    context = {
        "entrant": entrant,
        "draw": draw,
        "commune": draw.commune,
        "member": member,
        "accepted": entrant.invitation == InvitationStatus.ACCEPTED,
        "declined": entrant.invitation == InvitationStatus.DECLINED,
        "upcoming_meetings": page.upcoming_meetings()[:3],
    }
    return private(_render(request, page, "invitation_answered.html", context, status=status))


def invitation(request, page, token):
    entrant = invitations.entrant_for_token(page, token)
    if entrant is None:
        return private(_render(request, page, "invitation_invalid.html", status=404))
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not invitations.can_answer(entrant):
        return _answered(request, page, entrant)

    volunteer = entrant.volunteer
    if request.method == "POST":
        form = InvitationAnswerForm(request.POST)
        if form.is_valid():
            try:
                if form.accepts:
                    invitations.accept(
                        entrant,
                        show_name=form.cleaned_data["show_name"],
                        public_name=form.cleaned_data["public_name"],
                    )
                    messages.success(request, _("Thank you! You are now a member."))
                else:
                    invitations.decline(entrant, request=request)
                    messages.success(request, _("Your answer has been recorded. Thank you."))
            except invitations.InvitationError as error:
                messages.info(request, str(error))
            return redirect(request.path)
    else:
        form = InvitationAnswerForm(
            initial={"public_name": invitations.default_public_name(volunteer)}
        )
    context = {
        "entrant": entrant,
        "draw": entrant.draw,
        "volunteer": volunteer,
        "commune": entrant.draw.commune,
        "form": form,
        "phases": page.phase_rows(),
        "upcoming_meetings": page.upcoming_meetings()[:3],
        # A person sits in one micro-parliament at a time: no «I accept» for a member of
        # another one (``invitations.accept`` refuses it), as on the staff's run screen.
        "sits_elsewhere": invitations.current_memberships([entrant.volunteer_id]).get(
            entrant.volunteer_id
        ),
    }
    return private(_render(request, page, "invitation.html", context))
