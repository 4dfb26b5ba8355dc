"""Events of the agenda for the tests."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from mprc_agenda.models import EventPage


def _publish(page, create, extracted, **kwargs):
    """``publish=True``: through a revision and Wagtail's publishing, as the editor does."""
    if create and extracted:
        page.save_revision().publish()


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Événement {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Salle des fêtes"
    description = "Un événement de la commune."
    publish = factory.PostGeneration(_publish)
