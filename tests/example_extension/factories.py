import factory
import wagtail_factories

from .models import PollPage


class PollPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PollPage

    title = factory.Sequence(lambda n: f"Sondage {n}")
