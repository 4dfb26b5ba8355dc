"""The micro-parliament page's views (routes of MicroParliamentPage): public, no account.

- the page itself: mandate, cycle, members, meetings, priorities, draws;
- its meetings as an iCalendar feed;
- each published draw: what anyone needs to check it, and its file;
- the invitation a drawn resident answers from their personal link.
"""

import datetime
import html
import json
import re

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event
from wagtail.rich_text import expand_db_html

from mprc_cms.views import private

from . import invitations
from .draws import quota_table
from .models import Draw, DrawEntrant, DrawStatus, InvitationStatus, Role
from .parliament_forms import InvitationAnswerForm

DEFAULT_MEETING_LENGTH = datetime.timedelta(hours=1, minutes=30)
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
    return TemplateResponse(request, f"participation/{template}", context, status=status)


# The page ---------------------------------------------------------------------------------


def member_groups(page):
    """[(heading, [members])] in the order of ``ROLE_GROUPS``; empty groups left out. Within a
    group, members who show their name come first."""
    by_role = {}
    for member in page.public_members():
        by_role.setdefault(member.role, []).append(member)
    groups = []
    for role, heading in ROLE_GROUPS:
        members = by_role.pop(role, [])
        if members:
            members.sort(key=lambda m: (not m.show_name, m.sort_name if m.show_name else ""))
            groups.append((heading, members))
    return groups


def public_priorities(page):
    """The priorities, each with its project page when it is published."""
    rows = []
    for priority in page.priorities.all().select_related("project"):
        project = priority.project
        if project is not None and not (project.live and project.url):
            project = None
        rows.append({"priority": priority, "project": project})
    return rows


def parliament_page(request, page):
    context = {
        "communes": page.served_communes(),
        "phases": page.phase_rows(),
        "member_groups": member_groups(page),
        "upcoming_meetings": page.upcoming_meetings(),
        "past_meetings": page.past_meetings(),
        "priorities": public_priorities(page),
        "draws": list(page.public_draws()),
    }
    return _render(request, page, "micro_parliament_page.html", context)


# The iCalendar feed -----------------------------------------------------------------------


BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|ul|ol|blockquote)>|<br\s*/?>", re.IGNORECASE)
LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def rich_text_to_plain(value):
    """A rich text field as plain text: one line per paragraph or list item."""
    if not value:
        return ""
    text = expand_db_html(value)
    text = LIST_ITEM.sub("• ", text)
    text = BLOCK_END.sub("\n", text)
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def calendar(request, page):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    page_url = request.build_absolute_uri(page.get_url(request))
    host = split_domain_port(request.get_host())[0] or "localhost"
    stamp = (page.last_published_at or timezone.now()).astimezone(datetime.UTC)

    feed = Calendar()
    feed.add("prodid", "-//MPRC CMS//Micro-parliament//FR")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", page.title)
    for meeting in page.meetings.all():
        starts = meeting.starts_at.astimezone(datetime.UTC)
        ends = (meeting.ends_at or meeting.starts_at + DEFAULT_MEETING_LENGTH).astimezone(
            datetime.UTC
        )
        description = "\n\n".join(
            part for part in (rich_text_to_plain(meeting.agenda), page_url) if part
        )
        event = Event()
        event.add("uid", f"{meeting.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", meeting.title)
        event.add("location", meeting.place)
        event.add("description", description)
        event.add("url", page_url)
        feed.add_component(event)

    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
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
    }
    if drawn:
        alternates = list(draw.alternates[:FIRST_ALTERNATES])
        names = consented_names(draw, [*draw.selected, *alternates])
        context.update(
            {
                "members": [(p, names.get(p, "")) for p in sorted(draw.selected)],
                "alternates": [(p, names.get(p, "")) for p in alternates],
                "more_alternates": max(0, len(draw.alternates) - len(alternates)),
            }
        )
    return _render(request, page, "draw_public.html", context)


def public_draw_file(request, page, draw_id):
    draw = _published_draw(page, draw_id)
    content = json.dumps(draw.lottery, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(content.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="tirage-{draw.pk}.json"'
    return response


# The invitation ---------------------------------------------------------------------------


def _answered(request, page, entrant, status=200):
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
        "upcoming_meetings": page.upcoming_meetings()[:3],
    }
    return private(_render(request, page, "invitation_answered.html", context, status=status))


def invitation(request, page, token):
    entrant = invitations.entrant_for_token(page, token)
    if entrant is None:
        return private(_render(request, page, "invitation_invalid.html", status=404))
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if entrant.invitation != InvitationStatus.INVITED:
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
    }
    return private(_render(request, page, "invitation.html", context))
