"""The network's funding sources kept fresh from Aides-territoires (docs/funding.md).

Three parts:

- :class:`Client`: the HTTP client of the API (https://aides-territoires.beta.gouv.fr/api/):
  the API key is exchanged for a token (``POST connexion/`` with ``X-AUTH-TOKEN``), then
  ``GET aids/`` is read page after page (50 aids a page) by following ``next``, at most
  :data:`MAX_PAGES` pages. A 401 gets a new token once; every failure (HTTP error,
  timeout, invalid JSON, a page not shaped like the API's) raises
  :class:`AidesTerritoiresError`, whose message is meant for the coordinator.
- :func:`map_aid`: one aid as the fields of a :class:`FundingSource`, within their
  lengths and the model's validation, or :class:`InvalidAid` with the reason.
- :func:`synchronise`: every page is read and checked before anything is written; then one
  transaction creates or updates the network's sources by Aides-territoires id, closes
  those no longer listed, and never touches the local notes nor what the network added
  (how to apply, categories, communes of a territory). An aid that cannot be mapped is
  skipped and reported, the others are imported; a response that is not the API's (an aid
  without id, a page without ``results``, fewer aids than announced) changes nothing.
  Each run leaves an :class:`AidesTerritoiresSync`.

The sync takes an iterable of pages, so the demo feeds it a recorded response
(``demo_data/aides-territoires.json``) through the same code, without HTTP.
"""

import datetime
import html
import logging
import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from mprc_cms import page_cache
from mprc_cms.http_client import JsonClient
from mprc_cms.text import fold, plain_text
from project_catalog.api import ProjectCategory

from .models import (
    AidesTerritoiresSettings,
    AidesTerritoiresSync,
    ApplicantType,
    Financer,
    FundingKind,
    FundingSource,
    Scope,
)
from .territories import DEPARTMENTS, REGIONS
from .windows import Timing

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://aides-territoires.beta.gouv.fr/api/"
SITE_URL = "https://aides-territoires.beta.gouv.fr"
PAGE_SIZE = 50
# 2,000 aids: far more than a department's; a longer answer is an error, not a cut (a cut
# would close the aids of the pages not read).
MAX_PAGES = 40
TIMEOUT = (10, 30)  # seconds: to connect, to read
CHECKED_BY = "Aides-territoires"


def api_url():
    return getattr(settings, "MPRC_AIDES_TERRITOIRES_URL", DEFAULT_API_URL)


def api_timeout():
    return getattr(settings, "MPRC_AIDES_TERRITOIRES_TIMEOUT", TIMEOUT)


# --- Errors -----------------------------------------------------------------------------


class AidesTerritoiresError(Exception):
    """A failed exchange with Aides-territoires; ``str()`` is the coordinator's message."""


class AuthenticationError(AidesTerritoiresError):
    pass


class InvalidAid(ValueError):
    """An aid that cannot become a funding source (``str()``: why)."""


# --- The HTTP client --------------------------------------------------------------------


