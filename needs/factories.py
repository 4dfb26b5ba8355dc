"""Test-data factories of the call for needs (used by the tests and the benchmark).

``needs_index_for(commune)``
    The commune's «Needs and ideas» page, switching the module (and those it requires) on.
``CallForNeedsPageFactory(commune=c)`` or ``(parent=index)``
    A published call, open from yesterday for four weeks; ``upcoming=True`` /
    ``closed=True`` move its dates; every theme, the commune's hamlets, published at once
    (``requires_approval=False``) unless told.
``NeedFactory(call=call)``
    A published need, confirmed, an ``@example.org`` e-mail; ``unconfirmed=True`` /
    ``pending=True``.
``SupportFactory(need=need)``
    A confirmed support; ``unconfirmed=True``.
``bulk_needs(call, count, supports=0)``
    ``count`` published needs in one query, each with ``supports`` confirmed supports.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from .models import CallForNeedsPage, Need, NeedKind, NeedsIndexPage, NeedStatus, Support


def needs_index_for(commune):
    """The commune's needs page (the module and those it requires switched on)."""
    from home.onboarding import switch_module_on
    from mprc_cms.modules import get_module

    existing = NeedsIndexPage.objects.child_of(commune).first()
    if existing is not None:
        return existing
    ordered = []

    def add(key):
        module = get_module(key)
        if module is None or module in ordered:
            return
        for required in module.info.requires:
            add(required)
        ordered.append(module)

    add("needs")
    page = None
    for module in ordered:
        index, _created = switch_module_on(commune, module)
        if module.key == "needs":
            page = index
    return page.specific


class CallForNeedsPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallForNeedsPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Appel à besoins n° {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    question = "Qu’est-ce qui manque au village ?"
    intro = "<p>Dites-nous ce qui vous manque au quotidien.</p>"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=27))
    requires_approval = False

    class Params:
        upcoming = factory.Trait(
            opens_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10)),
            closes_on=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=40)),
        )
        closed = factory.Trait(
            opens_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60)),
            closes_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
        )

    @classmethod
    def _create(cls, model_class, *args, parent=None, commune=None, themes=None, **kwargs):
        if parent is None:
            if commune is None:
                raise ValueError("CallForNeedsPageFactory needs commune=… or parent=….")
            parent = needs_index_for(commune)
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if themes:
            page.themes.set(themes)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    call = None
    commune = factory.LazyAttribute(lambda o: o.call.commune)
    kind = NeedKind.NEED
    title = factory.Sequence(lambda n: f"Une navette pour le marché n° {n}")
    description = "Le jeudi, sans voiture, impossible d’aller au marché du bourg."
    first_name = "Josette"
    email = factory.Sequence(lambda n: f"habitant-{n}@example.org")
    status = NeedStatus.PUBLISHED
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        unconfirmed = factory.Trait(
            status=NeedStatus.UNCONFIRMED, confirmed_at=None, published_at=None
        )
        pending = factory.Trait(status=NeedStatus.PENDING, published_at=None)


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    need = None
    email = factory.Sequence(lambda n: f"soutien-{n}@example.org")
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        unconfirmed = factory.Trait(confirmed_at=None)


def bulk_needs(call, count, supports=0, **fields):
    """``count`` published needs of ``call`` in one query (and their supports in another)."""
    now = timezone.now()
    fields.setdefault("status", NeedStatus.PUBLISHED)
    hamlets = call.hamlet_choices() or [""]
    needs = Need.objects.bulk_create(
        [
            Need(
                call=call,
                commune_id=call.commune.pk,
                kind=NeedKind.NEED if number % 3 else NeedKind.IDEA,
                title=f"Besoin n° {number}",
                description="Un besoin du quotidien, au village.",
                hamlet=hamlets[number % len(hamlets)],
                first_name="Camille",
                email=f"habitant-{number}@example.org",
                confirmed_at=now,
                published_at=now - timedelta(minutes=number),
                **fields,
            ).set_search_text()
            for number in range(1, count + 1)
        ],
        batch_size=500,
    )
    if supports:
        Support.objects.bulk_create(
            [
                Support(need=need, email=f"soutien-{n}@example.org", confirmed_at=now)
                for need in needs
                for n in range(supports)
            ],
            batch_size=1000,
        )
    return needs
