"""The funding guide's part of the demo network.

- the network's sources: the national programmes of the starter content (loaded before,
  see ``starter_content.py``), the calls with fixed dates placed around the load day, and
  two real programmes of the demo's region (``demo_data/``, through the same import);
- seven aids of Aides-territoires (mobility, food, seniors, third places) from a recorded
  answer of its API (``demo_data/aides-territoires.json``), through the sync's own code;
- Saint-Aubin-les-Vignes' own sources: the Département's call, shared with the network,
  and a private fund of the (invented) intercommunality (texts in ``demo_content``);
- the module switched on in every demo commune, and the network's guide under the network
  home;
- applications of the catalogue's demo projects (the catalogue's loader runs first:
  ``project_catalog`` comes before ``project_catalog.funding`` in INSTALLED_APPS), one in
  each status;
- a deadline alert for Saint-Aubin's town-hall account.

Everything passes the models' validation (full_clean). Called by ``manage.py load_demo``
through the module's ``demo_loader``; idempotent: what exists (found by slug, or by
project and source) is left as it is.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from home.onboarding import create_and_publish, get_network_home, switch_module_on
from mprc_cms.modules import get_module
from project_catalog.api import ProjectCategory, ProjectPage

from . import aides_territoires, demo_content
from .models import (
    AidesTerritoiresSync,
    ApplicantType,
    DeadlineAlert,
    Financer,
    FundingApplication,
    FundingGuidePage,
    FundingSource,
    Scope,
    Timing,
)
from .starter_content import load_sources
from .windows import current_window

NETWORK_GUIDE_TITLE = "Guide des financements"
NETWORK_GUIDE_SLUG = "guide-des-financements"
NETWORK_GUIDE_INTRO = (
    "Les aides publiques qui peuvent financer les projets des micro-parlements : "
    "subventions, prêts, appels à projets et appui en ingénierie, tenus à jour par la "
    "coordination du réseau."
)
REGIONAL_SOURCES_FILE = (
    Path(__file__).resolve().parent / "demo_data" / "sources-bourgogne-franche-comte.csv"
)
# A recorded answer of Aides-territoires (see demo_data/README.md).
AIDES_TERRITOIRES_FILE = REGIONAL_SOURCES_FILE.parent / "aides-territoires.json"
COMMUNE_GUIDE_INTRO = (
    "Les aides qui peuvent financer les projets de la commune et de ses habitants, avec "
    "leurs dates limites. Vérifiez toujours les conditions sur la page officielle avant de "
    "déposer un dossier."
)


def aides_territoires_pages(today, path=AIDES_TERRITOIRES_FILE):
    """The recorded pages of Aides-territoires, their dates moved by the days between the
    recording and ``today`` (so the demo always has aids open and closing soon)."""
    recorded = json.loads(path.read_text(encoding="utf-8"))
    shift = today - datetime.date.fromisoformat(recorded["recorded_on"])
    for page in recorded["pages"]:
        for aid in page["results"]:
            for name in ("start_date", "submission_deadline"):
                if aid.get(name):
                    aid[name] = (datetime.date.fromisoformat(aid[name]) + shift).isoformat()
    return recorded["pages"]


def _aides_territoires(today, communes):
    """The recorded aids through the sync's own code (no HTTP); the named territories cover
    the demo communes (a coordinator's choice, which later syncs keep)."""
    record = aides_territoires.synchronise(
        aides_territoires_pages(today), trigger=AidesTerritoiresSync.Trigger.DEMO, today=today
    )
    if not record.ok:
        raise RuntimeError(f"Aides-territoires demo: {record.error}")
    for source in FundingSource.objects.filter(
        aides_territoires_id__isnull=False, scope=Scope.TERRITORY
    ):
        if not source.territory_communes.exists():
            source.territory_communes.set(communes)
    return record


def load(communes, stdout=None, scale=1):
    today = timezone.localdate()
    communes = list(communes)
    with transaction.atomic():
        load_sources(REGIONAL_SOURCES_FILE)
        financers = _financers()
        _dated_windows(today)
        synced = _aides_territoires(today, communes)
        sources = {source.slug: source for source in FundingSource.objects.filter(commune=None)}
        by_insee = {commune.insee_code: commune for commune in communes}
        saint_aubin = by_insee.get(demo_content.SAINT_AUBIN)
        if saint_aubin is not None:
            for data in demo_content.COMMUNE_SOURCES:
                sources[data["slug"]] = _source(data, financers, today, commune=saint_aubin)
        _guides(communes)
        _applications(by_insee, sources, today)
        if saint_aubin is not None:
            _alert(saint_aubin)
    if stdout is not None:
        stdout.write(
            f"Guide des financements : {FundingSource.objects.count()} sources, "
            f"{Financer.objects.count()} financeurs, "
            f"{FundingApplication.objects.count()} dossiers de financement ; "
            f"Aides-territoires : {synced.created} aides importées, {synced.updated} mises à "
            f"jour, {synced.closed} closes."
        )


def _financers():
    financers = {}
    for key, (name, level, website) in demo_content.FINANCERS.items():
        financer = Financer.objects.filter(name=name).first()
        if financer is not None and not financer.website and website:
            financer.website = website
            financer.full_clean()
            financer.save(update_fields=["website"])
        if financer is None:
            financer = Financer(name=name, level=level, website=website)
            financer.full_clean()
            financer.save()
        financers[key] = financer
    return financers


def _dated_windows(today):
    """Place the network's calls with fixed dates that have none yet around ``today``."""
    for source in FundingSource.objects.filter(
        commune=None,
        slug__in=demo_content.DATED_WINDOWS,
        timing=Timing.DATED,
        opens_on=None,
        closes_on=None,
    ):
        start, end = demo_content.DATED_WINDOWS[source.slug]
        source.opens_on = today + datetime.timedelta(days=start)
        source.closes_on = today + datetime.timedelta(days=end)
        source.checked_on = min(source.checked_on, today)
        source.full_clean()
        source.save()


def _dates(timing, today):
    """(timing, opens_on, closes_on) from a demo_content timing spec."""
    kind = timing[0]
    if kind == "permanent":
        return Timing.PERMANENT, None, None
    _kind, opening, closing = timing
    # Store the dates of the window open today (else the next one): the year does not
    # count for a yearly source, but the admin then shows real dates.
    opens_on = datetime.date(today.year, *opening) if opening else None
    closes_on = datetime.date(today.year, *closing)
    window = current_window(Timing.YEARLY, opens_on, closes_on, today)
    return Timing.YEARLY, window.start, window.end


def _source(data, financers, today, commune):
    source = FundingSource.objects.filter(slug=data["slug"]).first()
    if source is not None:
        return source
    timing, opens_on, closes_on = _dates(data["timing"], today)
    source = FundingSource(
        slug=data["slug"],
        name=data["name"],
        summary=data["summary"],
        financer=financers[data["financer"]],
        co_financers=data["co_financers"],
        kind=data["kind"],
        themes=data["themes"],
        scope=data["scope"],
        region=data.get("region", ""),
        department=data.get("department", ""),
        territory_name=data.get("territory_name", ""),
        covers_investment="investment" in data["covers"],
        covers_operating="operating" in data["covers"],
        covers_studies="studies" in data["covers"],
        description=data["description"],
        amount_min=data.get("amount_min"),
        amount_max=data.get("amount_max"),
        rate_min=data.get("rate_min"),
        rate_max=data.get("rate_max"),
        amount_comment=data["amount_comment"],
        timing=timing,
        opens_on=opens_on,
        closes_on=closes_on,
        how_to_apply=data["how_to_apply"],
        url=data["url"],
        contact=data["contact"],
        # Checked in late 2026; never a day after the load day.
        checked_on=min(demo_content.CHECKED_ON, today),
        checked_by=data["checked_by"],
        commune=commune,
        shared=data.get("shared", False),
    )
    source.full_clean()
    source.save()
    source.applicants.set(ApplicantType.objects.filter(slug__in=data["applicants"]))
    source.categories.set(ProjectCategory.objects.filter(slug__in=data["categories"]))
    return source


def _guides(communes):
    module = get_module("funding")
    for commune in communes:
        page, created = switch_module_on(commune, module)
        if created:
            page = page.specific
            page.intro = COMMUNE_GUIDE_INTRO
            page.save_revision(log_action=False).publish()
    home = get_network_home()
    if not FundingGuidePage.objects.child_of(home).exists():
        create_and_publish(
            home,
            FundingGuidePage(
                title=NETWORK_GUIDE_TITLE,
                slug=NETWORK_GUIDE_SLUG,
                intro=NETWORK_GUIDE_INTRO,
                show_in_menus=True,
            ),
        )


def _applications(by_insee, sources, today):
    def ago(days):
        return today - datetime.timedelta(days=days) if days is not None else None

    for data in demo_content.APPLICATIONS:
        commune = by_insee.get(data["commune"])
        source = sources.get(data["source"])
        if commune is None or source is None:
            continue
        project = ProjectPage.objects.descendant_of(commune).filter(slug=data["project"]).first()
        if project is None:  # the catalogue's demo did not run
            continue
        if FundingApplication.objects.filter(project=project, source=source).exists():
            continue
        application = FundingApplication(
            commune=commune,
            project=project,
            source=source,
            status=data["status"],
            amount_requested=data["amount_requested"],
            amount_granted=data.get("amount_granted"),
            submitted_on=ago(data.get("submitted")),
            decided_on=ago(data.get("decided")),
            paid_on=ago(data.get("paid")),
            note=data["note"],
        )
        application.full_clean()
        application.save()


def _alert(commune):
    """Saint-Aubin's town-hall account is warned a month before deadlines."""
    user = (
        get_user_model()
        .objects.filter(groups=commune.editors_group, is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        return
    DeadlineAlert.objects.get_or_create(
        user=user, commune=commune, defaults={"days": DeadlineAlert.Days.MONTH}
    )