class Client(JsonClient):
    error_class = AidesTerritoiresError
    timeout = TIMEOUT
    # A page of 50 aids with their HTML descriptions is a few hundred kilobytes.
    max_bytes = 10 * 1024 * 1024

    MESSAGES = {
        "timeout": gettext_lazy("Aides-territoires did not answer in time (%(seconds)s s)."),
        "unreachable": gettext_lazy("Aides-territoires could not be reached: %(error)s"),
        "http": gettext_lazy("Aides-territoires answered with an error (HTTP %(status)s)."),
        "not_json": gettext_lazy("Aides-territoires sent an answer that is not valid JSON."),
        "too_large": gettext_lazy("Aides-territoires sent an answer larger than %(size)s MB."),
        "redirects": gettext_lazy("Aides-territoires redirects too many times."),
    }

    def __init__(self, api_key, base_url=None, timeout=None, max_pages=MAX_PAGES):
        super().__init__(timeout=timeout or api_timeout())
        self.api_key = api_key
        self.base_url = (base_url or api_url()).rstrip("/") + "/"
        self.max_pages = max_pages
        self.token = None

    def message(self, kind, **params):
        return str(self.MESSAGES[kind]) % params

    def _refuse(self, response):
        """An answer that is not a 200: its status in the error."""
        response.close()
        return self.fail("http", status=response.status_code)

    def connect(self):
        """Exchange the API key for a token (valid 24 hours)."""
        response = self.send(
            "POST", self.base_url + "connexion/", headers={"X-AUTH-TOKEN": self.api_key}
        )
        if response.status_code in (401, 403):
            response.close()
            raise AuthenticationError(
                _("Aides-territoires refused the API key: check it in the settings.")
            )
        if response.status_code != 200:
            raise self._refuse(response)
        data = self.read_json(response)
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise AidesTerritoiresError(_("Aides-territoires did not send a token."))
        self.token = token
        return token

    def get(self, url, params=None):
        """GET ``url`` with the token; a 401 (token expired) gets a new token, once."""
        if self.token is None:
            self.connect()
        for attempt in range(2):
            response = self.send(
                "GET", url, params=params, headers={"Authorization": f"Bearer {self.token}"}
            )
            if response.status_code != 401:
                break
            response.close()
            if attempt == 0:
                self.connect()
        else:
            raise AuthenticationError(
                _("Aides-territoires refused the new token: check the API key.")
            )
        if response.status_code != 200:
            raise self._refuse(response)
        return self.read_json(response)

    def aid_pages(self, perimeter, audiences=(), categories=()):
        """The pages of ``GET aids/`` for these filters, each checked (:func:`check_page`).
        ``next`` is followed on the API's own address (only its query string is taken)."""
        aids_url = self.base_url + "aids/"
        params = [("perimeter", perimeter), ("itemsPerPage", PAGE_SIZE)]
        params += [("targeted_audiences", audience) for audience in audiences]
        params += [("categories", category) for category in categories]
        url = aids_url
        for _number in range(self.max_pages):
            page = check_page(self.get(url, params))
            yield page
            if not page["next"]:
                return
            url, params = f"{aids_url}?{urlsplit(page['next']).query}", None
        raise AidesTerritoiresError(
            _("Aides-territoires announced more than %(pages)s pages: narrow the filters.")
            % {"pages": self.max_pages}
        )


def check_page(page):
    """A page shaped like the API's: ``count``, ``next``, ``results`` (aids with an integer
    id); anything else is an error of the whole answer."""
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise AidesTerritoiresError(_("Aides-territoires sent a page without its list of aids."))
    count = page.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise AidesTerritoiresError(_("Aides-territoires sent a page without its count of aids."))
    if "next" not in page or not (page["next"] is None or isinstance(page["next"], str)):
        raise AidesTerritoiresError(_("Aides-territoires sent a page without its next link."))
    for aid in page["results"]:
        if not isinstance(aid, dict) or not _is_id(aid.get("id")):
            raise AidesTerritoiresError(_("Aides-territoires sent an aid without identifier."))
    return page


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def fetch_all(pages):
    """Every aid of ``pages`` (all of them read before returning), by id; checks that the
    total is the one announced."""
    aids, announced = {}, None
    for page in pages:
        page = check_page(page)
        if announced is None:
            announced = page["count"]
        for aid in page["results"]:
            aids[aid["id"]] = aid
    if announced is None:
        raise AidesTerritoiresError(_("Aides-territoires sent no page."))
    if len(aids) != announced:
        raise AidesTerritoiresError(
            _("Aides-territoires announced %(announced)s aids but sent %(received)s.")
            % {"announced": announced, "received": len(aids)}
        )
    return aids


# --- Mapping an aid onto a funding source ---------------------------------------------


def _field_length(name):
    return FundingSource._meta.get_field(name).max_length


