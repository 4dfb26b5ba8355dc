"""Test-data factories of the project catalogue (used by the tests and the benchmarks).

The ten categories are created by a migration: ``ProjectCategoryFactory(slug=…)`` fetches
a seeded one, ``ProjectCategoryFactory()`` creates a new one. Pages are created under the
right parent: a project under its commune's projects page (``commune=…``, the module is
switched on when it is off), a template under the network's library.

Pages are added with ``add_child`` (live, no revision: fast); pass ``publish=True`` to go
through a revision and Wagtail's publishing, as the page editor does (templates then get
their version recorded). For hundreds of pages, :func:`bulk_create_pages` writes them
straight into the tree in a few queries.
"""

import datetime

import factory
import wagtail_factories
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.search import index_pages

from .adoption import projects_index_for
from .models import (
    ProjectCarrier,
    ProjectCategory,
    ProjectMilestone,
    ProjectPage,
    ProjectStatus,
    ProjectTemplatePage,
    ProjectUpdate,
)
from .network_pages import library_page

SEEDED_CATEGORY = "jardins-partages"


class ProjectCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"categorie-{n}")
    name = factory.LazyAttribute(lambda category: category.slug.replace("-", " ").capitalize())
    sort_order = 100


def seeded_category(slug=SEEDED_CATEGORY):
    """One of the categories created by the migration."""
    return ProjectCategory.objects.get(slug=slug)


def _publish(page, create, extracted, **kwargs):
    """``publish=True``: save a revision and publish it (``publish__user=…``: as whom)."""
    if create and extracted:
        user = kwargs.get("user")
        page.save_revision(user=user).publish(user=user)


class ProjectPageFactory(wagtail_factories.PageFactory):
    """A project of ``commune`` (or below ``parent``, a projects page)."""

    class Meta:
        model = ProjectPage
        skip_postgeneration_save = True

    class Params:
        commune = None

    parent = factory.LazyAttribute(lambda page: projects_index_for(page.commune))
    title = factory.Sequence(lambda n: f"Projet {n}")
    category = factory.LazyFunction(seeded_category)
    status = ProjectStatus.ACTION
    summary = "Un projet mené avec les habitants de la commune."
    live = True
    last_published_at = factory.LazyAttribute(lambda page: timezone.now() if page.live else None)
    first_published_at = factory.SelfAttribute("last_published_at")

    publish = factory.PostGeneration(_publish)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("status") == ProjectStatus.COMPLETED and not kwargs.get("results"):
            kwargs["results"] = "<p>Vingt foyers y participent chaque semaine.</p>"
        return super()._create(model_class, *args, **kwargs)


class ProjectTemplatePageFactory(wagtail_factories.PageFactory):
    """A template of the network's library."""

    class Meta:
        model = ProjectTemplatePage
        skip_postgeneration_save = True

    parent = factory.LazyFunction(library_page)
    title = factory.Sequence(lambda n: f"Modèle {n}")
    category = factory.LazyFunction(seeded_category)
    summary = "Une recette éprouvée dans les communes du réseau."
    problem = "Les habitants manquent d'un lieu pour se retrouver."
    steps = factory.LazyFunction(
        lambda: [
            {
                "type": "step",
                "value": {
                    "title": "Réunir les habitants",
                    "description": "Une réunion publique à la salle des fêtes.",
                    "duration": "2 semaines",
                },
            },
            {
                "type": "step",
                "value": {
                    "title": "Lancer un premier essai",
                    "description": "Un essai de trois mois, puis un bilan.",
                    "duration": "",
                },
            },
        ]
    )
    budget_min = 1000
    budget_max = 4000
    duration = "3 à 4 mois"
    roles = "Un élu référent\nUne association locale"
    pitfalls = "Vouloir tout prévoir avant d'essayer"
    success_factors = "Un point d'étape public"
    resources = factory.LazyFunction(
        lambda: [
            {"type": "link", "value": {"title": "Guide MPRC", "url": "https://example.org/guide"}}
        ]
    )
    live = True
    last_published_at = factory.LazyAttribute(lambda page: timezone.now() if page.live else None)
    first_published_at = factory.SelfAttribute("last_published_at")

    publish = factory.PostGeneration(_publish)


def milestone(status, days_ago=0, note=""):
    return ProjectMilestone(
        status=status, date=timezone.localdate() - datetime.timedelta(days=days_ago), note=note
    )


def carrier(name, role="", kind=ProjectCarrier.Kind.PERSON):
    return ProjectCarrier(name=name, role=role, kind=kind)


def update(title, days_ago=0, text="<p>Où en est le projet.</p>"):
    return ProjectUpdate(
        title=title, date=timezone.localdate() - datetime.timedelta(days=days_ago), text=text
    )


def bulk_create_pages(parent, pages):
    """Add the unsaved ``pages`` (all of one model) under ``parent`` in a few queries.

    For large lists in tests and benchmarks: the pages are written straight into the tree
    (one bulk insert of their Page rows, one insert each of their own rows) and into the
    search indexes (Wagtail's and the site search's), without revisions, log entries or
    signals. Live pages get a publication date.
    """
    if not pages:
        return pages
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    last = parent.get_last_child()
    first_step = (last._get_lastpos_in_path() if last else 0) + 1
    now = timezone.now()
    rows = []
    for step, page in enumerate(pages, start=first_step):
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.slug = page.slug or slugify(page.title)
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        if page.live and page.last_published_at is None:
            page.first_published_at = page.last_published_at = now
        rows.append(Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.fields}))
    Page.objects.bulk_create(rows)
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
        page.save_base(raw=True, force_insert=True)
        page._state.adding = False
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)
    get_search_backend().add_bulk(model, pages)
    index_pages(pages)
    return pages


def bulk_projects(commune, count, **fields):
    """``count`` live projects of ``commune`` (see :func:`bulk_create_pages`)."""
    fields.setdefault("category", seeded_category())
    fields.setdefault("status", ProjectStatus.ACTION)
    fields.setdefault("summary", "Un projet mené avec les habitants de la commune.")
    index = projects_index_for(commune)
    start = index.numchild
    pages = [
        ProjectPage(title=f"Projet n° {start + number}", slug=f"projet-{start + number}", **fields)
        for number in range(1, count + 1)
    ]
    return bulk_create_pages(index, pages)


def bulk_templates(count, **fields):
    """``count`` live templates in the library (see :func:`bulk_create_pages`)."""
    fields.setdefault("category", seeded_category())
    fields.setdefault("summary", "Une recette éprouvée dans les communes du réseau.")
    fields.setdefault("problem", "Les habitants manquent d'un lieu pour se retrouver.")
    library = library_page()
    start = library.numchild
    pages = [
        ProjectTemplatePage(
            title=f"Modèle n° {start + number}", slug=f"modele-{start + number}", **fields
        )
        for number in range(1, count + 1)
    ]
    return bulk_create_pages(library, pages)
