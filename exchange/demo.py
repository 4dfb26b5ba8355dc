"""The service-exchange boards of the demo network.

Every demo commune switches the module on. Saint-Aubin-les-Vignes publishes posts at once
(and moderates afterwards); the others approve each post first, so their queues hold posts
waiting for approval. Each board gets offers and requests of the kinds the MPRC guide names
(gardening, childcare, odd jobs, lifts, shopping, computer help…), spread over the hamlets
and the last weeks, a few expired or done ones, one reported post and digest subscribers.

Posters are made up: first names only, e-mail addresses at example.org. The same commune
gets the same posts on every run. Idempotent: a board that has posts gets none added.
"""

import random
import zlib
from datetime import timedelta

from django.utils import timezone

from home.onboarding import switch_module_on
from mprc_cms import page_cache
from mprc_cms.modules import get_module

from .models import (
    ContactRelay,
    DigestSubscription,
    Kind,
    ListingReport,
    ListingStatus,
    ReportReason,
    ServiceCategory,
    ServiceListing,
)

PUBLISH_AT_ONCE = {"saint-aubin-les-vignes"}

# (kind, category slug, title, description, availability)
POSTS = [
    (
        Kind.OFFER,
        "transport",
        "Trajet vers le marché de Cluny le samedi",
        "Je descends au marché de Cluny tous les samedis vers 8 h 30 et je remonte vers 11 h. "
        "Deux places libres dans la voiture, on partage l'essence si vous voulez.",
        "Le samedi matin",
    ),
    (
        Kind.REQUEST,
        "transport",
        "Quelqu'un pour m'emmener à la gare de Mâcon",
        "Je n'ai plus le permis et je dois prendre le train de 14 h pour voir ma fille, "
        "un mardi sur deux. Je peux participer aux frais.",
        "Un mardi sur deux, début d'après-midi",
    ),
    (
        Kind.OFFER,
        "jardinage",
        "Plants de tomates et courgettes à donner",
        "J'ai semé trop large cette année : une trentaine de plants de tomates (cœur de bœuf, "
        "cerise) et des courgettes. À venir chercher, apportez une cagette.",
        "Fin avril – mi-mai",
    ),
    (
        Kind.REQUEST,
        "jardinage",
        "Aide pour tailler une haie de thuyas",
        "Haie de 25 mètres, un peu haute pour moi. Je fournis le taille-haie et l'échelle, "
        "et le café ! Une matinée devrait suffire à deux.",
        "Un samedi de mars",
    ),
    (
        Kind.OFFER,
        "aide-informatique",
        "Aide pour les démarches en ligne (impôts, ameli, ANTS)",
        "Retraitée de La Poste, je peux aider à faire les démarches sur internet : "
        "déclaration d'impôts, compte ameli, carte grise. Chez vous ou à la salle communale.",
        "Le mercredi après-midi",
    ),
    (
        Kind.REQUEST,
        "aide-informatique",
        "Installer l'appel vidéo sur une tablette",
        "Mes petits-enfants m'ont offert une tablette : je voudrais apprendre à les appeler "
        "en vidéo. Une ou deux séances de patience suffiront.",
        "En semaine, l'après-midi",
    ),
    (
        Kind.OFFER,
        "bricolage",
        "Petites réparations : robinet, étagère, prise",
        "Bricoleur du dimanche mais soigneux : je peux changer un joint, poser une étagère, "
        "remplacer une prise. Vous achetez les fournitures, je viens avec mes outils.",
        "Le week-end",
    ),
    (
        Kind.REQUEST,
        "bricolage",
        "Monter un meuble en kit",
        "Une armoire à monter, la notice me dépasse. Deux mains en plus seraient les "
        "bienvenues. Je prépare le goûter.",
        "Quand vous voulez",
    ),
    (
        Kind.OFFER,
        "garde-enfants",
        "Sortie d'école le jeudi",
        "Maman de deux enfants à l'école du Bourg, je peux récupérer un ou deux enfants de "
        "plus le jeudi à 16 h 30 et les garder jusqu'à 18 h 30.",
        "Le jeudi, 16 h 30 – 18 h 30",
    ),
    (
        Kind.REQUEST,
        "garde-enfants",
        "Garde ponctuelle le mercredi matin",
        "Je travaille un mercredi sur deux : je cherche quelqu'un pour garder mon fils de "
        "6 ans de 8 h à 12 h, chez nous ou chez vous. Dédommagement à convenir.",
        "Un mercredi sur deux",
    ),
    (
        Kind.OFFER,
        "courses",
        "Courses au supermarché pour les voisins",
        "Je vais au supermarché de Tournus chaque vendredi. Donnez-moi votre liste la veille, "
        "je vous dépose les sacs en rentrant.",
        "Le vendredi",
    ),
    (
        Kind.REQUEST,
        "courses",
        "Pharmacie pendant ma convalescence",
        "Opéré de la hanche, je ne peux pas conduire pendant six semaines. Il faudrait passer "
        "à la pharmacie une fois par semaine. Merci d'avance !",
        "Une fois par semaine, jusqu'en juin",
    ),
    (
        Kind.OFFER,
        "visites-compagnie",
        "Lecture et conversation pour une personne isolée",
        "J'aime lire à voix haute et discuter. Je peux passer une heure par semaine chez une "
        "personne âgée qui se sent seule, autour d'un journal ou d'un livre.",
        "Le mardi ou le vendredi après-midi",
    ),
    (
        Kind.REQUEST,
        "visites-compagnie",
        "Promenade avec ma mère le dimanche",
        "Ma mère (88 ans) adore marcher mais ne sort plus seule. Je cherche quelqu'un pour "
        "une petite promenade le dimanche quand je ne peux pas venir.",
        "Le dimanche après-midi",
    ),
    (
        Kind.OFFER,
        "pret-materiel",
        "Prêt de remorque et de bétonnière",
        "Remorque 750 kg et petite bétonnière électrique à prêter. À rendre propres !",
        "Sur demande, le week-end",
    ),
    (
        Kind.REQUEST,
        "pret-materiel",
        "Emprunter un broyeur de végétaux",
        "Pour broyer les branches de la taille du verger plutôt que de les brûler. Une "
        "journée suffirait, je peux venir le chercher.",
        "Un samedi de novembre",
    ),
    (
        Kind.OFFER,
        "cuisine-repas",
        "Confitures et soupes pour les aînés du hameau",
        "Je cuisine beaucoup : je peux porter une soupe ou un pot de confiture aux personnes "
        "âgées du hameau qui le souhaitent.",
        "L'hiver, chaque semaine",
    ),
    (
        Kind.OFFER,
        "animaux",
        "Nourrir vos poules pendant les vacances",
        "J'ai moi-même des poules : je peux nourrir les vôtres et ramasser les œufs pendant "
        "vos absences, si vous habitez à moins de 3 km.",
        "Pendant les vacances scolaires",
    ),
    (
        Kind.REQUEST,
        "animaux",
        "Promener un chien âgé le midi",
        "Notre labrador de 12 ans a besoin d'une petite sortie le midi quand nous sommes au "
        "travail. Un quart d'heure suffit.",
        "Du lundi au vendredi, vers midi",
    ),
    (
        Kind.OFFER,
        "autre",
        "Cours de tricot à la salle des fêtes",
        "Je propose d'apprendre le tricot aux débutants, petits et grands. Laine et aiguilles "
        "fournies pour commencer.",
        "Le premier samedi du mois",
    ),
]
FIRST_NAMES = [
    "Josette",
    "Marcel",
    "Claire",
    "Nadia",
    "Bernard",
    "Lucie",
    "Théo",
    "Monique",
    "Karim",
    "Élodie",
    "Gérard",
    "Inès",
]


