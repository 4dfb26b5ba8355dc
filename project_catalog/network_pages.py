"""The network's two pages of the catalogue: the template library and the catalogue of
every commune's projects. Created under the network home after ``migrate`` (so an
installation that adds the module gets them too) unless they already exist."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

LIBRARY_SLUG = "bibliotheque-de-projets"
CATALOGUE_SLUG = "projets-du-reseau"


def ensure_network_pages(**kwargs):
    from home.models import NetworkHomePage
    from home.onboarding import create_and_publish

    from .models import ProjectCatalogPage, ProjectLibraryPage

    home = NetworkHomePage.objects.first()
    if home is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if not ProjectLibraryPage.objects.exists():
            create_and_publish(
                home,
                ProjectLibraryPage(
                    title=_("Project library"),
                    slug=LIBRARY_SLUG,
                    intro=_(
                        "Recipes tried in the network's communes: the need they answer, the "
                        "steps, the budget, the pitfalls. Adopt one and adapt it to your "
                        "commune."
                    ),
                    show_in_menus=True,
                ),
            )
        if not ProjectCatalogPage.objects.exists():
            create_and_publish(
                home,
                ProjectCatalogPage(
                    title=_("Projects of the network"),
                    slug=CATALOGUE_SLUG,
                    intro=_("What every commune of the network is doing, and how far it got."),
                    show_in_menus=True,
                ),
            )


def library_page():
    from .models import ProjectLibraryPage

    return ProjectLibraryPage.objects.first()
