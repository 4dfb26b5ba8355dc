"""The calls for needs of the demo network.

The first two demo communes served by a micro-parliament (with hamlets) switch the module
on and get an open call of four weeks, with 15 to 25 needs and ideas each, spread over
their hamlets and the MPRC guide's project families, their supports («Me too»), a need
typed by the town hall from a paper form, and the town hall's answer on a few. The first
commune also has last year's call, closed, whose most supported need was kept by the
micro-parliament for a priority that became a project (when there is one).

Authors and supporters are made up: first names only, e-mail addresses at example.org.
The same commune gets the same needs on every run. Idempotent: a call that exists is left
as it is.
"""

import random
import zlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from home.onboarding import switch_module_on
from mprc_cms import page_cache
from mprc_cms.channels import Channel
from mprc_cms.modules import get_module
from project_catalog.api import ProjectCategory

from .models import (
    CallForNeedsPage,
    Need,
    NeedKind,
    NeedsIndexPage,
    NeedStatus,
    Outcome,
    Support,
)

OPEN_SLUG = "appel-a-besoins"
PAST_SLUG = "appel-a-besoins-annee-derniere"

# (kind, project family slug or None for «Other», title, description)
NEEDS = [
    (
        NeedKind.NEED,
        "covoiturage-local",
        "Un transport à la demande pour le marché du jeudi",
        "Sans voiture, impossible d’aller au marché ou chez le médecin au bourg voisin. "
        "Un minibus sur réservation, même une fois par semaine, changerait tout.",
    ),
    (
        NeedKind.IDEA,
        "covoiturage-local",
        "Un panneau de covoiturage devant la mairie",
        "Un tableau (et une page sur le site) où l’on indique ses trajets réguliers vers "
        "Mâcon ou Cluny, pour partager la voiture et l’essence.",
    ),
    (
        NeedKind.NEED,
        "marche-producteurs-tournant",
        "Un petit marché de producteurs le samedi matin",
        "Il n’y a plus de commerce depuis la fermeture de l’épicerie. Quelques producteurs "
        "du coin sur la place, une fois par mois, ce serait déjà bien.",
    ),
    (
        NeedKind.IDEA,
        "marche-producteurs-tournant",
        "Un commerce ambulant qui passe dans les hameaux",
        "Une camionnette de pain et d’épicerie qui s’arrête aux Granges et au Mont, pour "
        "les personnes âgées qui ne conduisent plus.",
    ),
    (
        NeedKind.NEED,
        "visites-solidaires-aines",
        "Des visites aux aînés isolés l’hiver",
        "Plusieurs voisins âgés ne voient personne pendant des jours quand il fait froid. "
        "Un petit réseau de visites, avec la mairie, pour prendre des nouvelles.",
    ),
    (
        NeedKind.IDEA,
        "visites-solidaires-aines",
        "Un repas partagé une fois par mois à la salle des fêtes",
        "Les anciens et les nouveaux habitants se connaissent peu : un repas où chacun "
        "apporte un plat, ouvert à tous.",
    ),
    (
        NeedKind.IDEA,
        "jardins-partages",
        "Un jardin partagé sur le terrain derrière l’école",
        "Le terrain communal est en friche. Des parcelles pour ceux qui n’ont pas de "
        "jardin, et un coin pour les enfants de l’école.",
    ),
    (
        NeedKind.NEED,
        "jardins-partages",
        "Un composteur collectif au bourg",
        "Les habitants des appartements n’ont nulle part où mettre leurs épluchures.",
    ),
    (
        NeedKind.NEED,
        "ateliers-jeunes-metiers",
        "Un atelier pour les jeunes le mercredi",
        "Les ados n’ont rien à faire au village. Un atelier bois, vélo ou numérique avec "
        "des artisans du coin leur ferait découvrir des métiers.",
    ),
    (
        NeedKind.IDEA,
        "ateliers-jeunes-metiers",
        "Des stages de découverte chez les artisans du canton",
        "Le menuisier et la boulangère sont prêts à accueillir des collégiens une semaine.",
    ),
    (
        NeedKind.NEED,
        "tiers-lieux-ruraux",
        "Un tiers-lieu avec une connexion internet correcte",
        "Pour télétravailler, imprimer, faire ses démarches en ligne : un lieu ouvert "
        "quelques jours par semaine dans l’ancienne poste.",
    ),
    (
        NeedKind.IDEA,
        "tiers-lieux-ruraux",
        "Une aide aux démarches en ligne à la mairie",
        "Une permanence pour ceux qui ne savent pas se servir d’internet : impôts, "
        "retraite, carte grise.",
    ),
    (
        NeedKind.NEED,
        "cantines-locales",
        "Des produits locaux à la cantine",
        "La cantine sert des plats livrés de loin. Les éleveurs et maraîchers du coin "
        "pourraient fournir une partie des repas.",
    ),
    (
        NeedKind.IDEA,
        "festivals-evenements",
        "Relancer la fête du village",
        "La fête de la Saint-Jean n’a plus lieu depuis cinq ans. Avec les associations, "
        "on pourrait la relancer, avec un bal et un concours de pétanque.",
    ),
    (
        NeedKind.IDEA,
        "festivals-evenements",
        "Un cinéma en plein air l’été",
        "Une séance par mois sur la place, avec l’association de cinéma itinérant.",
    ),
    (
        NeedKind.NEED,
        "echanges-de-services",
        "Savoir à qui demander un coup de main",
        "Tondre, porter des courses, réparer une fuite : on ne sait pas toujours qui "
        "pourrait aider, ni qui a besoin d’aide.",
    ),
    (
        NeedKind.IDEA,
        "plateformes-coordination",
        "Un agenda commun des associations",
        "Les dates des lotos, des randonnées et des réunions se chevauchent : un agenda "
        "partagé éviterait les doublons.",
    ),
    (
        NeedKind.NEED,
        None,
        "Sécuriser la traversée de la départementale",
        "Les voitures roulent vite devant l’arrêt du car scolaire. Un passage piéton "
        "éclairé, au moins.",
    ),
    (
        NeedKind.NEED,
        None,
        "Un banc et de l’ombre près du lavoir",
        "Les promeneurs et les anciens aimeraient pouvoir s’asseoir en chemin.",
    ),
    (
        NeedKind.IDEA,
        None,
        "Une boîte à livres sous l’abribus",
        "Déposer et prendre des livres librement, en attendant le car.",
    ),
    (
        NeedKind.NEED,
        "covoiturage-local",
        "Aller à la gare sans voiture",
        "Le premier car passe trop tard pour le train de 7 h. Du covoiturage organisé le "
        "matin aiderait les salariés et les lycéens.",
    ),
    (
        NeedKind.NEED,
        "visites-solidaires-aines",
        "Du portage de repas pour les personnes qui sortent de l’hôpital",
        "Quelques semaines après une opération, on ne peut plus faire ses courses.",
    ),
]

