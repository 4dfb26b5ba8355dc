"""Content of the funding guide's demo: financers and funding sources, in French.

The network's sources are real programmes a rural commune can use for its micro-parliament
projects. Each is written in our own words from its official description (and, where the
official page says little, from the programme's published calls and regulations), checked
in late 2026. A figure appears only where a published text gives it; otherwise the
record says who sets it. Dates of calls change every year: each record says so, and the
demo loader places the dated calls around the day it runs (see ``demo.py``).

The two commune sources belong to Saint-Aubin-les-Vignes: the Département's call (real,
shared with the network) and a fund of the demo's intercommunality (illustrative: the
intercommunality is invented, so the record gives no figure and no link).

Timing specs (``timing``):

- ``("permanent",)``: applications all year;
- ``("dated", start, end)``: a call open from ``start`` to ``end`` days after the load day
  (negative: before it);
- ``("yearly", (month, day) or None, (month, day))``: the same window every year.
"""

import datetime

CHECKED_ON = datetime.date(2026, 11, 20)
CHECKED_BY = "Coordination du réseau"
SAINT_AUBIN = "71901"
EPCI = "Communauté de communes des Vallons de la Grosne"

# key: (name, level, website)
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
    "ecology": (
        "État — ministère de la Transition écologique",
        "state",
        "https://www.ecologie.gouv.fr",
    ),
    "associations": (
        "État — ministère chargé de la vie associative",
        "state",
        "https://www.associations.gouv.fr",
    ),
    "agriculture": (
        "Ministère de l'Agriculture et de la Souveraineté alimentaire",
        "state",
        "https://agriculture.gouv.fr",
    ),
    "anct": (
        "Agence nationale de la cohésion des territoires (ANCT)",
        "agency",
        "https://agence-cohesion-territoires.gouv.fr",
    ),
    "leader": (
        "Union européenne — FEADER (groupe d'action locale LEADER)",
        "europe",
        "https://www.europe-en-france.gouv.fr",
    ),
    "bank": ("Banque des Territoires", "bank", "https://www.banquedesterritoires.fr"),
    "msa": ("MSA", "social", "https://www.msa.fr"),
    "cfppa": (
        "Conférence des financeurs de la prévention de la perte d'autonomie",
        "department",
        "https://www.cnsa.fr",
    ),
    "region": ("Région Bourgogne-Franche-Comté", "region", "https://www.bourgognefranchecomte.fr"),
    "department": ("Département de Saône-et-Loire", "department", "https://www.saoneetloire71.fr"),
    "epci": (EPCI, "intercommunality", ""),
}

CHECK_DATES = (
    " Les dates affichées sont celles de l'appel de l'année : vérifiez-les sur la page officielle."
)