def text(value, multiline=False):
    """Plain text of an API value (HTML, or anything): no tags, no control characters."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    value = str(value)
    if multiline:
        value = re.sub(r"(?i)<br\s*/?>|</(p|li|div|h\d)>", "\n", value)
    return plain_text(html.unescape(strip_tags(value)).replace("\xa0", " "), multiline)


def shorten(value, length):
    """``value`` cut to ``length`` characters at a word, with an ellipsis when cut."""
    if len(value) <= length:
        return value
    cut = value[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _strings(value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item for item in (text(v) for v in value if isinstance(v, str)) if item]


def _date(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _rate(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= 100 else None


_URL = URLValidator(schemes=["http", "https"])


def _url(value, length=500):
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if value.startswith("/"):
        value = urljoin(SITE_URL, value)
    if not value or len(value) > length:
        return ""
    try:
        _URL(value)
    except ValidationError:
        return ""
    return value


def _financer_names(aid):
    names = _strings(aid.get("financers"))
    if not names and isinstance(aid.get("financers_full"), list):
        names = _strings(
            [item.get("name") for item in aid["financers_full"] if isinstance(item, dict)]
        )
    unique = []
    for name in names:
        name = name[: Financer._meta.get_field("name").max_length].strip()
        if name and fold(name) not in {fold(n) for n in unique}:
            unique.append(name)
    return unique


def _kind(aid_types, is_call):
    types = [fold(item) for item in aid_types]
    if is_call is True:
        return FundingKind.CALL
    if any("subvention" in item for item in types):
        return FundingKind.GRANT
    if any(item.startswith("pret") or "avance recuperable" in item for item in types):
        return FundingKind.LOAN
    if types and all("ingenierie" in item for item in types):
        return FundingKind.ENGINEERING
    return FundingKind.GRANT


def _timing(aid):
    """(timing, opens_on, closes_on) from ``recurrence`` and the dates."""
    recurrence = fold(text(aid.get("recurrence")))
    opens_on, closes_on = _date(aid.get("start_date")), _date(aid.get("submission_deadline"))
    if recurrence == "permanente":
        return Timing.PERMANENT, None, None
    if recurrence == "recurrente" and closes_on is not None:
        if opens_on is not None and (opens_on.month, opens_on.day) == (
            closes_on.month,
            closes_on.day,
        ):
            opens_on = None
        return Timing.YEARLY, opens_on, closes_on
    if opens_on is not None and closes_on is not None and opens_on > closes_on:
        opens_on = None
    return Timing.DATED, opens_on, closes_on


def _by_name(names):
    return {fold(name): code for code, name in names.items()}


_REGION_CODES = _by_name(REGIONS)
_DEPARTMENT_CODES = _by_name({code: name for code, (name, _region) in DEPARTMENTS.items()})


def _scope(aid):
    """(scope, region, department, territory name) from the perimeter."""
    scale = fold(text(aid.get("perimeter_scale")))
    perimeter = text(aid.get("perimeter"))
    if scale in ("pays", "continent", "europe") or fold(perimeter) == "france":
        return Scope.NATIONAL, "", "", ""
    if scale == "region" and fold(perimeter) in _REGION_CODES:
        return Scope.REGION, _REGION_CODES[fold(perimeter)], "", ""
    if scale == "departement" and fold(perimeter) in _DEPARTMENT_CODES:
        return Scope.DEPARTMENT, "", _DEPARTMENT_CODES[fold(perimeter)], ""
    if not perimeter:
        raise InvalidAid(_("no perimeter"))
    return Scope.TERRITORY, "", "", perimeter[: _field_length("territory_name")]


def _themes(categories):
    """The sub-themes of ``["Thème|Sous-thème", …]`` (the theme when there is none), as
    many as fit."""
    themes = []
    for category in _strings(categories):
        theme = text(category.split("|")[-1]).replace(",", " ")
        if theme and theme not in themes:
            themes.append(theme)
    kept, length = [], _field_length("themes")
    for theme in themes:
        if len(", ".join([*kept, theme])) <= length:
            kept.append(theme)
    return ", ".join(kept)


# Words in a sub-theme of Aides-territoires (folded; the theme when it has none) → the
# project category it funds (project_catalog's migration 0002). An aid gets every category
# one of its sub-themes names; one whose sub-themes name none (water, roads…) gets no
# category and, like DETR, fits every kind of project in the guide's filter. A later sync
# sets them again only when the aid's sub-themes change upstream.
CATEGORY_WORDS = [
    (
        r"mobilite partagee|mobilite solidaire|covoiturage|transport a la demande",
        "covoiturage-local",
    ),
    (
        r"circuits courts|commerce de proximite|marches? (?:de producteurs|de plein vent|paysans?)",
        "marche-producteurs-tournant",
    ),
    (r"restauration collective|cantines?\b", "cantines-locales"),
    (r"personnes agees|vieillissement|perte d.autonomie|isolement", "visites-solidaires-aines"),
    (r"jardins?\b|agriculture urbaine|potagers?\b", "jardins-partages"),
    (
        r"jeunesse|jeunes\b|insertion professionnelle|orientation professionnelle",
        "ateliers-jeunes-metiers",
    ),
    (r"tiers.lieux|espaces? de travail partages?|fablabs?\b", "tiers-lieux-ruraux"),
    (r"entraide|benevolat|economie sociale et solidaire", "echanges-de-services"),
    (r"culture\b|spectacle vivant|fetes?\b|festivals?\b|evenements?\b", "festivals-evenements"),
    (r"participation citoyenne|vie associative|democratie", "plateformes-coordination"),
]
_CATEGORY_WORDS = [(re.compile(rf"\b(?:{words})"), slug) for words, slug in CATEGORY_WORDS]


def categories_of(aid_categories):
    """The project categories' slugs that the aid's ``["Thème|Sous-thème", …]`` name."""
    slugs = set()
    for category in _strings(aid_categories):
        theme, _bar, sub_theme = category.partition("|")
        subject = fold(text(sub_theme) or text(theme))
        slugs.update(slug for words, slug in _CATEGORY_WORDS if words.search(subject))
    return sorted(slugs)


# Audiences of Aides-territoires → the guide's types of applicant (migration 0002).
AUDIENCES = {
    "commune": "communes",
    "epci": "intercommunalites",
    "association": "associations",
    "farmer": "agriculteurs",
}

# Words in a financer's name (folded; each starts a word, ``\b`` ends one) → its level,
# the first that matches (for a financer created by a sync only).
FINANCER_LEVELS = [
    (r"union europeenne|europe|feder\b|feader\b|leader\b", Financer.Level.EUROPE),
    (r"banque|caisse des depots|bpifrance", Financer.Level.PUBLIC_BANK),
    (r"region|conseil regional", Financer.Level.REGION),
    (r"departement|conseil departemental", Financer.Level.DEPARTMENT),
    (r"communaute|metropole|petr\b|pays\b|pnr\b|parc naturel", Financer.Level.INTERCOMMUNALITY),
    (
        r"caf\b|allocations familiales|msa\b|carsat\b|cnsa\b|retraite",
        Financer.Level.SOCIAL_PROTECTION,
    ),
    (r"fondation", Financer.Level.FOUNDATION),
    (r"agence|ademe\b|anct\b|office\b|cerema\b", Financer.Level.STATE_AGENCY),
    (r"ministere|prefecture|etat\b|draaf\b|dreal\b|dreets\b|drac\b|ddt\b", Financer.Level.STATE),
]
_FINANCER_LEVELS = [(re.compile(rf"\b(?:{words})"), level) for words, level in FINANCER_LEVELS]


def financer_level(name):
    folded = fold(name)
    for pattern, level in _FINANCER_LEVELS:
        if pattern.search(folded):
            return level
    return Financer.Level.OTHER


# The fields of a source that a sync sets (and updates); the others are the network's.
SYNCED_FIELDS = (
    "name",
    "summary",
    "co_financers",
    "kind",
    "themes",
    "scope",
    "region",
    "department",
    "territory_name",
    "covers_investment",
    "covers_operating",
    "covers_studies",
    "description",
    "rate_min",
    "rate_max",
    "amount_comment",
    "timing",
    "opens_on",
    "closes_on",
    "url",
    "application_url",
    "aides_territoires_url",
    "contact",
)


def map_aid(aid):
    """An aid as ``{"fields": {…}, "financer": name, "applicants": [slugs]}``; the fields
    are the :data:`SYNCED_FIELDS`, within their lengths, and pass the model's validation.
    Raises :class:`InvalidAid` (with the reason) for an aid that cannot be imported."""
    if not isinstance(aid, dict) or not _is_id(aid.get("id")):
        raise InvalidAid(_("no identifier"))
    name = shorten(text(aid.get("name")) or text(aid.get("short_title")), _field_length("name"))
    if not name:
        raise InvalidAid(_("no name"))
    financers = _financer_names(aid)
    if not financers:
        raise InvalidAid(_("no financer"))
    description = text(aid.get("description"), multiline=True)
    eligibility = text(aid.get("eligibility"), multiline=True)
    summary = shorten(text(aid.get("description")), _field_length("summary")) or name
    aid_types = _strings(aid.get("aid_types"))
    destinations = " ".join(fold(item) for item in _strings(aid.get("destinations")))
    scope, region, department, territory_name = _scope(aid)
    timing, opens_on, closes_on = _timing(aid)
    rate_min = _rate(aid.get("subvention_rate_lower_bound"))
    rate_max = _rate(aid.get("subvention_rate_upper_bound"))
    if rate_min is not None and rate_max is not None and rate_min > rate_max:
        rate_min, rate_max = rate_max, rate_min
    at_url = _url(aid.get("url"))
    if not at_url and isinstance(aid.get("slug"), str) and re.fullmatch(r"[\w-]+", aid["slug"]):
        at_url = f"{SITE_URL}/aides/{aid['slug']}/"
    co_financers = ""
    for other in financers[1:]:
        joined = f"{co_financers}, {other}" if co_financers else other
        if len(joined) > _field_length("co_financers"):
            break
        co_financers = joined
    fields = {
        "name": name,
        "summary": summary,
        "co_financers": co_financers,
        "kind": _kind(aid_types, aid.get("is_call_for_project")),
        "themes": _themes(aid.get("categories")),
        "scope": scope,
        "region": region,
        "department": department,
        "territory_name": territory_name,
        "covers_investment": "investissement" in destinations,
        "covers_operating": "fonctionnement" in destinations,
        "covers_studies": any("ingenierie" in fold(item) for item in aid_types)
        or "etude" in destinations,
        "description": shorten(
            "\n\n".join(part for part in (description, eligibility) if part),
            _field_length("description"),
        ),
        "rate_min": rate_min,
        "rate_max": rate_max,
        "amount_comment": shorten(
            text(aid.get("subvention_comment")), _field_length("amount_comment")
        ),
        "timing": timing,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "url": _url(aid.get("origin_url")) or at_url,
        "application_url": _url(aid.get("application_url")),
        "aides_territoires_url": at_url,
        "contact": shorten(text(aid.get("contact"), multiline=True), _field_length("contact")),
    }
    audiences = {fold(item) for item in _strings(aid.get("targeted_audiences"))}
    applicants = sorted({slug for key, slug in AUDIENCES.items() if key in audiences})
    # The model's own rules (ranges, a closing day for a yearly source…): an aid they
    # refuse is skipped, never half imported.
    try:
        FundingSource(**fields).full_clean(
            exclude=["slug", "financer", "checked_on"], validate_unique=False
        )
    except ValidationError as error:
        raise InvalidAid("; ".join(error.messages)) from error
    return {
        "fields": fields,
        "financer": financers[0],
        "applicants": applicants,
        "categories": categories_of(aid.get("categories")),
    }


# --- The synchronisation -----------------------------------------------------------------


def _financer(name, cache):
    key = fold(name)
    if key not in cache:
        financer = Financer.objects.filter(name__iexact=name).first()
        if financer is None:
            financer = Financer.objects.create(name=name, level=financer_level(name))
        cache[key] = financer
    return cache[key]


def _apply(mapped, today, now, financers, applicant_types, categories):
    """Create or update the source of one mapped aid; returns "created", "updated" or None
    (nothing changed upstream)."""
    aid_id = mapped["id"]
    source = FundingSource.objects.filter(aides_territoires_id=aid_id).first()
    financer = _financer(mapped["financer"], financers)
    applicants = {applicant_types[slug] for slug in mapped["applicants"] if slug in applicant_types}
    fitting = {categories[slug] for slug in mapped["categories"] if slug in categories}
    if source is None:
        source = FundingSource(
            aides_territoires_id=aid_id,
            financer=financer,
            checked_on=today,
            checked_by=CHECKED_BY,
            synced_at=now,
            **mapped["fields"],
        )
        source.save()
        source.applicants.set(applicants)
        source.categories.set(fitting)
        return "created"
    changed = [name for name, value in mapped["fields"].items() if getattr(source, name) != value]
    if source.financer_id != financer.pk:
        changed.append("financer")
    if source.removed_upstream_on is not None:
        changed.append("removed_upstream_on")
    current_applicants = set(source.applicants.all())
    # The categories follow upstream when its sub-themes change; else they are the
    # coordinators' to adjust.
    recategorised = "themes" in changed and set(source.categories.all()) != fitting
    if not changed and current_applicants == applicants:
        return None
    for name, value in mapped["fields"].items():
        setattr(source, name, value)
    source.financer = financer
    source.removed_upstream_on = None
    source.checked_on, source.checked_by, source.synced_at = today, CHECKED_BY, now
    source.save()
    if current_applicants != applicants:
        source.applicants.set(applicants)
    if recategorised:
        source.categories.set(fitting)
    return "updated"


def _close(source, today, now):
    """An aid no longer listed: closed yesterday (out of the guides), kept with its notes
    and applications; it reopens if it comes back."""
    yesterday = today - datetime.timedelta(days=1)
    source.timing = Timing.DATED
    if source.opens_on is not None and source.opens_on > yesterday:
        source.opens_on = None
    source.closes_on = yesterday
    source.removed_upstream_on = today
    source.synced_at = now
    source.save()


def synchronise(pages, trigger=AidesTerritoiresSync.Trigger.DAILY, today=None, now=None):
    """Bring the network's imported sources in line with ``pages`` (an iterable of the API's
    pages: a :class:`Client`'s, or a recorded file's). Returns the
    :class:`AidesTerritoiresSync` it recorded: ``ok`` and its counts, or the error."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    record = AidesTerritoiresSync(started_at=now, trigger=trigger)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            aids = fetch_all(pages)
            mapped, skipped = {}, []
            for aid_id, aid in aids.items():
                try:
                    mapped[aid_id] = {"id": aid_id, **map_aid(aid)}
                except InvalidAid as error:
                    skipped.append(f"{aid_id}: {error}")
            record.fetched, record.skipped = len(aids), len(skipped)
            record.skipped_details = "\n".join(skipped)
            _write(record, mapped, set(aids), today, now)
            record.ok = True
        except AidesTerritoiresError as error:
            record.error = str(error)
            logger.warning("Aides-territoires sync failed: %s", error)
        except Exception as error:
            record.error = _("The synchronisation failed: %(error)s") % {
                "error": type(error).__name__
            }
            logger.exception("Aides-territoires sync failed")
    if not record.ok:
        record.fetched = record.created = record.updated = record.closed = record.skipped = 0
        record.skipped_details = ""
    elif record.skipped:
        logger.warning(
            "Aides-territoires sync: %s aids skipped\n%s", record.skipped, record.skipped_details
        )
    record.save()
    return record


