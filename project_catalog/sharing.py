"""Share back: a commune proposes a completed project as a new template, or as a new
version of the template it came from; a network coordinator reviews and publishes it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from home.onboarding import COORDINATORS_GROUP_NAME
from mprc_cms import french
from mprc_cms.communes import user_manages_commune
from mprc_cms.tasks import send_email, sender

from .adoption import unique_slug
from .models import ProjectStatus, ProjectTemplatePage, TemplateProposal
from .models.library import lines
from .network_pages import library_page


def _merge_lines(*texts):
    """One line per item, without repeating an item."""
    seen, merged = set(), []
    for text in texts:
        for line in lines(text):
            if line.casefold() not in seen:
                seen.add(line.casefold())
                merged.append(line)
    return "\n".join(merged)


def _months_between(project):
    dates = sorted(milestone.date for milestone in project.milestones.all())
    if len(dates) < 2:
        return ""
    months = max(1, round((dates[-1] - dates[0]).days / 30))
    return _("about %(months)s months") % {"months": months}


def _roles(project):
    """Roles of the people (never their names) and the partner organisations."""
    roles = []
    for carrier in project.carriers.all():
        if carrier.kind == "partner":
            roles.append(f"{carrier.name} — {carrier.role}" if carrier.role else carrier.name)
        elif carrier.role:
            roles.append(carrier.role)
    return "\n".join(roles)


def _steps_from_updates(project):
    updates = sorted(project.updates.all(), key=lambda update: update.date)
    return [
        {
            "type": "step",
            "value": {
                "title": update.title[:100],
                "description": strip_tags(update.text).strip() or update.title,
                "duration": "",
            },
        }
        for update in updates
    ]


def _new_template(project, commune, pitfalls, success_factors, user):
    library = library_page()
    source = project.source_template
    budget = project.actual_budget or project.planned_budget
    template = ProjectTemplatePage(
        title=project.title,
        slug=unique_slug(library, project.title),
        category=project.category,
        summary=project.summary,
        problem=project.need or project.summary,
        steps=(
            [{"type": "step", "value": dict(step.value)} for step in source.steps]
            if source
            else _steps_from_updates(project)
        ),
        budget_min=budget,
        budget_max=budget,
        duration=_months_between(project),
        roles=_roles(project),
        pitfalls=_merge_lines(source.pitfalls if source else "", pitfalls),
        success_factors=_merge_lines(source.success_factors if source else "", success_factors),
        origin=f"{commune.title} ({timezone.localdate().year})",
        origin_project=project,
        live=False,
        owner=user,
    )
    library.add_child(instance=template)
    template.save_revision(user=user, log_action=False)
    log(instance=template, action="wagtail.create", user=user)
    return template


def _new_version(project, commune, pitfalls, success_factors, user):
    template = project.source_template.specific
    draft = template.get_latest_revision_as_object()
    draft.version = template.version + 1
    draft.version_note = french.contract(
        _("Enriched by the experience of %(commune)s") % {"commune": commune.title}, commune.title
    )
    draft.pitfalls = _merge_lines(draft.pitfalls, pitfalls)
    draft.success_factors = _merge_lines(draft.success_factors, success_factors)
    draft.save_revision(user=user, log_action=True, clean=False)
    return template


@transaction.atomic
def propose_template(project, *, kind, message, pitfalls="", success_factors="", user):
    """Propose ``project`` (completed) to the network; returns the TemplateProposal.

    Creates the draft a coordinator will review: an unpublished template in the library,
    or a new draft version of the project's template.
    """
    project = project.specific
    commune = project.commune
    if commune is None or not user_manages_commune(user, commune):
        raise PermissionDenied
    if project.status != ProjectStatus.COMPLETED:
        raise ValidationError(_("Only a completed project can be shared as a template."))
    if project.proposals.filter(status=TemplateProposal.Status.PENDING).exists():
        raise ValidationError(_("This project is already waiting for the coordinators' review."))
    if kind == TemplateProposal.Kind.NEW_VERSION:
        if project.source_template is None:
            raise ValidationError(_("This project does not come from a template."))
        if TemplateProposal.objects.filter(
            template=project.source_template,
            kind=TemplateProposal.Kind.NEW_VERSION,
            status=TemplateProposal.Status.PENDING,
        ).exists():
            raise ValidationError(
                _(
                    "A new version of this template is already waiting for the coordinators' "
                    "review: propose your project as a new template, or wait for their decision."
                )
            )
    if library_page() is None:
        raise ValidationError(_("The network has no project library."))

    with translation.override(settings.LANGUAGE_CODE):
        if kind == TemplateProposal.Kind.NEW_VERSION:
            template = _new_version(project, commune, pitfalls, success_factors, user)
        else:
            template = _new_template(project, commune, pitfalls, success_factors, user)
    proposal = TemplateProposal.objects.create(
        commune=commune,
        project=project,
        kind=kind,
        template=template,
        message=message,
        proposed_by=user,
    )
    log(
        instance=commune,
        action="mprc.template_proposed",
        user=user,
        data={"project": project.title, "kind": kind, "template": template.pk},
    )
    transaction.on_commit(lambda: _notify_coordinators(proposal))
    return proposal


def _review_url(proposal):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "project_catalog_admin:proposal", args=[proposal.pk]
    )


def _notify_coordinators(proposal):
    emails = list(
        get_user_model()
        .objects.filter(groups__name=COORDINATORS_GROUP_NAME, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not emails:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Template proposal: %(project)s (%(commune)s)") % {
            "project": proposal.project.title,
            "commune": proposal.commune.title,
        }
        body = _(
            "%(commune)s proposes its project “%(project)s” as %(kind)s.\n\n"
            "Message: %(message)s\n\nReview the draft and publish it, or decline it:\n%(url)s\n"
        ) % {
            "commune": proposal.commune.title,
            "project": proposal.project.title,
            "kind": proposal.get_kind_display().lower(),
            "message": proposal.message or "—",
            "url": _review_url(proposal),
        }
    # From the network by name, as every e-mail of the site.
    send_email.enqueue(subject, body, emails, from_email=sender())


def _notify_proposer(proposal):
    user = proposal.proposed_by
    if user is None or not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if proposal.status == TemplateProposal.Status.ACCEPTED:
            subject = _("Your project is in the network library")
            body = _("The coordinators published “%(title)s” in the project library.\n") % {
                "title": proposal.template.title if proposal.template else proposal.project.title
            }
        else:
            subject = _("Your template proposal was declined")
            body = _(
                "The coordinators declined the proposal of “%(project)s”.\n\nTheir answer: "
                "%(note)s\n"
            ) % {"project": proposal.project.title, "note": proposal.review_note or "—"}
    send_email.enqueue(subject, body, [user.email], from_email=sender())


def accept_proposal(proposal, user=None):
    """Called when the proposal's template is published (``user``: the reviewer)."""
    proposal.status = TemplateProposal.Status.ACCEPTED
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    transaction.on_commit(lambda: _notify_proposer(proposal))


@transaction.atomic
def decline_proposal(proposal, *, user, note):
    """Decline a pending proposal and discard its draft."""
    proposal.status = TemplateProposal.Status.DECLINED
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note
    template = proposal.template
    if template is not None:
        template = template.specific
        if proposal.kind == TemplateProposal.Kind.NEW_TEMPLATE and not template.live:
            proposal.template = None
            template.delete()
        elif template.live_revision is not None:
            live = template.live_revision.as_object()
            live.save_revision(user=user, log_action=False, clean=False)
            ProjectTemplatePage.objects.filter(pk=template.pk).update(has_unpublished_changes=False)
    proposal.save()
    transaction.on_commit(lambda: _notify_proposer(proposal))
    return proposal
