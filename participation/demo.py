"""The volunteer lists of the demo network.

Each commune gets its sign-up page (the module is switched on) with a cycle ending a few
months ahead; most also get confirmed volunteers with their consent, sign-ups awaiting
confirmation (one by phone only) and an extract of the electoral roll, with households
sharing an address and a rural mix of ages and socio-professional categories. A few
volunteers are on the electoral roll too, as in real life.

People are made up: French names from Faker with a fixed seed per commune, so the demo is
the same on every run; e-mail addresses only at example.org / example.net, phone numbers
only in the range ARCEP keeps for fiction (06 39 98 xx xx).

Called by ``manage.py load_demo`` through the module's ``demo_loader``; idempotent: a
commune that already has sign-ups (or an electoral roll) gets none added.
"""

import datetime
import random
import zlib

from django.utils import timezone
from django.utils.text import slugify

from home import demo_content as home_demo_content
from home.models import CommunePage
from home.onboarding import switch_module_on
from mprc_cms import french
from mprc_cms.modules import get_module

from . import demo_content
from .choices import (
    MINIMUM_AGE,
    Availability,
    ConsentMethod,
    Gender,
    SocialCategory,
    Source,
    Status,
)
from .models import ConsentRecord, ConsentText, Pool, Volunteer, VolunteerSignupPage
from .normalise import household_key, name_key, phone_key
from .retention import add_months, default_retention_end

EARLIEST_BIRTH_YEAR = 1940
LATEST_BIRTH_YEAR = 2008
# Birth years of a rural commune's adults, as (first, last, weight): more people over 50.
BIRTH_YEAR_BANDS = [(1940, 1955, 22), (1956, 1965, 20), (1966, 1980, 24), (1981, 1995, 20)]
YOUNGEST_BAND_WEIGHT = 14
EMAIL_DOMAINS = ["example.org", "example.net"]


def with_keys(volunteer):
    """Set what ``Volunteer.save()`` derives, for ``bulk_create``; returns the volunteer."""
    volunteer.email = (volunteer.email or "").strip().lower()
    volunteer.name_key = name_key(volunteer.first_name, volunteer.last_name)[:210]
    volunteer.phone_key = phone_key(volunteer.phone)[:30]
    volunteer.household_key = household_key(volunteer.household or volunteer.address)
    if volunteer.pool is not None:
        volunteer.source = volunteer.pool.source
    return volunteer


class People:
    """Made-up residents of one commune, the same for the same commune and purpose."""

    def __init__(self, commune, purpose, hamlets, today):
        from faker import Faker  # a development dependency: only the demo needs it

        seed = zlib.crc32(f"{commune.insee_code}/{purpose}".encode())
        self.random = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.hamlets = hamlets
        self.year = today.year
        self.latest_birth_year = min(LATEST_BIRTH_YEAR, self.year - MINIMUM_AGE)
        self.addresses = set()
        self.emails = set()
        self.phones = set()

    def birth_year(self):
        bands = [*BIRTH_YEAR_BANDS, (1996, self.latest_birth_year, YOUNGEST_BAND_WEIGHT)]
        first, last, _weight = self.random.choices(bands, weights=[b[2] for b in bands])[0]
        return self.random.randint(first, min(last, self.latest_birth_year))

    def social_category(self, birth_year):
        age = self.year - birth_year
        chance = self.random.random()
        if age >= 65:
            if chance < 0.92:
                return SocialCategory.RETIRED
            return self.random.choice([SocialCategory.FARMERS, SocialCategory.SELF_EMPLOYED])
        if age >= 60 and chance < 0.45:
            return SocialCategory.RETIRED
        if age <= 22 and chance < 0.65:
            return SocialCategory.OTHER_INACTIVE  # pupils and students
        categories = demo_content.WORKING_CATEGORIES
        return self.random.choices(
            [value for value, _weight in categories], weights=[w for _value, w in categories]
        )[0]

    def home(self):
        """A hamlet and an address no one else uses yet."""
        hamlets = self.hamlets or [""]
        weights = [3 if hamlet in (demo_content.BOURG, "") else 1 for hamlet in hamlets]
        for attempt in range(1000):
            hamlet = self.random.choices(hamlets, weights=weights)[0]
            street = self.random.choice(streets(hamlet))
            address = f"{self.random.randint(1, 30 + 10 * attempt)} {street}"
            if address not in self.addresses:
                self.addresses.add(address)
                return hamlet, address
        raise RuntimeError("No free address left.")  # pragma: no cover

    def person(self, gender=None, last_name=None, birth_year=None):
        gender = gender or self.random.choice([Gender.FEMALE, Gender.MALE])
        draw = self.fake.first_name_female if gender == Gender.FEMALE else self.fake.first_name_male
        first_name = draw()
        while first_name in demo_content.UNLIKELY_FIRST_NAMES:
            first_name = draw()
        birth_year = birth_year or self.birth_year()
        return {
            "first_name": first_name,
            "last_name": last_name or self.fake.last_name(),
            "gender": gender,
            "birth_year": birth_year,
            "social_category": self.social_category(birth_year),
        }

    def email(self, person):
        local = f"{slugify(person['first_name'])}.{slugify(person['last_name'])}"
        domain = self.random.choice(EMAIL_DOMAINS)
        email, number = f"{local}@{domain}", 1
        while email in self.emails:
            number += 1
            email = f"{local}{number}@{domain}"
        self.emails.add(email)
        return email

    def phone(self):
        while True:
            phone = f"06 39 98 {self.random.randint(0, 99):02d} {self.random.randint(0, 99):02d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def availability(self):
        values = [choice.value for choice in Availability]
        chosen = set(self.random.sample(values, self.random.randint(1, 3)))
        return [value for value in values if value in chosen]