# The network's shared sources (no commune).
NETWORK_SOURCES = [
    {
        "slug": "detr",
        "name": "Dotation d'équipement des territoires ruraux (DETR)",
        "summary": (
            "Subvention de l'État pour les investissements des communes rurales et de leurs "
            "intercommunalités : bâtiments publics, accessibilité, services à la population, "
            "cadre de vie. Chaque département fixe ses priorités et ses taux."
        ),
        "financer": "prefecture",
        "co_financers": "",
        "kind": "grant",
        "applicants": ["communes", "intercommunalites"],
        "categories": [],
        "themes": "investissement, équipements publics, accessibilité, services au public",
        "scope": "national",
        "covers": ["investment"],
        "description": (
            "La DETR aide les communes et leurs groupements à investir : construire ou "
            "rénover un bâtiment communal, rendre accessible et mettre aux normes un lieu "
            "qui reçoit du public, mener un projet économique, social, environnemental, "
            "sportif ou touristique, maintenir un service public en milieu rural. Y ont "
            "droit les communes de 2 000 habitants au plus en métropole et, sous une condition de "
            "richesse fiscale, celles de 2 001 à 20 000 habitants, ainsi que les "
            "intercommunalités qui remplissent les critères de la loi. Une commission "
            "départementale d'élus arrête chaque année les catégories d'opérations "
            "prioritaires.\n\nPour les projets du réseau, la DETR sert surtout à payer la "
            "partie « travaux » : aménager une salle pour un tiers-lieu, équiper la cuisine "
            "d'une cantine, créer un point de covoiturage."
        ),
        "amount_comment": (
            "Pas de montant national : la commission départementale d'élus fixe, pour chaque "
            "catégorie d'opérations, un taux minimum et un taux maximum, et donne son avis "
            "sur les subventions de plus de 100 000 €. Voir le règlement de l'année publié "
            "par la préfecture."
        ),
        "timing": ("yearly", None, (1, 15)),
        "how_to_apply": (
            "Déposer le dossier en ligne, sur la démarche indiquée par la préfecture, avec "
            "la délibération du conseil municipal, le plan de financement, les devis et une "
            "attestation de non-commencement des travaux. Ne pas commencer les travaux "
            "avant l'accusé de réception du dossier complet. Chaque préfecture fixe son "
            "calendrier : la date de clôture retenue ici (mi-janvier) est indicative, "
            "vérifiez-la sur la page officielle et sur le site de votre préfecture."
        ),
        "url": (
            "https://www.collectivites-locales.gouv.fr/finances-locales/"
            "dotation-dequipement-des-territoires-ruraux-detr"
        ),
        "contact": (
            "Préfecture ou sous-préfecture de l'arrondissement, service chargé des dotations "
            "de l'État aux collectivités."
        ),
    },
    {
        "slug": "dsil",
        "name": "Dotation de soutien à l'investissement local (DSIL)",
        "summary": (
            "Subvention de l'État aux investissements des communes et intercommunalités qui "
            "entrent dans les priorités fixées par la loi : transition écologique, mise aux "
            "normes des équipements, mobilité, numérique, écoles. Le préfet de région choisit "
            "les projets."
        ),
        "financer": "region_prefecture",
        "co_financers": "Préfectures de département (instruction des dossiers)",
        "kind": "grant",
        "applicants": ["communes", "intercommunalites"],
        "categories": [],
        "themes": "investissement, transition écologique, mise aux normes, mobilité, numérique",
        "scope": "national",
        "covers": ["investment", "studies"],
        "description": (
            "Toutes les communes, les intercommunalités à fiscalité propre et les pôles "
            "d'équilibre territoriaux et ruraux (PETR) peuvent la demander. La loi fixe six "
            "familles d'opérations : développement écologique et rénovation énergétique ; "
            "mise aux normes et sécurisation des équipements publics ; mobilité et "
            "logement ; numérique et téléphonie mobile ; bâtiments scolaires ; équipements "
            "rendus nécessaires par l'arrivée de nouveaux habitants. Elle finance aussi les "
            "opérations inscrites dans un contrat signé avec l'État ; dans ce cadre, une "
            "petite part peut couvrir des études préalables. Un même projet peut recevoir la "
            "DSIL et la DETR."
        ),
        "amount_comment": (
            "Pas de barème national : le préfet de région retient les projets et fixe chaque "
            "subvention dans l'enveloppe régionale de l'année."
        ),
        "timing": ("dated", -20, 50),
        "how_to_apply": (
            "Dossier en ligne auprès de la préfecture ou de la sous-préfecture, souvent dans "
            "le même appel annuel que la DETR, avec la délibération, le plan de financement "
            "et les devis." + CHECK_DATES
        ),
        "url": (
            "https://www.collectivites-locales.gouv.fr/finances-locales/"
            "dotation-de-soutien-linvestissement-local-dsil"
        ),
        "contact": (
            "Sous-préfecture de l'arrondissement ; secrétariat général pour les affaires "
            "régionales (SGAR) de la préfecture de région."
        ),
    },
    {
        "slug": "fonds-vert",
        "name": "Fonds vert — accélérer la transition écologique des territoires",
        "summary": (
            "Fonds de l'État, attribué par les préfets, qui aide les collectivités à réduire "
            "leur impact sur l'environnement, à s'adapter au changement climatique et à "
            "améliorer le cadre de vie : rénovation énergétique, renaturation, biodéchets, "
            "mobilités…"
        ),
        "financer": "ecology",
        "co_financers": "Préfectures ; appui en ingénierie de l'ANCT, du Cerema et de l'ADEME",
        "kind": "grant",
        "applicants": ["communes", "intercommunalites"],
        "categories": ["jardins-partages", "tiers-lieux-ruraux", "cantines-locales"],
        "themes": (
            "transition écologique, rénovation énergétique, renaturation, biodéchets, "
            "adaptation au changement climatique"
        ),
        "scope": "national",
        "covers": ["investment", "studies"],
        "description": (
            "Le fonds a trois axes — renforcer la performance environnementale, adapter les "
            "territoires au changement climatique, améliorer le cadre de vie — déclinés en "
            "mesures. Chaque mesure a son cahier d'accompagnement : dépenses éligibles, "
            "critères, porteurs possibles. Il n'y a pas d'appel à projets national : le "
            "préfet choisit parmi les dossiers déposés dans son département.\n\nPour les "
            "projets du réseau : rénover la salle qui accueillera un tiers-lieu, renaturer "
            "une parcelle pour un jardin partagé, trier et valoriser les biodéchets d'une "
            "cantine. Les mesures ouvertes et leur budget changent d'une année à l'autre ; "
            "la mobilité rurale fait l'objet d'une fiche à part dans ce guide."
        ),
        "amount_comment": (
            "Taux et plafonds propres à chaque mesure, fixés par son cahier "
            "d'accompagnement ; le préfet décide du montant dans l'enveloppe du département."
        ),
        "timing": ("dated", -60, 95),
        "how_to_apply": (
            "Déposer le dossier en ligne (démarche « Fonds vert » sur "
            "demarches-simplifiees.fr, accessible depuis Aides-territoires) en choisissant la "
            "mesure qui correspond au projet." + CHECK_DATES
        ),
        "url": "https://www.ecologie.gouv.fr/fonds-vert",
        "contact": (
            "Direction départementale des territoires (DDT) ou sous-préfecture de l'arrondissement."
        ),
    },
    {
        "slug": "fonds-vert-mobilites-rurales",
        "name": "Fonds vert — mobilités durables en zones rurales (dont covoiturage)",
        "summary": (
            "Mesure du Fonds vert pour les territoires ruraux : stratégie de mobilité, "
            "transport à la demande, autopartage, services et aménagements pour le "
            "covoiturage, vélos en prêt, mobilité solidaire. Portée par l'autorité "
            "organisatrice de la mobilité, souvent la communauté de communes."
        ),
        "financer": "ecology",
        "co_financers": "Préfectures ; France Mobilités (information des porteurs de projet)",
        "kind": "call",
        "applicants": ["intercommunalites", "communes"],
        "categories": ["covoiturage-local", "plateformes-coordination"],
        "themes": "mobilité, covoiturage, transport à la demande, mobilité solidaire, ruralité",
        "scope": "national",
        "covers": ["investment", "operating", "studies"],
        "description": (
            "Volet 1 : élaborer une stratégie de mobilité ou un plan de mobilité simplifié, "
            "avec un bureau d'études ou une assistance à maîtrise d'ouvrage. Volet 2 : créer "
            "un service ou un bouquet de services de proximité — transport solidaire, "
            "transport à la demande ou navette, autopartage, services et infrastructures de "
            "covoiturage, information des voyageurs, vélos en prêt ou en location — et le "
            "faire connaître.\n\nLe porteur doit être l'autorité organisatrice de la "
            "mobilité locale, ou avoir reçu d'elle une délégation (convention à joindre), et "
            "le territoire de l'intercommunalité doit être classé rural ou intermédiaire. "
            "Une commune peut donc porter un projet de covoiturage si sa communauté de "
            "communes lui en délègue le volet."
        ),
        "amount_comment": (
            "Taux et plafonds fixés par le cahier d'accompagnement de la mesure pour "
            "l'édition en cours."
        ),
        "timing": ("dated", -45, 18),
        "how_to_apply": (
            "Candidature en ligne sur demarches-simplifiees.fr (démarche « Fonds vert – "
            "Développement des mobilités durables en zones rurales »), avec la délibération, "
            "le plan de financement et, s'il y a lieu, la convention de délégation de "
            "l'autorité organisatrice." + CHECK_DATES
        ),
        "url": (
            "https://www.francemobilites.fr/fonds-vert/faq/"
            "developper-les-mobilites-durables-en-zones-rurales"
        ),
        "contact": (
            "Direction départementale des territoires (DDT) ; sous-préfecture de l'arrondissement."
        ),
    },
    {
        "slug": "leader-bourgogne-franche-comte",
        "name": "LEADER — fonds européens pour les projets ruraux (FEADER)",
        "summary": (
            "Programme européen de développement rural mené localement par un groupe d'action "
            "locale (GAL) qui réunit élus et acteurs privés. Il soutient les projets publics "
            "ou associatifs qui servent la stratégie du territoire : services, vie sociale et "
            "culturelle, alimentation locale, transition écologique."
        ),
        "financer": "leader",
        "co_financers": "Région Bourgogne-Franche-Comté (autorité de gestion du FEADER)",
        "kind": "grant",
        "applicants": ["communes", "intercommunalites", "associations", "entreprises-ess"],
        "categories": [
            "marche-producteurs-tournant",
            "tiers-lieux-ruraux",
            "festivals-evenements",
            "cantines-locales",
            "covoiturage-local",
            "jardins-partages",
            "plateformes-coordination",
        ],
        "themes": (
            "Europe, développement local, vie sociale, alimentation locale, transition écologique"
        ),
        "scope": "region",
        "region": "27",
        "covers": ["investment", "operating", "studies"],
        "description": (
            "LEADER finance les projets qui entrent dans la stratégie locale de développement "
            "d'un GAL, découpée en fiches-actions. Pour 2023-2027, la Région "
            "Bourgogne-Franche-Comté a retenu 22 territoires LEADER ; chacun a ses priorités "
            "(par exemple l'attractivité des centres-bourgs, la vie sociale et culturelle, le "
            "tourisme, l'adaptation au changement climatique). Le comité de programmation du "
            "GAL, où siègent des élus et des membres de la société civile, choisit les "
            "projets.\n\nAvant tout, vérifiez que la commune est dans le périmètre d'un GAL "
            "et que le projet correspond à l'une de ses fiches-actions."
        ),
        "amount_comment": (
            "Chaque GAL fixe dans ses fiches-actions les dépenses éligibles, les taux et, "
            "s'il y a lieu, un montant minimum ou maximum d'aide."
        ),
        "timing": ("permanent",),
        "how_to_apply": (
            "Prendre contact tôt avec l'équipe d'animation du GAL, puis déposer une lettre "
            "d'intention auprès de la Région avant d'engager les dépenses ; le dossier complet "
            "passe ensuite devant le comité de programmation du GAL. Les demandes sont "
            "reçues au fil de l'eau."
        ),
        "url": "https://europe-en-france.gouv.fr/fr/node/20011",
        "contact": (
            "Équipe d'animation du GAL de votre territoire (souvent au PETR ou à la "
            "communauté de communes) ; Région Bourgogne-Franche-Comté, service des fonds "
            "européens."
        ),
    },
    {
        "slug": "villages-davenir",
        "name": "Villages d'avenir — un appui en ingénierie pour les communes rurales",
        "summary": (
            "Programme de l'État piloté par l'ANCT : un chef de projet placé auprès de la "
            "préfecture accompagne les communes rurales de moins de 3 500 habitants retenues, "
            "de l'idée à la réalisation de leurs projets, et les aide à trouver les "
            "financements."
        ),
        "financer": "anct",
        "co_financers": "Préfectures ; Cerema (directeurs de projet)",
        "kind": "engineering",
        "applicants": ["communes"],
        "categories": [],
        "themes": "ingénierie, ruralité, accompagnement de projet, recherche de financements",
        "scope": "national",
        "covers": ["studies"],
        "description": (
            "Le chef de projet aide la commune à poser un diagnostic si besoin, à mobiliser "
            "l'ingénierie locale ou des prestations d'études, à repérer les aides (Europe, "
            "État, Région, Département…) et à monter les dossiers, à vérifier que le projet "
            "respecte les règles (urbanisme, environnement, sécurité) et à réunir les bons "
            "interlocuteurs. L'accompagnement dure en général de 12 à 18 mois.\n\nLes "
            "communes sont retenues par vagues, sur proposition du préfet, parmi les "
            "communes rurales au sens de la grille de densité de l'INSEE. Programme lancé en "
            "2024 dans le cadre du plan France Ruralités."
        ),
        "amount_comment": (
            "Pas de subvention versée : l'accompagnement est pris en charge par l'État, qui "
            "peut aussi donner accès à des prestations d'études."
        ),
        "timing": ("dated", 24, 85),
        "how_to_apply": (
            "Faire connaître la candidature de la commune à la sous-préfecture à l'ouverture "
            "d'une nouvelle vague, avec une courte présentation des projets à accompagner. "
            "Les dates affichées sont celles de la prochaine vague annoncée : vérifiez-les "
            "sur la page officielle et auprès de la préfecture."
        ),
        "url": "https://www.cerema.fr/fr/villages-avenir",
        "contact": "Sous-préfecture de l'arrondissement (chef de projet Villages d'avenir).",
    },
    {
        "slug": "fabriques-de-territoire",
        "name": "Fabriques de territoire — soutien aux tiers-lieux",
        "summary": (
            "Appel à manifestation d'intérêt de l'État (programme « Nouveaux lieux, nouveaux "
            "liens ») qui aide au fonctionnement de tiers-lieux ancrés dans leur territoire, "
            "lieux ressources pour les habitants et les porteurs de projets voisins."
        ),
        "financer": "anct",
        "co_financers": "France Tiers-Lieux (groupement d'intérêt public)",
        "kind": "call",
        "applicants": ["associations", "entreprises-ess"],
        "categories": ["tiers-lieux-ruraux"],
        "themes": "tiers-lieux, lien social, numérique, services de proximité",
        "scope": "national",
        "covers": ["operating"],
        "description": (
            "Une Fabrique de territoire est un tiers-lieu ouvert, qui associe ses usagers et "
            "les habitants à sa gouvernance et répond à un besoin du territoire : accès à la "
            "culture et au numérique, lien social, travail à distance, services de "
            "proximité. L'aide porte sur le fonctionnement, le temps que le lieu trouve son "
            "équilibre économique. La vague 2023 était réservée aux territoires sans "
            "tiers-lieu labellisé et favorisait les lieux qui mêlent activités de tiers-lieu "
            "et services de proximité.\n\nLa commune peut prêter un local ; la "
            "candidature est portée par la structure qui anime le lieu, souvent une "
            "association."
        ),
        "amount_comment": (
            "Vagues 2019-2021 : jusqu'à 50 000 € par an pendant trois ans ; vague 2023 : un "
            "forfait de 50 000 € par lauréat. Le montant de toute nouvelle vague est fixé par "
            "son cahier des charges."
        ),
        "timing": ("dated", -35, 26),
        "how_to_apply": (
            "Candidature en ligne pendant la vague ouverte, souvent après un repérage par la "
            "sous-préfecture ; un jury régional choisit les lauréats." + CHECK_DATES
        ),
        "url": "https://francetierslieux.fr/soutiens/",
        "contact": (
            "France Tiers-Lieux ; réseau régional des tiers-lieux (Tiers-Lieux BFC) ; "
            "sous-préfecture de l'arrondissement."
        ),
    },
    {
        "slug": "fdva-fonctionnement-innovation",
        "name": "FDVA — fonctionnement et projets innovants des associations",
        "summary": (
            "Fonds de l'État pour le développement de la vie associative : une subvention au "
            "fonctionnement d'une petite ou moyenne association, ou à un nouveau projet utile "
            "aux habitants. Un appel à projets chaque année dans chaque département."
        ),
        "financer": "associations",
        "co_financers": "Services départementaux à la jeunesse, à l'engagement et aux sports",
        "kind": "call",
        "applicants": ["associations"],
        "categories": [
            "echanges-de-services",
            "festivals-evenements",
            "visites-solidaires-aines",
            "jardins-partages",
            "ateliers-jeunes-metiers",
        ],
        "themes": "vie associative, bénévolat, innovation sociale, lien social",
        "scope": "national",
        "covers": ["operating"],
        "description": (
            "Toute association loi 1901 (ou de droit local en Alsace-Moselle), de tout "
            "secteur, sport compris, peut candidater si son objet est d'intérêt général, sa "
            "gouvernance démocratique et sa gestion transparente ; les petites associations "
            "(deux salariés au plus) passent en priorité. L'aide finance soit le "
            "fonctionnement de l'association, soit un projet nouveau qui rend un service à "
            "la population. Sont exclues les associations qui défendent un secteur "
            "professionnel ou les seuls intérêts de leurs adhérents, et les associations "
            "cultuelles ou para-administratives. Un collège départemental fixe les priorités "
            "de l'année.\n\nPour le réseau : l'association qui anime un jardin partagé, des "
            "visites aux aînés ou un festival peut y prétendre."
        ),
        "amount_comment": (
            "Montant fixé dans chaque département, en général quelques milliers d'euros : "
            "voir la note d'orientation départementale de l'année."
        ),
        "timing": ("yearly", (12, 16), (2, 17)),
        "how_to_apply": (
            "Demande en ligne sur Le Compte Asso, avec le code de l'appel à projets du "
            "département. Dates indicatives, reprises d'une campagne récente (de mi-décembre "
            "à mi-février) ; elles changent d'un département à l'autre : vérifiez-les sur la "
            "page officielle."
        ),
        "url": "https://www.associations.gouv.fr/FDVA.html",
        "contact": (
            "Service départemental à la jeunesse, à l'engagement et aux sports (SDJES) de "
            "votre département."
        ),
    },
    {
        "slug": "pna-appel-a-projets",
        "name": "Programme national pour l'alimentation — appel à projets national",
        "summary": (
            "Appel à projets annuel du ministère de l'Agriculture, avec l'ADEME et les "
            "ministères de la Santé et des Solidarités : projets alimentaires territoriaux, "
            "produits locaux en restauration collective, éducation alimentaire, lutte contre "
            "le gaspillage et la précarité alimentaire."
        ),
        "financer": "agriculture",
        "co_financers": "ADEME ; ministères chargés de la Santé et des Solidarités",
        "kind": "call",
        "applicants": ["communes", "intercommunalites", "associations", "entreprises-ess"],
        "categories": ["cantines-locales", "jardins-partages", "marche-producteurs-tournant"],
        "themes": (
            "alimentation, circuits courts, restauration collective, gaspillage alimentaire, "
            "précarité alimentaire"
        ),
        "scope": "national",
        "covers": ["operating", "studies"],
        "description": (
            "Les éditions récentes avaient plusieurs volets : faire émerger de nouveaux "
            "projets alimentaires territoriaux (PAT), portés par des collectivités qui "
            "réunissent agriculteurs, transformateurs, distributeurs et restauration "
            "collective autour d'un plan d'action ; soutenir des projets structurants "
            "régionaux ou nationaux ; essaimer des démarches qui ont fait leurs preuves. La "
            "sélection est exigeante : quelques dizaines de lauréats par édition, souvent "
            "annoncés au Salon international de l'agriculture.\n\nPour une petite commune, "
            "le volet PAT passe en général par l'intercommunalité ; un projet de cantine ou "
            "de jardin peut aussi s'inscrire dans le PAT qui existe déjà sur le territoire."
        ),
        "amount_comment": (
            "Enveloppe nationale partagée entre les lauréats ; le cahier des charges de "
            "chaque édition fixe les montants possibles par volet."
        ),
        "timing": ("yearly", (11, 15), (1, 8)),
        "how_to_apply": (
            "Dossier en ligne selon le cahier des charges de l'édition. Dates indicatives, "
            "reprises des éditions récentes (ouverture mi-novembre, clôture début janvier) : "
            "vérifiez-les sur la page officielle et auprès de la DRAAF."
        ),
        "url": (
            "https://agriculture.gouv.fr/"
            "infographie-les-appels-projets-nationaux-du-programme-national-pour-lalimentation-pna"
        ),
        "contact": (
            "Direction régionale de l'alimentation, de l'agriculture et de la forêt (DRAAF), "
            "pôle alimentation."
        ),
    },
    {
        "slug": "conference-des-financeurs-saone-et-loire",
        "name": (
            "Conférence des financeurs de la prévention de la perte d'autonomie — appel à "
            "projets de Saône-et-Loire"
        ),
        "summary": (
            "Chaque année, la conférence des financeurs du département soutient des actions "
            "collectives de prévention pour les personnes de 60 ans et plus qui vivent chez "
            "elles : lien social et lutte contre l'isolement, santé et bien vieillir, "
            "mobilité, numérique, accès aux droits."
        ),
        "financer": "cfppa",
        "co_financers": (
            "Département de Saône-et-Loire (présidence) ; ARS ; caisses de retraite et "
            "d'assurance maladie ; CNSA"
        ),
        "kind": "call",
        "applicants": ["communes", "intercommunalites", "associations"],
        "categories": ["visites-solidaires-aines", "covoiturage-local", "echanges-de-services"],
        "themes": "bien vieillir, isolement, prévention, seniors, lien social",
        "scope": "department",
        "department": "71",
        "covers": ["operating"],
        "description": (
            "Créée par la loi du 28 décembre 2015 relative à l'adaptation de la société au "
            "vieillissement, la conférence des financeurs réunit dans chaque département, "
            "autour du Département et de l'agence régionale de santé, les caisses de "
            "retraite, l'assurance maladie, les mutuelles et d'autres partenaires, pour "
            "financer un programme coordonné de prévention.\n\nEn Saône-et-Loire, l'appel à "
            "projets soutient notamment des actions collectives : santé et bien vieillir "
            "(nutrition, mémoire, activité physique, prévention des chutes), lien social et "
            "lutte contre l'isolement, habitat et cadre de vie, accès aux droits, mobilité, "
            "usage du numérique, préparation à la retraite. Peuvent candidater les personnes "
            "morales de droit public ou de droit privé à but non lucratif : communes et "
            "CCAS, intercommunalités, associations. Les actions pour les proches aidants "
            "relèvent d'un appel distinct."
        ),
        "amount_comment": (
            "Pas de barème publié : le montant dépend du budget de l'action et des crédits "
            "de l'année. Voir le règlement d'intervention de l'appel."
        ),
        "timing": ("yearly", (12, 9), (1, 30)),
        "how_to_apply": (
            "Télécharger le règlement et le dossier sur le site du Département, puis déposer "
            "la candidature avant la clôture. Dates reprises de l'édition 2022 (du 9 "
            "décembre au 30 janvier) : vérifiez chaque année celles de l'appel en cours sur "
            "la page officielle."
        ),
        "url": (
            "https://www.saoneetloire71.fr/appels-a-projets/autonomie-handicap/"
            "prevention-perte-dautonomie-cfppa"
        ),
        "contact": "Département de Saône-et-Loire, secrétariat de la conférence des financeurs.",
    },
    {
        "slug": "msa-appel-a-projets-jeunes",
        "name": "Appel à projets jeunes de la MSA",
        "summary": (
            "Concours de la MSA pour les groupes d'au moins trois jeunes de 13 à 22 ans, "
            "vivant en milieu rural ou relevant de la MSA, qui mènent eux-mêmes un projet "
            "solidaire pour leur territoire : bourse locale, puis sélection possible pour le "
            "concours national."
        ),
        "financer": "msa",
        "co_financers": "Caisse centrale de la MSA (concours national)",
        "kind": "prize",
        "applicants": ["jeunes"],
        "categories": [
            "ateliers-jeunes-metiers",
            "festivals-evenements",
            "jardins-partages",
            "visites-solidaires-aines",
        ],
        "themes": "jeunesse, engagement, citoyenneté, solidarité, ruralité",
        "scope": "national",
        "covers": ["operating"],
        "description": (
            "Les jeunes doivent être les vrais porteurs du projet, qui doit avoir une "
            "dimension solidaire et profiter à d'autres qu'eux. Ils vivent dans une commune "
            "rurale (moins de 15 000 habitants) ou relèvent de la MSA. Thèmes : culture et "
            "événements grand public, éducation et citoyenneté, lutte contre les violences "
            "et les discriminations, inclusion des personnes fragiles, prévention en santé, "
            "environnement et économie sociale, promotion de l'agriculture. Un référent "
            "jeunesse de la MSA accompagne le groupe.\n\nDeux étapes : un jury de la caisse "
            "locale attribue des bourses, puis certains projets concourent au niveau "
            "national. Sont exclus les projets seulement événementiels, les voyages "
            "humanitaires et les projets menés dans un cadre scolaire. La commune peut aider "
            "un groupe de jeunes à se lancer, mais ne candidate pas à sa place."
        ),
        "amount_max": 2500,
        "amount_comment": (
            "Au concours national, les prix vont de 1 500 € à 2 500 € ; les bourses du "
            "concours local sont fixées par chaque caisse de MSA."
        ),
        "timing": ("yearly", (7, 1), (11, 15)),
        "how_to_apply": (
            "Contacter tôt le référent jeunesse de la caisse de MSA du département (MSA "
            "Bourgogne pour la Saône-et-Loire), qui remet le dossier de candidature. Dates "
            "indicatives, reprises d'éditions récentes (inscriptions dès l'été, dossiers "
            "jusqu'à mi-novembre) ; elles varient selon les caisses : vérifiez-les sur la "
            "page officielle."
        ),
        "url": "https://www.msa.fr/lfp/accueil",
        "contact": (
            "Caisse de MSA du département, service d'action sanitaire et sociale (référent "
            "jeunesse)."
        ),
    },
    {
        "slug": "banque-des-territoires-prets",
        "name": "Prêts de long terme de la Banque des Territoires aux collectivités",
        "summary": (
            "La Banque des Territoires (Caisse des Dépôts) prête aux communes et "
            "intercommunalités pour leurs investissements d'intérêt général, sur de longues "
            "durées, à un taux indexé sur celui du livret A. Utile pour étaler la part qui "
            "reste à la charge de la commune après les subventions."
        ),
        "financer": "bank",
        "co_financers": "",
        "kind": "loan",
        "applicants": ["communes", "intercommunalites"],
        "categories": ["tiers-lieux-ruraux", "cantines-locales", "covoiturage-local"],
        "themes": "emprunt, investissement, rénovation énergétique, équipements publics",
        "scope": "national",
        "covers": ["investment"],
        "description": (
            "Ses prêts financent les projets du secteur public local : rénovation énergétique "
            "des bâtiments et des écoles, équipements publics, réseaux d'eau et "
            "d'assainissement, mobilités… La durée dépend de l'opération et peut aller "
            "jusqu'à 60 ans pour les projets des collectivités, ce qui cale les échéances sur "
            "la durée de vie de l'équipement. Toute collectivité peut la solliciter, à "
            "condition de présenter un projet et un plan de financement qui entrent dans ses "
            "priorités (cohésion sociale et territoriale, transition écologique).\n\nUn prêt "
            "complète les subventions sans les remplacer : il se rembourse."
        ),
        "amount_comment": (
            "Taux indexé sur le livret A, plus une marge qui dépend de l'offre de prêt ; "
            "durée selon l'opération (jusqu'à 60 ans pour le secteur public local)."
        ),
        "timing": ("permanent",),
        "how_to_apply": (
            "Présenter le projet et son plan de financement à la direction régionale de la "
            "Banque des Territoires, qui instruit la demande de prêt, avec la délibération "
            "autorisant l'emprunt."
        ),
        "url": "https://www.banquedesterritoires.fr/blog-des-territoires/pret-long-terme-projets-publics",
        "contact": "Direction régionale Bourgogne-Franche-Comté de la Banque des Territoires.",
    },
]

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
