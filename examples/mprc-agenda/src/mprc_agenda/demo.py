"""The agenda of the demo network (``ModuleInfo.demo_loader``): every demo commune switches
the agenda on and gets a few believable events around today — the rotating market, a
meeting of the micro-parliament, a youth workshop, the village fête, a cancelled concert —
and a few past ones for the archive. Idempotent: an agenda that has events gets none added.
"""

import datetime

from django.utils import timezone

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module

from .models import EventPage


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _next_weekday(day, weekday):
    """The first ``weekday`` (0 = Monday) on or after ``day``."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _events(commune, today):
    hamlets = getattr(commune, "hamlet_list", list)() or ["Le Bourg"]
    other = hamlets[1] if len(hamlets) > 1 else hamlets[0]
    market = _next_weekday(today + datetime.timedelta(days=2), 5)
    fete = _next_weekday(today + datetime.timedelta(days=38), 5)
    workshop = _next_weekday(today + datetime.timedelta(days=14), 2)
    return [
        EventPage(
            title="Marché tournant",
            slug="marche-tournant",
            start=_at(market, 8),
            end=_at(market, 12, 30),
            place="Place du lavoir",
            hamlet=other,
            organiser="Mairie",
            description=(
                "Le marché fait étape dans le hameau : fruits et légumes de saison, fromages "
                "de chèvre, pain au levain, miel. Venez avec vos paniers !"
            ),
        ),
        EventPage(
            title="Réunion du micro-parlement",
            slug="reunion-micro-parlement",
            start=_at(today + datetime.timedelta(days=9), 20),
            end=_at(today + datetime.timedelta(days=9), 22),
            place="Salle du conseil, mairie",
            hamlet=hamlets[0],
            organiser="Micro-parlement rural",
            description=(
                "Séance publique : les membres tirés au sort présentent leurs propositions "
                "sur les chemins communaux. Chacun peut venir écouter."
            ),
        ),
        EventPage(
            title="Atelier jeunes : tourner un court métrage",
            slug="atelier-jeunes",
            start=_at(workshop, 14),
            end=_at(workshop, 17),
            place="Foyer rural",
            address="2 rue de l’École",
            hamlet=hamlets[0],
            organiser="Foyer rural",
            description=(
                "Pour les 11–17 ans : écrire, filmer et monter un petit film sur la commune. "
                "Matériel fourni, gratuit, goûter offert."
            ),
        ),
        EventPage(
            title="Concert de la chorale",
            slug="concert-chorale",
            start=_at(today + datetime.timedelta(days=20), 18),
            place="Église",
            hamlet=hamlets[0],
            organiser="Chorale des Vallons",
            cancelled=True,
            description="Le concert est annulé : la cheffe de chœur est souffrante.",
        ),
        EventPage(
            title="Fête du village",
            slug="fete-du-village",
            start=_at(fete, 11),
            end=_at(fete + datetime.timedelta(days=1), 1),
            place="Pré communal",
            hamlet=hamlets[0],
            organiser="Comité des fêtes",
            link="https://example.org/fete-du-village",
            description=(
                "Vide-greniers le matin, repas champêtre à midi, concours de pétanque "
                "l’après-midi, bal et feu d’artifice à la nuit tombée."
            ),
        ),
        EventPage(
            title="Nettoyage de printemps des chemins",
            slug="nettoyage-chemins",
            start=_at(today - datetime.timedelta(days=24), 9),
            end=_at(today - datetime.timedelta(days=24), 12),
            place="Parking de la mairie",
            hamlet=hamlets[0],
            organiser="Mairie",
            description="Gants et sacs fournis ; un casse-croûte attend les bénévoles.",
        ),
        EventPage(
            title="Réunion publique sur le budget",
            slug="reunion-budget",
            start=_at(today - datetime.timedelta(days=45), 19),
            place="Salle des fêtes",
            hamlet=hamlets[0],
            organiser="Conseil municipal",
            description="Présentation du budget de l’année et questions des habitants.",
        ),
    ]


def load(communes, stdout=None, scale=1):
    module = get_module("agenda")
    today = timezone.localdate()
    added = 0
    for commune in communes:
        agenda, _created = switch_module_on(commune, module)
        agenda = agenda.specific
        if EventPage.objects.child_of(agenda).exists():
            continue
        for event in _events(commune, today):
            event.live = False
            agenda.add_child(instance=event)
            event.save_revision().publish()
            added += 1
    if stdout is not None:
        stdout.write(
            f"Agenda : {EventPage.objects.live().count()} événements en ligne ({added} ajoutés)."
        )
