"""The guide for commune staff, served inside the admin (``/admin/aide/``).

The admin's Help menu points here instead of Wagtail's English editor guide. The guide is
documentation written in French for a town hall's secretary (like ``docs/``, it is not
translated): its chapters' titles and summaries below, and each chapter's text in
``home/templates/home/help/chapters/<slug>.html``, marked ``lang="fr"``. Only the words of
the admin shell around it go through gettext.

A chapter about a module appears only when the module is installed. The screenshots live in
``home/static/home/help/`` and are made from the demo network by ``bin/guide-screenshots``.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms.modules import get_modules

STATIC_FOLDER = "home/help/"


@dataclass(frozen=True)
class Chapter:
    slug: str
    # French text of the guide, not interface strings (see the module's docstring).
    title: str
    summary: str
    # The module the chapter is about (its key), or None for the core.
    module: str | None = None

    @property
    def template_name(self):
        return f"home/help/chapters/{self.slug}.html"

    @property
    def url(self):
        return reverse("mprc_help:chapter", args=[self.slug])


CHAPTERS = (
    Chapter(
        "premiers-pas",
        "Premiers pas : se connecter et le tableau de bord",
        "Ouvrir l’administration, retrouver sa commune, le menu, son mot de passe.",
    ),
    Chapter(
        "pages",
        "Modifier les pages de la commune et les publier",
        "Changer un texte, une image ou les horaires de la mairie, enregistrer un "
        "brouillon, prévisualiser, publier, revenir en arrière.",
    ),
    Chapter(
        "actualites",
        "Publier une actualité",
        "Annoncer une réunion, un chantier ou une fête sur la page d’accueil de la commune.",
    ),
    Chapter(
        "modules",
        "Activer un module",
        "Ajouter au site de la commune les projets, le guide des financements, la liste "
        "des volontaires ou la bourse d’échanges.",
    ),
    Chapter(
        "volontaires",
        "La liste des volontaires et les données personnelles",
        "Les inscriptions en ligne, l’import d’un extrait de la liste électorale, les "
        "droits des personnes et l’effacement des données.",
        module="participation",
    ),
    Chapter(
        "tirage-au-sort",
        "Préparer et faire le tirage au sort",
        "Les sièges et les quotas, l’engagement publié, le hasard public, les invitations, "
        "les suppléant·es et le fichier pour les garants.",
        module="parliament",
    ),
    Chapter(
        "micro-parlement",
        "Le micro-parlement : membres, phases et réunions",
        "Tenir à jour la page du micro-parlement pendant les trois mois du cycle.",
        module="parliament",
    ),
    Chapter(
        "echanges",
        "La bourse d’échanges : modérer les annonces",
        "Valider, refuser ou masquer une annonce, traiter un signalement, suivre les chiffres.",
        module="exchange",
    ),
    Chapter(
        "projets",
        "Les projets et la bibliothèque de modèles",
        "Publier les projets de la commune, adopter un modèle du réseau, partager un "
        "projet terminé.",
        module="projects",
    ),
    Chapter(
        "financements",
        "Le guide des financements",
        "Trouver une aide pour un projet, noter ses demandes, recevoir les échéances par e-mail.",
        module="funding",
    ),
    Chapter(
        "pages-legales",
        "Les pages légales",
        "Mentions légales, accessibilité et données personnelles : ce que la mairie complète.",
    ),
    Chapter(
        "aide",
        "À qui demander de l’aide",
        "Le coordinateur ou la coordinatrice du réseau, et ce qu’il faut lui dire.",
    ),
)


def chapters():
    """The chapters of the guide, in order: the core's and those of installed modules."""
    installed = {module.key for module in get_modules()}
    return [chapter for chapter in CHAPTERS if chapter.module in {None, *installed}]


class HelpGuideMixin(WagtailAdminTemplateMixin):
    page_title = gettext_lazy("Guide for commune staff")
    header_icon = "help"

    def get_context_data(self, **kwargs):
        chapter_list = chapters()
        return super().get_context_data(
            chapters=chapter_list,
            # For links to a module's chapter: {% if "echanges" in chapter_slugs %}
            chapter_slugs={chapter.slug for chapter in chapter_list},
            **kwargs,
        )


class HelpIndexView(HelpGuideMixin, TemplateView):
    template_name = "home/help/index.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Guide for commune staff")}]


class HelpChapterView(HelpGuideMixin, TemplateView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.chapter_list = chapters()
        slugs = [chapter.slug for chapter in self.chapter_list]
        if kwargs["slug"] not in slugs:
            raise Http404
        self.position = slugs.index(kwargs["slug"])
        self.chapter = self.chapter_list[self.position]

    def get_template_names(self):
        return [self.chapter.template_name]

    def get_page_subtitle(self):
        return self.chapter.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("mprc_help:index"), "label": _("Guide for commune staff")},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            chapter=self.chapter,
            number=self.position + 1,
            previous=self.chapter_list[self.position - 1] if self.position else None,
            next=(
                self.chapter_list[self.position + 1]
                if self.position + 1 < len(self.chapter_list)
                else None
            ),
            **kwargs,
        )


app_name = "mprc_help"
urlpatterns = [
    path("", HelpIndexView.as_view(), name="index"),
    path("<slug:slug>/", HelpChapterView.as_view(), name="chapter"),
]
