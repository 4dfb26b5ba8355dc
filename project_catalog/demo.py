"""The catalogue's part of the demo network: the starter content's ten templates (loaded
before, see ``starter_content.py``) dressed with pictures and the demo communes they come
from, projects adopted from them, and a template enriched by a commune's experience (a
second version).

Called by ``manage.py load_demo`` through the module's ``demo_loader``; idempotent.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Collection

from home.demo_media import landscape_png
from home.onboarding import COORDINATORS_GROUP_NAME, create_and_publish

from . import demo_content
from .adoption import projects_index_for
from .models import (
    ProjectCarrier,
    ProjectCategory,
    ProjectMilestone,
    ProjectPage,
    ProjectStatus,
    ProjectTemplatePage,
    ProjectUpdate,
    TemplateProposal,
)
from .network_pages import ensure_network_pages, library_page
from .sharing import propose_template

COLOURS = [
    (94, 140, 73),
    (170, 120, 60),
    (120, 100, 150),
    (70, 130, 90),
    (180, 110, 80),
    (90, 120, 160),
    (150, 130, 70),
    (160, 80, 110),
    (80, 130, 140),
    (130, 150, 70),
]


def _image(title, seed, colour, collection):
    image = Image.objects.filter(title=title).first()
    if image is None:
        picture = ImageFile(io.BytesIO(landscape_png(colour, seed)), name=f"{seed}.png")
        image = Image.objects.create(title=title, collection=collection, file=picture)
    return image


def _templates():
    """The library's templates (the starter content), each dressed for the demo once: a
    picture, and the demo commune where it was first done."""
    templates = {}
    root = Collection.get_first_root_node()
    for number, template in enumerate(
        ProjectTemplatePage.objects.child_of(library_page()).order_by("path")
    ):
        templates[template.slug] = template
        if template.image_id is not None:
            continue
        template.image = _image(
            f"Modèle — {template.title}",
            f"modele-{template.slug}",
            COLOURS[number % len(COLOURS)],
            root,
        )
        template.origin = demo_content.TEMPLATE_ORIGINS.get(template.slug, template.origin)
        template.save_revision(log_action=False, clean=False).publish()
    return templates


def _project(index, data, template, categories, collection, colour):
    today = timezone.localdate()

    def ago(days):
        return today - datetime.timedelta(days=days)

    project = ProjectPage(
        title=data["title"],
        slug=data["slug"],
        category=categories[data["category"]],
        status=data["status"],
        place=data["place"],
        summary=data["summary"],
        need=data["need"],
        body=[{"type": "paragraph", "value": data["body"]}],
        results=data["results"],
        planned_budget=data["planned_budget"],
        actual_budget=data["actual_budget"],
        source_template=template,
        source_version=template.version if template else None,
        image=_image(data["title"], f"projet-{data['slug']}", colour, collection),
    )
    project.milestones = [
        ProjectMilestone(status=status, date=ago(days)) for status, days in data["milestones"]
    ]
    project.carriers = [ProjectCarrier(**carrier) for carrier in data["carriers"]]
    project.updates = [
        ProjectUpdate(date=ago(update["days_ago"]), title=update["title"], text=update["text"])
        for update in data["updates"]
    ]
    return create_and_publish(index, project)


def _share_back(project, templates):
    """The first completed project from a template enriches it: version 2."""
    if project.proposals.exists():
        return
    user = project.commune.editors_group.user_set.filter(is_active=True).first()
    if user is None:
        return
    proposal = propose_template(
        project,
        kind=TemplateProposal.Kind.NEW_VERSION,
        message="Notre expérience peut servir aux communes qui se lancent.",
        pitfalls="Ne pas attendre d'avoir tout prévu pour lancer un premier essai.",
        success_factors="Un point d'étape public au bout d'un mois, à la salle des fêtes.",
        user=user,
    )
    template = ProjectTemplatePage.objects.get(pk=proposal.template_id)
    # A network coordinator reviews the draft and publishes it.
    coordinator = (
        get_user_model()
        .objects.filter(groups__name=COORDINATORS_GROUP_NAME, is_active=True)
        .first()
    )
    draft = template.get_latest_revision_as_object()
    draft.save_revision(user=coordinator, log_action=False, clean=False).publish(user=coordinator)


def _extra_projects(communes, scale, categories):
    """For benchmarks: more projects in every commune."""
    for commune in communes:
        index = projects_index_for(commune)
        have = ProjectPage.objects.child_of(index).count()
        for number in range(have, 2 * scale):
            category = categories[number % len(categories)]
            create_and_publish(
                index,
                ProjectPage(
                    title=f"Projet n° {number + 1} de {commune.title}",
                    slug=f"projet-{number + 1}",
                    category=category,
                    status=ProjectStatus.ACTION,
                    summary="Un projet de la commune, pour mesurer le site à plus grande échelle.",
                ),
            )


def load(communes, stdout=None, scale=1):
    ensure_network_pages()
    templates = _templates()
    categories = {category.slug: category for category in ProjectCategory.objects.all()}
    by_insee = {commune.insee_code: commune for commune in communes}
    shared = False
    for number, data in enumerate(demo_content.PROJECTS):
        commune = by_insee.get(data["commune"])
        if commune is None:
            continue
        index = projects_index_for(commune)
        project = ProjectPage.objects.child_of(index).filter(slug=data["slug"]).first()
        template = templates.get(data["template"]) if data["template"] else None
        if project is None:
            project = _project(
                index,
                data,
                template,
                categories,
                commune.collection,
                COLOURS[number % len(COLOURS)],
            )
        if not shared and template is not None and project.status == ProjectStatus.COMPLETED:
            _share_back(project, templates)
            shared = True
    if scale > 1:
        _extra_projects(communes, scale, list(categories.values()))
    if stdout is not None:
        stdout.write(
            f"Catalogue de projets : {ProjectTemplatePage.objects.count()} modèles, "
            f"{ProjectPage.objects.count()} projets."
        )
