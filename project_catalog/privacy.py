"""What the privacy policy says about the project catalogue's personal data: the people a
commune names on its project pages (see ``mprc_cms/privacy.py``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms.privacy import Processing


class ProjectPeople(Processing):
    key = "project-people"
    title = gettext_lazy("People named on the project pages")
    purpose = gettext_lazy("Say who carries each of the commune's projects, on its public page.")
    data = (
        gettext_lazy(
            "The name and role of the people the commune names on a project page, as it "
            "publishes them"
        ),
    )
    recipients = (
        gettext_lazy(
            "Anyone: the project pages are public, and the network's catalogue lists them; a "
            "project shared back with the network as a template keeps the roles, never the "
            "names"
        ),
    )

    def has_data(self):
        from .models import ProjectCarrier

        return ProjectCarrier.objects.filter(
            kind=ProjectCarrier.Kind.PERSON, page__path__startswith=self.commune.path
        ).exists()

    def retention(self):
        return [
            _(
                "Shown until the town hall's staff remove the name; kept in the page's earlier "
                "versions until the page is deleted."
            )
        ]
