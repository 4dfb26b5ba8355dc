"""Loading the demo network in a test, as ``manage.py load_demo`` does."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import transaction

DEMO_PASSWORD = "mot-de-passe-demo"


def load_demo(**options):
    """Build (or complete) the demo network; returns what the command printed."""
    out = StringIO()
    call_command("load_demo", password=DEMO_PASSWORD, stdout=out, **options)
    return out.getvalue()


@contextmanager
def demo_rolled_back(django_db_blocker):
    """The demo network for a module's tests (a module-scoped fixture: ``with`` this, then
    ``yield``), built once and rolled back after them."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _csv_rows(path):
    import csv

    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def _month_day(text):
    return (int(text[5:7]), int(text[8:10])) if text else None


def demo_templates():
    """The demo library's templates as the starter file writes them (slug, title,
    category, steps…), with the demo's origins."""
    import json

    from project_catalog import demo_content, starter_content

    return [
        {
            "slug": row["identifiant"],
            "title": row["titre"],
            "category": row["categorie"],
            "summary": row["resume"],
            "problem": row["probleme"],
            "steps": [
                {"title": step["titre"], "description": step["description"]}
                for step in json.loads(row["etapes"])
            ],
            "budget_min": int(row["budget_min"]) if row["budget_min"] else None,
            "budget_max": int(row["budget_max"]) if row["budget_max"] else None,
            "duration": row["duree"],
            "origin": demo_content.TEMPLATE_ORIGINS.get(row["identifiant"], row["origine"]),
        }
        for row in _csv_rows(starter_content.TEMPLATES_FILE)
    ]


def demo_network_sources():
    """The demo network's sources (the starter's national ones and the demo's regional
    ones) as dicts in the shape of ``funding.demo_content.COMMUNE_SOURCES``: slug, name,
    kind, scope, region, department, categories (slugs), url, checked_by, shared and the
    timing spec the demo gives them (``("dated", start, end)`` in days from the load day)."""
    from project_catalog.funding import demo, demo_content, starter_content

    sources = []
    for path in (starter_content.SOURCES_FILE, demo.REGIONAL_SOURCES_FILE):
        for row in _csv_rows(path):
            slug = row["identifiant"]
            if row["calendrier"] == "permanent":
                timing = ("permanent",)
            elif row["calendrier"] == "yearly":
                timing = ("yearly", _month_day(row["ouverture"]), _month_day(row["cloture"]))
            else:
                timing = ("dated", *demo_content.DATED_WINDOWS[slug])
            sources.append(
                {
                    "slug": slug,
                    "name": row["nom"],
                    "kind": row["nature"],
                    "scope": row["portee"] or "national",
                    "region": row["region"],
                    "department": row["departement"],
                    "categories": [
                        part.strip() for part in row["categories"].split(";") if part.strip()
                    ],
                    "applicants": [
                        part.strip() for part in row["porteurs"].split(";") if part.strip()
                    ],
                    "url": row["lien"],
                    "checked_by": row["verifie_par"],
                    "shared": False,
                    "timing": timing,
                }
            )
    return sources


def demo_aides_territoires_sources():
    """The demo's aids of Aides-territoires (its recorded answer, through the sync's own
    mapping), in the shape of :func:`demo_network_sources`; the demo's named territories
    cover every demo commune (``all_communes``)."""
    import datetime

    from django.utils import timezone

    from project_catalog.funding import aides_territoires
    from project_catalog.funding.demo import aides_territoires_pages
    from project_catalog.funding.windows import Timing

    today = timezone.localdate()
    sources = []
    for page in aides_territoires_pages(today):
        for aid in page["results"]:
            mapped = aides_territoires.map_aid(aid)
            fields = mapped["fields"]
            if fields["timing"] == Timing.PERMANENT:
                timing = ("permanent",)
            elif fields["timing"] == Timing.YEARLY:
                opens, closes = fields["opens_on"], fields["closes_on"]
                timing = (
                    "yearly",
                    (opens.month, opens.day) if opens else None,
                    (closes.month, closes.day),
                )
            else:

                def days(day, default):
                    return (day - today).days if isinstance(day, datetime.date) else default

                timing = (
                    "dated",
                    days(fields["opens_on"], -10_000),
                    days(fields["closes_on"], 10_000),
                )
            sources.append(
                {
                    "slug": None,
                    "name": fields["name"],
                    "kind": fields["kind"],
                    "scope": fields["scope"],
                    "region": fields["region"],
                    "department": fields["department"],
                    "categories": mapped["categories"],
                    "applicants": mapped["applicants"],
                    "url": fields["url"],
                    "checked_by": aides_territoires.CHECKED_BY,
                    "shared": False,
                    "all_communes": True,
                    "timing": timing,
                }
            )
    return sources
