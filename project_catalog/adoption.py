"""Adopt a template: a commune starts a draft project from it, in one action."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from home.onboarding import switch_module_on
from mprc_cms.communes import user_manages_commune
from mprc_cms.modules import get_module
from mprc_cms.slugs import free_child_slug

from .models import ProjectMilestone, ProjectPage, ProjectStatus


def unique_slug(parent, base):
    return free_child_slug(parent, base, default="projet")


def projects_index_for(commune, user=None):
    """The commune's projects page; the module is switched on when it is off."""
    module = get_module("projects")
    page = module.index_page_for(commune)
    if page is None:
        page, _created = switch_module_on(commune, module, user=user)
    return page


def steps_as_html(template):
    """The template's steps as the body of a project: a list to follow and adapt."""
    items = []
    for step in template.steps:
        value = step.value
        duration = f" <i>({escape(value['duration'])})</i>" if value.get("duration") else ""
        items.append(
            f"<li><b>{escape(value['title'])}</b>{duration}"
            f"{linebreaks(value['description'], autoescape=True)}</li>"
        )
    return "<ol>" + "".join(items) + "</ol>" if items else ""


@transaction.atomic
def adopt_template(template, commune, user):
    """Create, as ``user``, a draft project of ``commune`` pre-filled from ``template``.

    Refused (PermissionDenied) when the user does not manage the commune or the template
    is not published. Returns the new, unpublished ProjectPage.
    """
    if not user_manages_commune(user, commune):
        raise PermissionDenied
    if not template.live:
        raise PermissionDenied
    index = projects_index_for(commune, user)
    with translation.override(settings.LANGUAGE_CODE):
        body = []
        steps = steps_as_html(template)
        if steps:
            body = [
                {"type": "heading", "value": {"text": _("Planned steps"), "level": "h2"}},
                {"type": "paragraph", "value": steps},
            ]
        note = _("Adopted from the template “%(title)s” (version %(version)s)") % {
            "title": template.title,
            "version": template.version,
        }
    project = ProjectPage(
        title=template.title,
        slug=unique_slug(index, template.title),
        category=template.category,
        status=ProjectStatus.IDEA,
        summary=template.summary,
        need=template.problem,
        body=body,
        planned_budget=template.budget_max or template.budget_min,
        source_template=template,
        source_version=template.version,
        owner=user,
        live=False,
    )
    project.milestones = [
        ProjectMilestone(status=ProjectStatus.IDEA, date=timezone.localdate(), note=note[:200])
    ]
    index.add_child(instance=project)
    project.save_revision(user=user, log_action=False)
    log(instance=project, action="wagtail.create", user=user)
    log(
        instance=commune,
        action="mprc.template_adopted",
        user=user,
        data={"template": template.title, "version": template.version, "project": project.pk},
    )
    return project