def _write(record, mapped, listed, today, now):
    financers = {}
    applicant_types = {a.slug: a for a in ApplicantType.objects.filter(slug__in=AUDIENCES.values())}
    categories = {
        category.slug: category
        for category in ProjectCategory.objects.filter(slug__in=[s for _w, s in CATEGORY_WORDS])
    }
    with transaction.atomic():
        # One sync at a time (a row lock where the database has them).
        AidesTerritoiresSettings.objects.select_for_update().filter(pk=1).first()
        for aid_id in sorted(mapped):
            outcome = _apply(mapped[aid_id], today, now, financers, applicant_types, categories)
            if outcome == "created":
                record.created += 1
            elif outcome == "updated":
                record.updated += 1
        # Skipped aids are still listed upstream: they are neither updated nor closed.
        gone = FundingSource.objects.filter(
            aides_territoires_id__isnull=False, removed_upstream_on__isnull=True
        ).exclude(aides_territoires_id__in=listed)
        for source in gone:
            _close(source, today, now)
            record.closed += 1
        seen = FundingSource.objects.filter(aides_territoires_id__in=list(mapped)).exclude(
            synced_at=now
        )
        if seen.update(synced_at=now):
            # The pages show the date of the last sync.
            page_cache.changed_everywhere()


# --- The coordinator's and the daily job's entry point -----------------------------------


