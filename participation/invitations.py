"""After the draw: inviting the people drawn, their answers, and calling alternates.

A drawn person answers from the link in their invitation (their personal link's token,
under the micro-parliament's page); someone without an e-mail address is called by the
town hall, which records the answer in the admin. Accepting makes the person a member of
the micro-parliament, with their name shown publicly only if they agree. When someone
declines, the first alternate of the same group (same answers) is suggested.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .emails import _render_and_send
from .models import DrawEntrant, DrawStatus, InvitationStatus, ParliamentMember, Role
from .tokens import make_token, read_token


class InvitationError(Exception):
    """An answer or an invitation that is not possible; the message is for the user."""


def drawn_entrants(draw):
    """The panel's people, in pseudonym order, with their person (None once erased)."""
    return list(
        DrawEntrant.objects.filter(draw=draw, pseudonym__in=draw.selected)
        .select_related("volunteer")
        .order_by("pseudonym")
    )


def invited_alternates(draw):
    return list(
        DrawEntrant.objects.filter(draw=draw, pseudonym__in=draw.alternates)
        .exclude(invitation=InvitationStatus.NOT_INVITED)
        .select_related("volunteer")
    )


def invitation_url(request, draw, volunteer):
    page = draw.micro_parliament
    return request.build_absolute_uri(
        page.subpage_url(request, "invitation", make_token(volunteer))
    )


def invite(request, draw, entrants, user):
    """Invite people of a drawn panel (or alternates): an e-mail to those who have an
    address; the others are to be called by the town hall. Returns (e-mailed, to call)."""
    if draw.status != DrawStatus.DRAWN:
        raise InvitationError(_("Invitations are sent once the panel is drawn."))
    emailed, to_call = 0, 0
    now = timezone.now()
    for entrant in entrants:
        volunteer = entrant.volunteer
        if volunteer is None or entrant.invitation != InvitationStatus.NOT_INVITED:
            continue
        entrant.invitation = InvitationStatus.INVITED
        entrant.invited_at = now
        entrant.save(update_fields=["invitation", "invited_at"])
        if volunteer.email:
            context = {
                "volunteer": volunteer,
                "draw": draw,
                "page": draw.micro_parliament,
                "commune": draw.commune,
                "invitation_url": invitation_url(request, draw, volunteer),
            }
            _render_and_send("invitation", context, volunteer.email)
            emailed += 1
        else:
            to_call += 1
    log(draw, "mprc.draw_invited", user=user, data={"emailed": emailed, "to_call": to_call})
    return emailed, to_call


def entrant_for_token(page, token):
    """The pending or answered invitation a personal link opens under this page, or None."""
    public_id = read_token(token)
    if public_id is None:
        return None
    return (
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


def default_public_name(volunteer):
    """First name and initial: enough for the public page, if the person agrees."""
    initial = (volunteer.last_name or "")[:1]
    return f"{volunteer.first_name} {initial}.".strip() if initial else volunteer.first_name


@transaction.atomic
def accept(entrant, show_name=False, public_name="", user=None):
    # Lock the entrant row only: its person sits on the nullable side of the join.
    entrant = (
        DrawEntrant.objects.select_for_update(of=("self",))
        .select_related("draw", "volunteer")
        .get(pk=entrant.pk)
    )
    if entrant.invitation != InvitationStatus.INVITED or entrant.volunteer is None:
        raise InvitationError(_("This invitation has already been answered."))
    draw = entrant.draw
    volunteer = entrant.volunteer
    entrant.invitation = InvitationStatus.ACCEPTED
    entrant.answered_at = timezone.now()
    entrant.save(update_fields=["invitation", "answered_at"])
    member = ParliamentMember.objects.create(
        micro_parliament=draw.micro_parliament,
        commune=draw.commune,
        name=(public_name or "").strip()[:150] or default_public_name(volunteer),
        role=Role.DRAWN_RESIDENT,
        show_name=bool(show_name),
        volunteer=volunteer,
        draw=draw,
    )
    log(draw, "mprc.invitation_accepted", user=user, data={"pseudonym": entrant.pseudonym})
    return member


@transaction.atomic
def decline(entrant, user=None, request=None):
    entrant = DrawEntrant.objects.select_for_update().select_related("draw").get(pk=entrant.pk)
    if entrant.invitation != InvitationStatus.INVITED:
        raise InvitationError(_("This invitation has already been answered."))
    entrant.invitation = InvitationStatus.DECLINED
    entrant.answered_at = timezone.now()
    entrant.save(update_fields=["invitation", "answered_at"])
    draw = entrant.draw
    log(draw, "mprc.invitation_declined", user=user, data={"pseudonym": entrant.pseudonym})
    if user is None:
        _tell_town_hall(draw)
    return entrant


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


def suggested_alternate(draw, declined):
    """The first alternate not yet invited from the same group as ``declined`` (same answers
    to every category), else the first alternate not yet invited."""
    features = {p["id"]: p["features"] for p in draw.pool_snapshot}
    target = features.get(declined.pseudonym)
    available = {
        e.pseudonym: e
        for e in DrawEntrant.objects.filter(
            draw=draw,
            pseudonym__in=draw.alternates,
            invitation=InvitationStatus.NOT_INVITED,
            volunteer__isnull=False,
        ).select_related("volunteer")
    }
    ranked = [available[p] for p in draw.alternates if p in available]
    for entrant in ranked:
        if features.get(entrant.pseudonym) == target:
            return entrant
    return ranked[0] if ranked else None
