"""Content of the funding guide's demo that is the demo's own, in French.

The network's sources are not here: the national programmes are the module's starter
content (``starter/sources-nationales.csv``) and the demo adds two real programmes of its
region (``demo_data/sources-bourgogne-franche-comte.csv``), both loaded through the
sources' import. Here: the dates the demo gives the calls with fixed dates (around the load
day, so that the guide always shows calls open now, closing soon and upcoming; the starter
file leaves them to the network), Saint-Aubin-les-Vignes' own sources (the Département's
call, real, shared with the network, and a fund of the demo's invented intercommunality:
no figure, no link), and the applications of the demo projects.

Timing specs of the commune sources (``timing``):

- ``("permanent",)``: applications all year;
- ``("yearly", (month, day) or None, (month, day))``: the same window every year.
"""

import datetime

CHECKED_ON = datetime.date(2026, 11, 20)
SAINT_AUBIN = "71901"
EPCI = "Communauté de communes des Vallons de la Grosne"

# The demo's local financers, key: (name, level, website); the others come with the
# sources' files, where the State's local services have no website (each network has its
# own prefecture): the demo gives them Saône-et-Loire's and Bourgogne-Franche-Comté's.
FINANCERS = {
    "prefecture": (
        "État — préfecture de département",
        "state",
        "https://www.saone-et-loire.gouv.fr",
    ),
    "region_prefecture": (
        "État — préfecture de région",
        "state",
        "https://www.prefectures-regions.gouv.fr/bourgogne-franche-comte",
    ),
    "region": ("Région Bourgogne-Franche-Comté", "region", "https://www.bourgognefranchecomte.fr"),
    "department": ("Département de Saône-et-Loire", "department", "https://www.saoneetloire71.fr"),
    "epci": (EPCI, "intercommunality", ""),
}

# The network's calls with fixed dates: slug → (opens, closes), in days after the load day
# (negative: before it). Given only to a call the starter file left without dates.
DATED_WINDOWS = {
    "dsil": (-20, 50),
    "fonds-vert": (-60, 95),
    "fonds-vert-mobilites-rurales": (-45, 18),
    "villages-davenir": (24, 85),
    "fabriques-de-territoire": (-35, 26),
}

# Saint-Aubin-les-Vignes' own sources.
COMMUNE_SOURCES = [
    {
        "slug": "appel-a-projets-departemental-saone-et-loire",
        "shared": True,
        "name": ("Appel à projets départemental de Saône-et-Loire — investissements des communes"),
        "summary": (
            "Chaque année, le Département de Saône-et-Loire aide les communes, "
            "intercommunalités et syndicats du département à investir, selon cinq thèmes : "
            "services de proximité et bâtiments, urbanisme et cadre de vie, attractivité, "
            "infrastructures et mobilités du quotidien, santé."
        ),
        "financer": "department",
        "co_financers": "",
        "kind": "call",
        "applicants": ["communes", "intercommunalites"],
        "categories": [
            "tiers-lieux-ruraux",
            "covoiturage-local",
            "cantines-locales",
            "marche-producteurs-tournant",
            "jardins-partages",
        ],
        "themes": (
            "investissement, services de proximité, rénovation énergétique, mobilités, cadre de vie"
        ),
        "scope": "department",
        "department": "71",
        "covers": ["investment"],
        "description": (
            "Lancé en 2015 et reconduit chaque année, l'appel à projets finance des travaux "
            "d'intérêt communal. Les cinq volets de l'édition 2026 : services de proximité "
            "et transition énergétique des bâtiments ; urbanisme, habitat, cadre de vie et "
            "environnement ; développement, promotion et attractivité des territoires ; "
            "infrastructures et nouvelles mobilités du quotidien ; santé. Le projet doit en "
            "être au stade de la réflexion ou de la conception : pas de travaux commencés. "
            "Une enveloppe à part soutient les projets structurants à l'échelle d'un bassin "
            "de vie. Les aides sont attribuées au printemps suivant.\n\nFiche ajoutée par "
            "Saint-Aubin-les-Vignes et partagée avec les communes du réseau."
        ),
        "amount_comment": (
            "Taux selon la fiche thématique du projet, avec un montant plancher plus bas "
            "pour les très petites communes : voir le règlement de l'année."
        ),
        "timing": ("yearly", (11, 21), (12, 31)),
        "how_to_apply": (
            "Dépôt en ligne sur le téléservice du Département, dans la limite du nombre de "
            "dossiers fixé par le règlement. Dates de l'édition 2026 (du 21 novembre au 31 "
            "décembre) : vérifiez chaque année celles de l'appel en cours sur le site du "
            "Département."
        ),
        "url": "https://www.saoneetloire71.fr/appels-a-projets",
        "contact": "Département de Saône-et-Loire, service chargé des aides aux communes.",
        "checked_by": "Secrétariat de mairie de Saint-Aubin-les-Vignes",
    },
    {
        "slug": "fonds-initiatives-locales-vallons-de-la-grosne",
        "shared": False,
        "name": "Fonds d'initiatives locales de la communauté de communes",
        "summary": (
            "Petit fonds de la communauté de communes pour les initiatives d'habitants et "
            "d'associations qui créent du lien dans les villages : matériel, communication, "
            "premiers frais d'un projet né du micro-parlement."
        ),
        "financer": "epci",
        "co_financers": "",
        "kind": "grant",
        "applicants": ["associations", "collectifs-habitants", "communes"],
        "categories": [],
        "themes": "initiatives d'habitants, vie associative, lien social",
        "scope": "territory",
        "territory_name": EPCI,
        "covers": ["investment", "operating"],
        "description": (
            "Fiche de travail de la mairie, non partagée. Les règles — dépenses éligibles, "
            "montants, pièces à fournir — sont celles du règlement voté par le conseil "
            "communautaire : le demander au service développement local avant de monter un "
            "dossier. Le fonds complète les autres aides pour de petites dépenses de "
            "démarrage ; il ne finance pas de gros travaux."
        ),
        "amount_comment": "Montants et taux fixés par le règlement du conseil communautaire.",
        "timing": ("permanent",),
        "how_to_apply": (
            "Courrier ou courriel à la communauté de communes avec une présentation du "
            "projet, son budget et l'avis du conseil municipal ; examen en bureau "
            "communautaire."
        ),
        "url": "",
        "contact": f"{EPCI}, service développement local.",
        "checked_by": "Secrétariat de mairie de Saint-Aubin-les-Vignes",
    },
]

