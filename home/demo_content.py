"""Content of the demo network: five fictional communes of a fictional intercommunality.

Names and INSEE codes are invented (no real commune has these codes); the way the pages
speak follows the MPRC guide (March 2026) and the micro-parliament FAQ.
"""

EPCI = "Communauté de communes des Vallons de la Grosne"

NETWORK = {
    "title": "Micro-parlements ruraux connectés",
    "intro": (
        "<p>Cinq communes rurales des Vallons de la Grosne font vivre des "
        "<b>micro-parlements</b> : des groupes de 12 à 15 personnes — habitants tirés au sort, "
        "élus et acteurs locaux — qui transforment en trois mois les besoins du territoire en "
        "projets concrets.</p>"
    ),
    "body": [
        ("heading", {"text": "Un cycle court, trois temps", "level": "h2"}),
        (
            "paragraph",
            "<ol><li><b>Diagnostic</b> : identifier ensemble les enjeux prioritaires à partir "
            "du vécu des habitants.</li><li><b>Co-construction</b> : élaborer des solutions "
            "simples, réalistes et activables.</li><li><b>Action</b> : mettre en œuvre "
            "concrètement et apprendre en faisant.</li></ol>"
            "<p>Un cycle dure trois mois et coûte en moyenne de 5 000 à 8 000 €.</p>",
        ),
        (
            "faq",
            {
                "heading": "Questions fréquentes",
                "items": [
                    (
                        "Qui siège dans un micro-parlement ?",
                        "<p>Des habitants tirés au sort parmi les volontaires et sur la liste "
                        "électorale, des élus et des acteurs locaux (associations, "
                        "agriculteurs, commerçants). La mixité est le cœur du dispositif.</p>",
                    ),
                    (
                        "Pourquoi le tirage au sort ?",
                        "<p>Pour que le groupe ressemble au territoire et ne réunisse pas "
                        "toujours les mêmes personnes. Le tirage est public et vérifiable.</p>",
                    ),
                    (
                        "Qui anime les séances ?",
                        "<p>Un facilitateur extérieur, garant de la méthode, veille à ce que le "
                        "micro-parlement ne soit instrumentalisé par personne. Un coordinateur "
                        "garde le lien entre les membres.</p>",
                    ),
                ],
            },
        ),
    ],
}

# The network's legal information (home.LegalInformation): an invented association, host
# and data protection officer, and an internal accessibility audit of the shared pages.
NETWORK_LEGAL = {
    "publisher_name": "Association des micro-parlements ruraux connectés",
    "publisher_address": (
        "Maison des associations\n12 rue de la Grosne\n71250 Saint-Aubin-les-Vignes"
    ),
    "publisher_phone": "03 85 00 10 00",
    "publisher_email": "contact@mprc.example.fr",
    "publisher_registration": "RNA W719000000",
    "publication_director": "Claire Morel, présidente de l’association",
    "host_name": "Hébergeur associatif des Vallons",
    "host_address": "8 chemin des Serveurs\n71460 Montferrand-le-Bois",
    "host_phone": "03 85 00 20 00",
    "dpo_name": "Délégué à la protection des données mutualisé des Vallons de la Grosne",
    "dpo_email": "dpd@vallons-de-la-grosne.example.fr",
    "dpo_address": (
        "Communauté de communes des Vallons de la Grosne\nService numérique mutualisé\n"
        "1 place de la Halle\n71250 Saint-Aubin-les-Vignes"
    ),
    "accessibility_auditor": "l’équipe de coordination du réseau (audit interne)",
    # 54 criteria met out of 69 that apply.
    "accessibility_rate": "78.26",
    "accessibility_sample": (
        "Accueil du réseau\nAccueil d’une commune\nPage « Le micro-parlement »\n"
        "Actualités d’une commune\nRecherche\nDevenir volontaire\nÉchanges de services\n"
        "Publier une annonce\nGuide des financements\nPage d’un projet\nMentions légales\n"
        "Déclaration d’accessibilité\nDonnées personnelles"
    ),
    "accessibility_non_compliant": (
        "Certains comptes rendus de séance publiés en PDF ne sont pas balisés (critère 13.3) ; "
        "la mairie les envoie en version texte sur demande.\n"
        "Quelques photographies d’actualités n’ont pas d’alternative textuelle pertinente "
        "(critère 1.3)."
    ),
    "accessibility_exempt": "Les documents bureautiques publiés avant le 23 septembre 2018.",
    "accessibility_environment": (
        "NVDA 2024.4 et Firefox 133 (Windows 11)\nVoiceOver et Safari (macOS 15)\n"
        "TalkBack et Chrome (Android 14)"
    ),
    "accessibility_tools": "axe-core\nColour Contrast Analyser\nValidateur HTML du W3C",
    "accessibility_email": "accessibilite@mprc.example.fr",
}
# The audit was made this many days before the demo is loaded.
AUDIT_DAYS_AGO = 21

