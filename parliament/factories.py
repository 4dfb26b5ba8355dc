"""Test data of the micro-parliament module: pages and draws (the people come from
``participation.factories``)."""

import factory


class MicroParliamentPageFactory(factory.django.DjangoModelFactory):
    """A published micro-parliament page under ``parent=…`` (a commune page, or the network
    home for a shared one); ``communes=[…]`` sets the communes it serves (default: its
    parent commune)."""

    class Meta:
        model = "parliament.MicroParliamentPage"
        skip_postgeneration_save = True

    parent = None
    title = factory.Sequence(lambda n: f"Micro-parlement n° {n}")
    slug = factory.Sequence(lambda n: f"micro-parlement-{n}")
    intro = "<p>Douze habitantes et habitants tirés au sort, des élus, des acteurs locaux.</p>"
    mandate = "<p>Proposer au conseil trois projets pour le bourg.</p>"
    cycle_name = "Cycle 1 — automne 2026"

    @classmethod
    def _create(cls, model_class, *args, parent=None, communes=None, **kwargs):
        if parent is None:
            raise ValueError("MicroParliamentPageFactory needs parent=… (a commune page).")
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if communes:
            page.communes.set(communes)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class DrawFactory(factory.django.DjangoModelFactory):
    """A draw being prepared for ``commune=…`` (required), among the volunteer list, with a
    new micro-parliament page under the commune unless ``micro_parliament=…`` is given.
    ``pools=[…]`` adds imported lists."""

    class Meta:
        model = "parliament.Draw"
        skip_postgeneration_save = True

    commune = None
    micro_parliament = factory.SubFactory(
        MicroParliamentPageFactory, parent=factory.SelfAttribute("..commune")
    )
    title = factory.Sequence(lambda n: f"Tirage des habitants, cycle {n}")
    panel_size = 4
    include_volunteer_list = True
    categories = factory.LazyFunction(lambda: ["gender", "age_band"])

    @factory.post_generation
    def pools(self, create, extracted, **kwargs):
        if create and extracted:
            self.pools.set(extracted)