FIRST_NAMES = ["Josette", "Marcel", "Nadia", "Bernard", "Lucie", "Hervé", "Yasmine", "Paul"]
ANSWERS = [
    "Merci ! La communauté de communes étudie déjà un service de transport à la demande : "
    "nous lui transmettons votre proposition.",
    "Bonne idée : le conseil municipal en parlera à sa prochaine séance.",
]


def _rng(commune, salt):
    return random.Random(zlib.crc32(f"{commune.insee_code}-{salt}".encode()))


def _serving(communes):
    """commune pk → the first micro-parliament page serving it (parliament.api)."""
    from parliament.api import micro_parliaments_serving

    return {pk: pages[0] for pk, pages in micro_parliaments_serving(communes).items() if pages}


def _staff_user(commune):
    if not commune.editors_group_id:
        return None
    return get_user_model().objects.filter(groups=commune.editors_group).order_by("pk").first()


def _call(index, slug, **fields):
    existing = CallForNeedsPage.objects.child_of(index).filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = CallForNeedsPage(slug=slug, **fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def load(communes, stdout=None, scale=1):
    communes = [commune for commune in communes if commune.hamlet_list()]
    serving = _serving(communes)
    chosen = [commune for commune in communes if commune.pk in serving][:2]
    module = get_module("needs")
    today = timezone.localdate()
    now = timezone.now()
    categories = {category.slug: category for category in ProjectCategory.objects.all()}
    scale = max(int(scale or 1), 1)
    for number, commune in enumerate(chosen):
        index, _created = switch_module_on(commune, module)
        index = index.specific if not isinstance(index, NeedsIndexPage) else index
        call, created = _call(
            index,
            OPEN_SLUG,
            title=f"Appel à besoins {today.year}",
            question="Qu’est-ce qui manque au village ?",
            intro=(
                "<p>Premier temps du micro-parlement : dites ce qui vous manque au quotidien, "
                "ou proposez une idée. Soutenez celles de vos voisins d’un clic : le "
                "micro-parlement partira des plus soutenues.</p>"
            ),
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=18),
            requires_approval=number == 1,
            micro_parliament=serving[commune.pk],
        )
        if created:
            _add_needs(commune, call, categories, now, scale)
        if number == 0:
            past, created = _call(
                index,
                PAST_SLUG,
                title=f"Appel à besoins {today.year - 1}",
                question="Qu’est-ce qui faciliterait la vie au village ?",
                opens_on=today - timedelta(days=400),
                closes_on=today - timedelta(days=370),
                requires_approval=False,
                micro_parliament=serving[commune.pk],
            )
            if created:
                _add_needs(commune, past, categories, now - timedelta(days=380), 1, count=8)
                _keep_one(past, serving[commune.pk], now)
    if stdout is not None:
        stdout.write(
            f"Appels à besoins : {CallForNeedsPage.objects.count()} appels, "
            f"{Need.objects.public().count()} besoins et idées publiés, "
            f"{Support.objects.exclude(confirmed_at=None).count()} soutiens."
        )