COMMUNES = [
    {
        "name": "Saint-Aubin-les-Vignes",
        "mayor": "Hélène Dumas, maire",
        "insee": "71901",
        "postcode": "71250",
        "population": 412,
        "color": (94, 140, 73),
        "intro": (
            "Village viticole au pied des coteaux, Saint-Aubin-les-Vignes a lancé le premier "
            "micro-parlement du réseau au printemps 2026."
        ),
        "address": (
            "Mairie de Saint-Aubin-les-Vignes\n2 place de l'Église\n71250 Saint-Aubin-les-Vignes"
        ),
        "phone": "03 85 00 10 01",
        "email": "mairie@saint-aubin-les-vignes.example.fr",
        "hours": "Lundi et jeudi : 9 h – 12 h\nSamedi : 10 h – 12 h",
        "hamlets": "Le Bourg\nLes Perrières\nLa Maladière\nChamp-Fleury",
        "news": [
            (
                "Le micro-parlement a rendu son diagnostic",
                "Après six séances, les quatorze membres ont retenu trois priorités : "
                "se déplacer sans voiture, rompre l'isolement des aînés, faire vivre la place "
                "du village.",
                60,
            ),
            (
                "Covoiturage : un point de rendez-vous devant la mairie",
                "Un panneau et un groupe de messagerie relient désormais les habitants qui "
                "descendent chaque matin vers la vallée.",
                30,
            ),
            (
                "Réunion publique le 12 décembre",
                "Les membres du micro-parlement présentent leurs propositions à tous les "
                "habitants, salle des fêtes, à 18 h 30.",
                5,
            ),
        ],
    },
    {
        "name": "La Chapelle-sur-Grosne",
        "mayor": "Bernard Lacroix, maire",
        "insee": "71902",
        "postcode": "71250",
        "population": 286,
        "color": (62, 110, 150),
        "intro": (
            "Au bord de la Grosne, une commune de 286 habitants où l'école a fermé en 2019 "
            "et où la salle communale cherche une nouvelle vie."
        ),
        "address": "Mairie\n1 rue du Pont\n71250 La Chapelle-sur-Grosne",
        "phone": "03 85 00 10 02",
        "email": "mairie@la-chapelle-sur-grosne.example.fr",
        "hours": "Mardi : 14 h – 18 h\nVendredi : 9 h – 12 h",
        "hamlets": "Le Bourg\nLe Moulin\nLes Varennes\nLa Croix-Blanche",
        "news": [
            (
                "Tirage au sort des membres du micro-parlement",
                "Huit volontaires et cinq personnes de la liste électorale ont été tirés au "
                "sort en réunion publique, avec des dés lancés par deux enfants du village.",
                45,
            ),
            (
                "La salle communale deviendra-t-elle un tiers-lieu ?",
                "Le groupe étudie un espace partagé : permanence de services publics, "
                "atelier de réparation et café associatif le samedi.",
                20,
            ),
            (
                "Atelier vélo le samedi matin",
                "Deux habitants proposent de réparer les vélos des enfants avant l'été, "
                "sous le préau de l'ancienne école.",
                8,
            ),
        ],
    },
    {
        "name": "Montferrand-le-Bois",
        "mayor": "Sylvie Perrin, maire",
        "insee": "71903",
        "postcode": "71460",
        "population": 538,
        "color": (128, 96, 60),
        "intro": (
            "La plus grande commune du réseau, entre forêt et prairies, avec quatre hameaux "
            "éloignés du bourg."
        ),
        "address": "Mairie\n5 Grande Rue\n71460 Montferrand-le-Bois",
        "phone": "03 85 00 10 03",
        "email": "mairie@montferrand-le-bois.example.fr",
        "hours": "Du lundi au vendredi : 9 h – 12 h",
        "hamlets": "Le Bourg\nLes Granges\nLe Mont\nLes Brosses\nLa Charmée",
        "news": [
            (
                "Un marché de producteurs qui tourne entre les communes",
                "Chaque premier vendredi du mois, le marché s'installe dans une commune "
                "différente du réseau ; Montferrand-le-Bois ouvre la marche en janvier.",
                50,
            ),
            (
                "Visites aux aînés des hameaux",
                "Onze bénévoles rendent visite chaque semaine à des personnes âgées isolées "
                "des hameaux des Granges et du Mont.",
                25,
            ),
            (
                "Bilan du premier cycle",
                "Trois mois, douze séances, deux projets lancés : le micro-parlement présente "
                "son bilan au conseil municipal.",
                3,
            ),
        ],
    },
    {
        "name": "Vaux-en-Bresse",
        "mayor": "Jacques Moulin, maire",
        "insee": "71904",
        "postcode": "71460",
        "population": 197,
        "color": (150, 70, 90),
        "intro": (
            "Le plus petit village du réseau : 197 habitants, une fête de village que tout le "
            "monde attend et l'envie de garder les jeunes au pays."
        ),
        "address": "Mairie\nLe Bourg\n71460 Vaux-en-Bresse",
        "phone": "03 85 00 10 04",
        "email": "mairie@vaux-en-bresse.example.fr",
        "hours": "Mercredi : 16 h – 19 h",
        "hamlets": "Le Bourg\nLes Teppes\nLa Verchère",
        "news": [
            (
                "Ateliers métiers pour les jeunes",
                "Menuisier, maraîchère, mécanicien : trois artisans du village accueillent "
                "des jeunes de 14 à 18 ans pendant les vacances.",
                40,
            ),
            (
                "La fête du village sera préparée par le micro-parlement",
                "Le groupe propose d'en faire une fête intercommunale, avec un repas préparé "
                "à partir de produits locaux.",
                15,
            ),
            (
                "Appel à volontaires",
                "Vous habitez Vaux-en-Bresse et avez plus de 16 ans ? Inscrivez-vous sur la "
                "liste des volontaires pour le prochain tirage au sort.",
                2,
            ),
        ],
    },
    {
        "name": "Les Essarts-du-Mont",
        "mayor": "Nadia Benali, maire",
        "insee": "71905",
        "postcode": "71250",
        "population": 351,
        "color": (70, 120, 110),
        "intro": (
            "Commune de moyenne montagne où la cantine scolaire est servie chaque jour avec "
            "des produits des fermes voisines."
        ),
        "address": "Mairie\n3 chemin des Écoliers\n71250 Les Essarts-du-Mont",
        "phone": "03 85 00 10 05",
        "email": "mairie@les-essarts-du-mont.example.fr",
        "hours": "Lundi : 14 h – 17 h\nJeudi : 9 h – 12 h",
        "hamlets": "Le Bourg\nLes Bruyères\nSous-la-Roche\nLe Crêt",
        "news": [
            (
                "La cantine passe à 60 % de produits locaux",
                "Trois fermes et une boulangerie livrent désormais la cantine ; le "
                "micro-parlement a aidé à bâtir le calendrier d'approvisionnement.",
                55,
            ),
            (
                "Un jardin partagé derrière la mairie",
                "Douze parcelles, un composteur et une cabane à outils : les inscriptions "
                "sont ouvertes en mairie.",
                22,
            ),
            (
                "Échanges de services entre voisins",
                "Jardinage, garde d'enfants, aide informatique : un tableau d'échanges sera "
                "bientôt ouvert sur le site de la commune.",
                6,
            ),
        ],
    },
]


def commune_pages(commune):
    """The standard pages each demo commune gets, as (slug, title, intro, body). The page
    «Le micro-parlement» (how it works, its members and meetings) comes from the
    micro-parliament module's demo (parliament/demo.py)."""
    return [
        (
            "la-mairie",
            "La mairie",
            "Horaires, contacts et démarches.",
            [
                (
                    "paragraph",
                    f"<p>{commune['address'].replace(chr(10), '<br/>')}</p>"
                    f"<p>Téléphone : {commune['phone']}</p>",
                ),
                ("heading", {"text": "Horaires d'ouverture", "level": "h2"}),
                ("paragraph", "<p>" + commune["hours"].replace("\n", "<br/>") + "</p>"),
            ],
        ),
    ]