def run(trigger=AidesTerritoiresSync.Trigger.DAILY, today=None, now=None):
    """Synchronise with the network's settings; None when they are missing (no key or
    no territory)."""
    config = AidesTerritoiresSettings.load()
    if not config.is_ready:
        return None
    client = Client(config.api_key)
    try:
        pages = client.aid_pages(
            config.perimeter, config.split("audiences"), config.split("categories")
        )
        return synchronise(pages, trigger=trigger, today=today, now=now)
    finally:
        client.close()


@task()
def synchronise_in_background(trigger=AidesTerritoiresSync.Trigger.MANUAL):
    """:func:`run` as a background task («Synchronise now»: an answer that takes a minute
    must not hold the coordinator's request). Returns the sync record's id, or None."""
    record = run(trigger)
    return record.pk if record is not None else None


def daily(today=None, now=None):
    """The daily job's part: the sync when enabled, and its line of the report."""
    config = AidesTerritoiresSettings.load()
    if not config.enabled:
        return _("Aides-territoires: not enabled.")
    record = run(AidesTerritoiresSync.Trigger.DAILY, today, now)
    if record is None:
        return _("Aides-territoires: enabled, but the API key or the territory is missing.")
    return report(record)


def report(record):
    if not record.ok:
        return _("Aides-territoires: failed, nothing changed. %(error)s") % {"error": record.error}
    return _(
        "Aides-territoires: %(fetched)s aids received, %(created)s created, %(updated)s "
        "updated, %(closed)s closed, %(skipped)s skipped."
    ) % {
        "fetched": record.fetched,
        "created": record.created,
        "updated": record.updated,
        "closed": record.closed,
        "skipped": record.skipped,
    }