def _add_needs(commune, call, categories, now, scale, count=None):
    rng = _rng(commune, call.slug)
    hamlets = call.hamlet_choices() or [""]
    count = count or rng.randint(15, min(25, len(NEEDS)))
    chosen = rng.sample(NEEDS, k=min(count, len(NEEDS))) * scale
    needs = []
    for number, (kind, slug, title, description) in enumerate(chosen):
        proposed = now - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 10))
        needs.append(
            Need(
                call=call,
                commune=commune,
                kind=kind,
                theme=categories.get(slug) if slug else None,
                title=title if number < len(NEEDS) else f"{title} ({number})",
                description=description,
                hamlet=rng.choice(hamlets),
                first_name=rng.choice(FIRST_NAMES) if number % 3 else "",
                email=f"besoins-{commune.insee_code}-{call.pk}-{number}@example.org",
                wants_outcome=number % 4 != 0,
                status=NeedStatus.PUBLISHED,
                created_at=proposed,
                confirmed_at=proposed + timedelta(minutes=9),
                published_at=proposed + timedelta(hours=2),
            ).set_search_text()
        )
    if call.requires_approval:
        for need in needs[-2:]:
            need.status = NeedStatus.PENDING
            need.published_at = None
    # A need typed by the town hall from a paper form: no e-mail.
    needs.append(
        Need(
            call=call,
            commune=commune,
            kind=NeedKind.NEED,
            theme=categories.get("visites-solidaires-aines"),
            title="Quelqu’un pour passer voir ma voisine le dimanche",
            description="Déposé sur papier à la mairie : « Ma voisine a 92 ans et ne sort "
            "plus ; le dimanche, personne ne passe. »",
            hamlet=hamlets[-1],
            email="",
            wants_outcome=False,
            channel=Channel.PAPER,
            entered_by=_staff_user(commune),
            status=NeedStatus.PUBLISHED,
            created_at=now - timedelta(days=4),
            confirmed_at=now - timedelta(days=4),
            published_at=now - timedelta(days=4),
        ).set_search_text()
    )
    needs = Need.objects.bulk_create(needs)
    for need in needs[: len(ANSWERS)]:
        need.staff_answer = ANSWERS[needs.index(need)]
        need.staff_answer_at = now - timedelta(days=1)
        need.save(update_fields=["staff_answer", "staff_answer_at"])
    supports = []
    for position, need in enumerate(needs):
        if need.status != NeedStatus.PUBLISHED:
            continue
        for supporter in range(rng.randint(0, 12 if position < 5 else 5)):
            supports.append(
                Support(
                    need=need,
                    email=f"soutien-{commune.insee_code}-{supporter}@example.org",
                    created_at=need.published_at + timedelta(hours=supporter + 1),
                    confirmed_at=need.published_at + timedelta(hours=supporter + 2),
                )
            )
    Support.objects.bulk_create(supports)
    page_cache.changed(commune)  # written without signals: its calls show them


def _keep_one(call, micro_parliament, now):
    """The most supported need of ``call`` kept for a priority of the micro-parliament that
    became a project (any priority when none did); the others not kept or still open."""
    priorities = list(micro_parliament.priorities.all())
    if not priorities:
        return
    priority = next((p for p in priorities if p.project_id), priorities[0])
    ranked = list(Need.objects.public().filter(call=call).most_supported())
    if not ranked:
        return
    kept = ranked[0]
    kept.outcome = Outcome.KEPT
    kept.priority = priority
    kept.outcome_note = "Le micro-parlement en a fait l’une de ses priorités."
    kept.outcome_decided_at = now - timedelta(days=300)
    kept.outcome_sent_at = now - timedelta(days=300)
    kept.save()
    for need in ranked[-2:]:
        if need.pk == kept.pk:
            continue
        need.outcome = Outcome.NOT_KEPT
        need.outcome_note = "Relève du département : la mairie lui a transmis la demande."
        need.outcome_decided_at = now - timedelta(days=300)
        need.save()
