"""The answers the draw needs, with the words residents see."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a person comes from: a draw sets seats per source."""

    VOLUNTEER_LIST = "volunteer_list", _("Volunteer list")
    ELECTORAL_ROLL = "electoral_roll", _("Electoral roll")
    LAND_REGISTER = "land_register", _("Land register")
    MANUAL = "manual", _("Manual entry")


# The sources a list imported from a file may have (the volunteer list fills itself).
POOL_SOURCES = [
    (Source.ELECTORAL_ROLL.value, Source.ELECTORAL_ROLL.label),
    (Source.LAND_REGISTER.value, Source.LAND_REGISTER.label),
    (Source.MANUAL.value, Source.MANUAL.label),
]


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    ACTIVE = "active", _("In the list")
    EXCLUDED = "excluded", _("Set aside from draws")


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class SocialCategory(models.TextChoices):
    """The INSEE's socio-professional groups (PCS 2020, first level)."""

    FARMERS = "1", _("Farmers")
    SELF_EMPLOYED = "2", _("Craftspeople, shopkeepers and business owners")
    MANAGERS = "3", _("Managers and higher intellectual professions")
    INTERMEDIATE = "4", _("Intermediate professions")
    EMPLOYEES = "5", _("Employees")
    WORKERS = "6", _("Manual workers")
    RETIRED = "7", _("Retired people")
    OTHER_INACTIVE = "8", _("Other people without a professional activity")
    UNDISCLOSED = "0", _("Prefers not to say")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekdays, daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    SATURDAY = "saturday", _("Saturdays")
    SUNDAY = "sunday", _("Sundays")


class ConsentMethod(models.TextChoices):
    """How a person gave their consent. The values of the town hall's channels are those of
    ``mprc_cms.channels.Channel``; ``STAFF`` is kept for records made before the channel
    was recorded."""

    ONLINE = "online", _("Online form, confirmed by e-mail")
    PAPER = "paper", _("Paper form handed in to the town hall")
    PHONE = "phone", _("By phone, to the town hall")
    COUNTER = "counter", _("In person, at the town hall's counter")
    STAFF = "staff", _("Recorded by the town hall (channel not recorded)")


# The ways staff record a consent given to the town hall.
STAFF_CONSENT_METHODS = (ConsentMethod.PAPER, ConsentMethod.PHONE, ConsentMethod.COUNTER)


# Age bands of the draw (those of the Convention citoyenne pour le climat), as
# (key, label, lowest age, highest age or None).
AGE_BANDS = [
    ("16-24", _("16 to 24"), 16, 24),
    ("25-34", _("25 to 34"), 25, 34),
    ("35-49", _("35 to 49"), 35, 49),
    ("50-64", _("50 to 64"), 50, 64),
    ("65+", _("65 and over"), 65, None),
]
MINIMUM_AGE = 16
MAXIMUM_AGE = 110


def age_band_choices():
    return [(key, label) for key, label, _low, _high in AGE_BANDS]


def age_band(birth_year, year=None):
    """The band key of someone born in ``birth_year`` (age reached this year), or ''."""
    if not birth_year:
        return ""
    age = (year or timezone.localdate().year) - birth_year
    for key, _label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return ""


def birth_years_for_band(key, year=None):
    """(earliest, latest) birth year of an age band, for filtering."""
    year = year or timezone.localdate().year
    for band, _label, low, high in AGE_BANDS:
        if band == key:
            earliest = year - high if high is not None else year - MAXIMUM_AGE
            return earliest, year - low
    return None
