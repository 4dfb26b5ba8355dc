"""Test-data factories of the participation module (used by the tests and the benchmarks).

Every person and list belongs to a commune: pass ``commune=…`` (or ``pool=…``, whose
commune is then used). The sign-up page need not exist; when it does, consents use its
current text.

``VolunteerFactory(commune=c)``
    An active person entered by hand (source ``manual``), without e-mail or consent:
    unique name, born in 1980, a woman, an employee, an address of her own.
``VolunteerFactory(commune=c, signed_up=True)``
    A confirmed sign-up of the volunteer list: an ``@example.org`` e-mail, status active,
    signed up a day ago and confirmed now, ``retention_end`` set, and one confirmed online
    :class:`~participation.models.ConsentRecord`.
``VolunteerFactory(commune=c, pending=True)``
    A sign-up waiting for its confirmation: status pending, one unconfirmed online
    consent record.
``VolunteerFactory(pool=p)``
    A person of an imported list (source and commune follow the list; no consent).
``VolunteerFactory(…, consent=True)`` / ``consent=False``
    Add (or leave out) that consent record whatever the traits say; its fields can be
    set with ``consent_record__method=ConsentMethod.STAFF``, ``consent_record__recorded_by=…``.
``PoolFactory(commune=c)``
    An electoral-roll extract with a unique name; ``PoolFactory(commune=c, members=5)``
    adds five people to it.
``ConsentRecordFactory(volunteer=v)``
    A confirmed online consent to the commune's current consent text.
``bulk_volunteers(commune, count, **fields)``
    ``count`` people in a few queries (no ``save()``: the derived keys are set here), for
    large lists in tests and benchmarks.
"""

import datetime

import factory
from django.utils import timezone

from .choices import ConsentMethod, Gender, SocialCategory, Source, Status
from .demo import with_keys
from .models import ConsentRecord, Pool, Volunteer
from .retention import default_retention_end

FIRST_NAMES = [
    "Camille",
    "Louise",
    "Jeanne",
    "Martine",
    "Sylvie",
    "Chantal",
    "Émilie",
    "Nathalie",
    "Claire",
    "Josette",
]
LAST_NAMES = [
    "Bernard",
    "Perrin",
    "Lambert",
    "Guillot",
    "Chevalier",
    "Roux",
    "Bonnot",
    "Mercier",
    "Dufour",
    "Renaud",
]


def _current_consent_text(commune):
    from .registration import current_consent_text

    return current_consent_text(commune)


def _add_consent(volunteer, create, extracted, **kwargs):
    """One online consent record, confirmed when the person is."""
    if not create:
        return
    kwargs.setdefault("given_at", volunteer.created_at)
    kwargs.setdefault(
        "confirmed_at", volunteer.confirmed_at if volunteer.status != Status.PENDING else None
    )
    ConsentRecordFactory(volunteer=volunteer, **kwargs)


class PoolFactory(factory.django.DjangoModelFactory):
    """A list imported from a file (``commune=…`` is required)."""

    class Meta:
        model = Pool
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Liste électorale — extrait n° {n}")
    source = Source.ELECTORAL_ROLL
    description = "Extrait remis par la mairie pour le tirage au sort."

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """``members=N``: N people in the list."""
        if create and extracted:
            VolunteerFactory.create_batch(int(extracted), pool=self, **kwargs)


class VolunteerFactory(factory.django.DjangoModelFactory):
    """A person of a commune (see the module docstring for the traits)."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    class Params:
        signed_up = factory.Trait(
            source=Source.VOLUNTEER_LIST,
            status=Status.ACTIVE,
            email=factory.Sequence(lambda n: f"volontaire{n}@example.org"),
            created_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
            confirmed_at=factory.LazyFunction(timezone.now),
            retention_end=factory.LazyAttribute(
                lambda person: default_retention_end(person.commune)
            ),
            consent=True,
        )
        pending = factory.Trait(
            source=Source.VOLUNTEER_LIST,
            status=Status.PENDING,
            email=factory.Sequence(lambda n: f"inscription{n}@example.org"),
            confirmed_at=None,
            consent=True,
        )

        consent = False

    pool = None
    commune = factory.LazyAttribute(lambda person: person.pool.commune if person.pool else None)
    source = factory.LazyAttribute(lambda person: person.pool.source if person.pool else "manual")
    status = Status.ACTIVE
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: f"{LAST_NAMES[n % len(LAST_NAMES)]}-{n}")
    email = ""
    phone = ""
    birth_year = 1980
    gender = Gender.FEMALE
    hamlet = ""
    social_category = SocialCategory.EMPLOYEES
    address = factory.Sequence(lambda n: f"{n + 1} rue de l'Église")
    household = ""
    availability = factory.LazyFunction(list)

    consent_record = factory.Maybe("consent", factory.PostGeneration(_add_consent))


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    """A confirmed online consent of ``volunteer`` to its commune's current text."""

    class Meta:
        model = ConsentRecord

    volunteer = factory.SubFactory(VolunteerFactory)
    consent_text = factory.LazyAttribute(
        lambda record: _current_consent_text(record.volunteer.commune)
    )
    method = ConsentMethod.ONLINE
    given_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=5))
    confirmed_at = factory.LazyFunction(timezone.now)
    recorded_by = None


def bulk_volunteers(commune, count, *, pool=None, **fields):
    """``count`` people of ``commune`` (or of ``pool``) in a few queries, with unique names
    and addresses unless ``fields`` sets them. No consent records are created."""
    start = Volunteer.objects.count()
    fields.setdefault("status", Status.ACTIVE)
    fields.setdefault("source", pool.source if pool is not None else Source.MANUAL)
    fields.setdefault("birth_year", 1980)
    people = []
    for number in range(start, start + count):
        values = {
            "first_name": FIRST_NAMES[number % len(FIRST_NAMES)],
            "last_name": f"{LAST_NAMES[number % len(LAST_NAMES)]}-{number}",
            "address": f"{number + 1} route des Granges",
            **fields,
        }
        people.append(with_keys(Volunteer(commune=commune, pool=pool, **values)))
    return Volunteer.objects.bulk_create(people, batch_size=500)