def _of(name):
    """« Les Granges » → « des Granges », « La Croix » → « de la Croix »: a street names a
    hamlet with its article in lower case."""
    if name.startswith(("La ", "L’", "L'")):
        name = "l" + name[1:]
    return french.de(name)


def streets(hamlet):
    if hamlet in (demo_content.BOURG, ""):
        return demo_content.BOURG_STREETS
    return [f"route {_of(hamlet)}", f"chemin {_of(hamlet)}", f"impasse {_of(hamlet)}"]


def _config(commune):
    return demo_content.COMMUNES.get(commune.insee_code, demo_content.DEFAULT)


def _set_hamlets(commune):
    """The hamlets of home.demo_content, on communes that have none yet."""
    data = next((c for c in home_demo_content.COMMUNES if c["insee"] == commune.insee_code), None)
    if data is None or not data.get("hamlets") or commune.hamlets:
        return commune
    live = CommunePage.objects.get(pk=commune.pk)
    live.hamlets = data["hamlets"]
    live.save_revision().publish()
    commune.hamlets = live.hamlets
    return commune


def _signup_page(commune, months):
    page, _created = switch_module_on(commune, get_module("participation"))
    page = page.specific
    if page.cycle_end is None:
        page.cycle_end = add_months(timezone.localdate(), months)
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def _volunteer_data(commune, config, scale, today):
    """The commune's sign-ups: confirmed ones, then pending ones, then one by phone."""
    people = People(commune, "volontaires", commune.hamlet_list(), today)
    confirmed = config["volunteers"] * scale
    total = confirmed + config["pending"] + (1 if confirmed else 0)
    data = []
    for number in range(total):
        person = people.person()
        person["hamlet"], person["address"] = people.home()
        person["availability"] = people.availability()
        by_phone_only = number == total - 1 and number >= confirmed + config["pending"]
        person["email"] = "" if by_phone_only else people.email(person)
        person["phone"] = people.phone() if by_phone_only or people.random.random() < 0.4 else ""
        if number % 12 == 5:
            person["gender"] = Gender.UNDISCLOSED
        if number % 15 == 7:
            person["social_category"] = SocialCategory.UNDISCLOSED
        person["status"] = Status.ACTIVE if number < confirmed else Status.PENDING
        if person["status"] == Status.ACTIVE:
            days_ago = people.random.randint(3, 80)
            minutes = people.random.randint(3, 2000)
        else:
            days_ago = people.random.randint(0, 5)
            minutes = None
        person["days_ago"] = days_ago
        person["minutes_to_confirm"] = minutes
        person["minutes_of_day"] = people.random.randint(60, 600)
        data.append(person)
    return data, people.addresses


def _add_volunteers(commune, page, data):
    now = timezone.now()
    consent_text = ConsentText.for_text(commune, page.rendered_consent_text())
    retention_end = default_retention_end(commune)
    fields = ("first_name", "last_name", "gender", "birth_year", "social_category", "hamlet")
    fields += ("address", "availability", "email", "phone", "status")
    volunteers, moments = [], []
    for person in data:
        created_at = now - datetime.timedelta(
            days=person["days_ago"], minutes=person["minutes_of_day"]
        )
        confirmed_at = None
        if person["status"] == Status.ACTIVE:
            confirmed_at = created_at + datetime.timedelta(minutes=person["minutes_to_confirm"])
        volunteers.append(
            with_keys(
                Volunteer(
                    commune=commune,
                    source=Source.VOLUNTEER_LIST,
                    created_at=created_at,
                    confirmed_at=confirmed_at,
                    retention_end=retention_end if confirmed_at else None,
                    **{name: person[name] for name in fields},
                )
            )
        )
        moments.append((created_at, confirmed_at))
    Volunteer.objects.bulk_create(volunteers)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            volunteer=volunteer,
            consent_text=consent_text,
            method=ConsentMethod.ONLINE,
            given_at=given_at,
            confirmed_at=confirmed_at,
        )
        for volunteer, (given_at, confirmed_at) in zip(volunteers, moments, strict=True)
    )
    return volunteers