def load(communes, stdout=None, scale=1):
    module = get_module("exchange")
    categories = {category.slug: category for category in ServiceCategory.objects.all()}
    now = timezone.now()
    scale = max(int(scale or 1), 1)
    for commune in communes:
        page, created = switch_module_on(commune, module)
        page = page.specific
        at_once = commune.slug in PUBLISH_AT_ONCE
        if created and at_once:
            page.requires_approval = False
            page.save_revision().publish()
        if ServiceListing.objects.filter(commune=commune).exists():
            continue
        _add_posts(commune, page, categories, now, scale)
    if stdout is not None:
        on_board = ServiceListing.objects.on_board().count()
        pending = ServiceListing.objects.filter(status=ListingStatus.PENDING).count()
        stdout.write(
            f"Échanges de services : {on_board} annonces en ligne, {pending} à valider, "
            f"{ListingReport.objects.filter(resolved_at=None).count()} signalement(s), "
            f"{DigestSubscription.objects.count()} abonnés à la lettre."
        )


def _add_posts(commune, page, categories, now, scale):
    rng = random.Random(zlib.crc32(commune.insee_code.encode()))
    hamlets = commune.hamlet_list() or [""]
    today = timezone.localdate(now)
    chosen = rng.sample(POSTS, k=min(len(POSTS), 12)) * scale
    listings = []
    for number, (kind, slug, title, description, availability) in enumerate(chosen):
        days_ago = rng.randint(1, 40)
        posted = now - timedelta(days=days_ago, hours=rng.randint(0, 10))
        listing = ServiceListing(
            commune=commune,
            kind=kind,
            category=categories[slug],
            title=title if number < len(POSTS) else f"{title} ({number})",
            description=description,
            availability=availability,
            hamlet=rng.choice(hamlets),
            first_name=rng.choice(FIRST_NAMES),
            email=f"echanges-{commune.insee_code}-{number}@example.org",
            phone=f"06 39 98 {rng.randint(10, 99)} {rng.randint(10, 99)}" if number % 4 else "",
            show_phone=number % 8 == 1,
            created_at=posted,
            confirmed_at=posted + timedelta(minutes=12),
            status=ListingStatus.PUBLISHED,
            published_at=posted + timedelta(hours=3),
            expires_on=timezone.localdate(posted) + timedelta(days=page.listing_days),
        )
        if listing.expires_on < today:
            # Renewed once by its poster, as most are.
            listing.expires_on += timedelta(days=page.listing_days)
        listings.append(listing)
    # A few that left the board, and (where posts are approved first) some waiting.
    listings[-1].status = ListingStatus.DONE
    listings[-1].closed_at = now - timedelta(days=2)
    listings[-2].expires_on = today - timedelta(days=3)
    if page.requires_approval:
        for listing in listings[-4:-2]:
            listing.status = ListingStatus.PENDING
            listing.created_at = now - timedelta(hours=rng.randint(2, 40))
            listing.published_at = None
            listing.expires_on = None
    ServiceListing.objects.bulk_create([listing.set_search_text() for listing in listings])
    page_cache.changed(commune)  # written without signals: its board shows them
    on_board = [item for item in listings if item.is_on_board]
    ContactRelay.objects.bulk_create(
        ContactRelay(listing=item, sent_at=item.published_at + timedelta(days=rng.randint(0, 3)))
        for item in on_board[: len(on_board) // 2]
    )
    ListingReport.objects.create(
        listing=on_board[0],
        reason=ReportReason.COMMERCIAL,
        comment="On dirait une entreprise qui fait sa publicité.",
        created_at=now - timedelta(hours=5),
    )
    DigestSubscription.objects.bulk_create(
        DigestSubscription(
            commune=commune,
            email=f"lettre-{commune.insee_code}-{number}@example.org",
            created_at=now - timedelta(days=20),
            confirmed_at=now - timedelta(days=20),
            last_sent_at=now - timedelta(days=rng.randint(1, 6)),
        )
        for number in range(3)
    )