# Applications of the catalogue's demo projects (see project_catalog/demo_content.py).
# Days are counted back from the load day; amounts in euros.
APPLICATIONS = [
    {
        "commune": "71901",
        "project": "covoiturage-des-coteaux",
        "source": "fonds-vert-mobilites-rurales",
        "status": "submitted",
        "amount_requested": 1700,
        "submitted": 20,
        "note": (
            "Dossier déposé avec la communauté de communes, autorité organisatrice de la "
            "mobilité, qui nous a délégué le volet « points de covoiturage » (convention "
            "jointe). Demande : abri au hameau des Brosses, signalétique, relais "
            "téléphonique la première année."
        ),
    },
    {
        "commune": "71901",
        "project": "covoiturage-des-coteaux",
        "source": "fonds-initiatives-locales-vallons-de-la-grosne",
        "status": "granted",
        "amount_requested": 600,
        "amount_granted": 500,
        "submitted": 100,
        "decided": 70,
        "note": "Panneaux du point de rendez-vous et tableau des trajets en mairie.",
    },
    {
        "commune": "71901",
        "project": "visites-solidaires-saint-aubin",
        "source": "conference-des-financeurs-saone-et-loire",
        "status": "preparing",
        "amount_requested": 1200,
        "note": (
            "À déposer à l'ouverture de l'appel : formation des bénévoles, frais "
            "kilométriques, goûter mensuel. Manque l'attestation d'assurance du CCAS."
        ),
    },
    {
        "commune": "71903",
        "project": "visites-hameaux-granges-et-mont",
        "source": "conference-des-financeurs-saone-et-loire",
        "status": "granted",
        "amount_requested": 1800,
        "amount_granted": 1500,
        "submitted": 75,
        "decided": 45,
        "note": (
            "Déposé par le CCAS. Accordé pour la formation et les frais kilométriques ; le "
            "goûter des deux hameaux reste à la charge de la commune."
        ),
    },
    {
        "commune": "71902",
        "project": "tiers-lieu-salle-communale",
        "source": "detr",
        "status": "preparing",
        "amount_requested": 12000,
        "note": (
            "Mise aux normes de la salle (accès de plain-pied, sanitaires adaptés, tableau "
            "électrique) : devis de 40 000 € HT. Délibération à la prochaine séance du "
            "conseil municipal ; demander aussi l'appel à projets du Département."
        ),
    },
    {
        "commune": "71904",
        "project": "ateliers-metiers-des-vacances",
        "source": "msa-appel-a-projets-jeunes",
        "status": "refused",
        "amount_requested": 1000,
        "submitted": 150,
        "decided": 60,
        "note": (
            "Refusé : le jury rappelle que l'appel s'adresse aux projets conçus et portés "
            "par un groupe de jeunes, pas aux ateliers organisés pour eux. À retenter si les "
            "lycéens prennent la main sur la prochaine session."
        ),
    },
    {
        "commune": "71905",
        "project": "cantine-des-fermes-voisines",
        "source": "leader-bourgogne-franche-comte",
        "status": "paid",
        "amount_requested": 4000,
        "amount_granted": 3800,
        "submitted": 200,
        "decided": 150,
        "paid": 20,
        "note": (
            "Lettre d'intention envoyée à la Région avant l'achat de l'éplucheuse. Versé "
            "sur factures acquittées après le bilan de fin de projet."
        ),
    },
]