def _household(people, size):
    """The adults of one household of the electoral roll, sharing one address."""
    hamlet, address = people.home()
    head = people.person()
    members = [head]
    if size >= 2:
        gender = Gender.MALE if head["gender"] == Gender.FEMALE else Gender.FEMALE
        if people.random.random() < 0.08:
            gender = head["gender"]
        birth_year = head["birth_year"] + people.random.randint(-6, 6)
        birth_year = max(EARLIEST_BIRTH_YEAR, min(birth_year, people.latest_birth_year))
        shares_name = people.random.random() < 0.65
        members.append(
            people.person(
                gender=gender,
                last_name=head["last_name"] if shares_name else None,
                birth_year=birth_year,
            )
        )
    for _number in range(2, size):
        birth_year = head["birth_year"] + people.random.randint(22, 35)
        if birth_year <= people.latest_birth_year:
            # A grown-up child still living at home.
            members.append(people.person(last_name=head["last_name"], birth_year=birth_year))
        else:
            members.append(people.person())  # a housemate
    for member in members:
        member["hamlet"], member["address"] = hamlet, address
    return members


def _roll_data(commune, config, scale, today, volunteers, taken):
    people = People(commune, "liste-electorale", commune.hamlet_list(), today)
    people.addresses |= taken
    wanted = config["roll"] * scale
    # A few confirmed volunteers are on the electoral roll too.
    data = [
        {name: person[name] for name in ("first_name", "last_name", "gender", "birth_year")}
        | {name: person[name] for name in ("social_category", "hamlet", "address")}
        for person in volunteers[: demo_content.ON_BOTH_LISTS]
        if person["status"] == Status.ACTIVE
    ]
    for person in data:
        if person["gender"] not in (Gender.FEMALE, Gender.MALE):
            person["gender"] = people.random.choice([Gender.FEMALE, Gender.MALE])
        if person["social_category"] == SocialCategory.UNDISCLOSED:
            person["social_category"] = people.social_category(person["birth_year"])
    sizes = demo_content.HOUSEHOLD_SIZES
    while len(data) < wanted:
        size = people.random.choices([s for s, _w in sizes], weights=[w for _s, w in sizes])[0]
        data.extend(_household(people, min(size, wanted - len(data))))
    return data


def _add_roll(commune, data, today):
    pool = Pool.objects.create(
        commune=commune,
        name=f"Liste électorale — extrait {demo_content.MONTHS[today.month - 1]} {today.year}",
        source=Source.ELECTORAL_ROLL,
        description=demo_content.POOL_DESCRIPTION,
    )
    Volunteer.objects.bulk_create(
        [
            with_keys(Volunteer(commune=commune, pool=pool, status=Status.ACTIVE, **person))
            for person in data
        ],
        batch_size=500,
    )
    return pool


def load(communes, stdout=None, scale=1):
    today = timezone.localdate()
    scale = max(int(scale or 1), 1)
    for commune in communes:
        config = _config(commune)
        commune = _set_hamlets(commune)
        page = _signup_page(commune, config["cycle_months"])
        volunteers, taken = _volunteer_data(commune, config, scale, today)
        has_signups = Volunteer.objects.filter(
            commune=commune, source=Source.VOLUNTEER_LIST
        ).exists()
        if volunteers and not has_signups:
            _add_volunteers(commune, page, volunteers)
        has_roll = Pool.objects.filter(commune=commune, source=Source.ELECTORAL_ROLL).exists()
        if config["roll"] and not has_roll:
            _add_roll(commune, _roll_data(commune, config, scale, today, volunteers, taken), today)
    if stdout is not None:
        signups = Volunteer.objects.filter(source=Source.VOLUNTEER_LIST)
        pools = Pool.objects.all()
        stdout.write(
            f"Liste des volontaires : {VolunteerSignupPage.objects.count()} pages d'inscription, "
            f"{signups.filter(status=Status.ACTIVE).count()} volontaires, "
            f"{signups.filter(status=Status.PENDING).count()} inscriptions en attente, "
            f"{pools.count()} listes ({Volunteer.objects.filter(pool__in=pools).count()} "
            "personnes)."
        )
