"""Demo content of the project catalogue: ten project templates and projects adopted from them."""

TEMPLATES = [
    {
        "slug": "covoiturage-local",
        "title": "Covoiturage local entre habitants",
        "category": "covoiturage-local",
        "problem": (
            "Dans les villages sans ligne de car régulière, ne pas avoir de voiture — ou ne "
            "plus pouvoir conduire — coupe des commerces, du médecin, de l'emploi et de la vie "
            "sociale. Pendant ce temps, des voitures descendent chaque matin vers la vallée "
            "avec une seule personne à bord. Les grandes plateformes de covoiturage ne servent "
            "à rien pour un trajet de 12 km décidé la veille."
        ),
        "summary": (
            "Mettre en relation les trajets du quotidien entre habitants grâce à des points de "
            "rendez-vous balisés, un groupe de messagerie doublé d'un relais téléphonique, et "
            "quelques règles simples acceptées par tous."
        ),
        "steps": [
            {
                "title": "Recenser les trajets réels et les besoins",
                "description": (
                    "Un questionnaire papier d'une page dans toutes les boîtes aux lettres, "
                    "complété par du porte-à-porte dans les hameaux : qui part où, à quelle "
                    "heure, quels jours, et qui n'a aucune solution. Comptez 25 à 40 % de "
                    "retours si les membres du micro-parlement vont chercher les "
                    "questionnaires eux-mêmes.\n\nReportez les trajets sur une carte affichée "
                    "en séance : les flux dominants (gare, collège, zone d'activités, marché) "
                    "sautent aux yeux."
                ),
                "duration": "3 à 4 semaines",
            },
            {
                "title": "Choisir et baliser les points de rendez-vous",
                "description": (
                    "Retenir deux à quatre points visibles, où l'on peut s'arrêter sans "
                    "danger, si possible abrités et éclairés : devant la mairie, à l'abribus "
                    "scolaire, à l'entrée d'un hameau. Au bord d'une route départementale, "
                    "demander l'avis de l'agence routière du Département avant de poser quoi "
                    "que ce soit. Un panneau simple avec le nom du point et le numéro du "
                    "relais suffit."
                ),
                "duration": "2 à 3 semaines",
            },
            {
                "title": "Écrire la charte du covoiturage",
                "description": (
                    "Une page, pas plus : participation aux frais indicative (quelques euros "
                    "par trajet, ou rien du tout), ponctualité, prévenir en cas d'empêchement, "
                    "aucune obligation de rendre le service. Vérifier auprès de deux ou trois "
                    "assureurs locaux que le covoiturage sans but lucratif est bien couvert "
                    "par l'assurance du conducteur, et l'écrire dans la charte pour rassurer."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Mettre en place la mise en relation, numérique et papier",
                "description": (
                    "Un groupe de messagerie pour les personnes à l'aise avec le téléphone ; "
                    "un tableau en mairie et un numéro relais (le secrétariat aux heures "
                    "d'ouverture, un bénévole le reste du temps) pour les autres. Le "
                    "conseiller numérique de France Services peut aider les aînés à rejoindre "
                    "le groupe."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Lancer avec un trajet régulier et connu",
                "description": (
                    "Démarrer par un trajet que tout le monde connaît : le marché du jeudi, la "
                    "gare le lundi matin, le collège. Une semaine de lancement avec un article "
                    "dans le bulletin municipal, une affiche chez le boulanger et des membres "
                    "du micro-parlement présents aux points de rendez-vous. Les premiers "
                    "trajets sont « parrainés » : un conducteur connu propose, un passager "
                    "identifié accepte."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Compter, écouter, ajuster",
                "description": (
                    "Après six à huit semaines, compter les trajets partagés (un cahier en "
                    "mairie ou un sondage dans le groupe), appeler les passagers qui ont "
                    "décroché et déplacer un point de rendez-vous si besoin. Présenter le "
                    "bilan en conseil municipal et à la communauté de communes, qui peut "
                    "articuler le dispositif avec son transport à la demande."
                ),
                "duration": "3 semaines",
            },
        ],
        "budget_min": 1500,
        "budget_max": 6000,
        "duration": "3 à 4 mois",
        "roles": [
            (
                "Un ou deux coordinateurs bénévoles qui animent le groupe de messagerie et "
                "relancent les conducteurs"
            ),
            "La mairie : panneaux, tableau d'affichage, secrétariat comme relais téléphonique",
            (
                "La communauté de communes, autorité organisatrice de la mobilité ou relais de "
                "la Région, pour le lien avec le transport à la demande"
            ),
            (
                "Le Département (agence routière) pour tout point de rendez-vous au bord d'une "
                "route départementale"
            ),
            (
                "France Services ou le centre social pour accompagner les habitants peu à "
                "l'aise avec le numérique"
            ),
            "Une dizaine de conducteurs volontaires aux trajets réguliers",
        ],
        "pitfalls": [
            (
                "Un outil 100 % numérique : il exclut justement les aînés et les personnes "
                "sans voiture, qui en ont le plus besoin."
            ),
            (
                "Des points de rendez-vous choisis sur la carte et pas sur le terrain : sans "
                "abri, dans un virage, invisibles la nuit."
            ),
            (
                "La question de l'argent laissée dans le flou : les passagers sont gênés de "
                "demander, les conducteurs gênés de refuser."
            ),
            (
                "Tout faire reposer sur deux conducteurs très motivés : au premier "
                "déménagement, le dispositif s'arrête."
            ),
            (
                "Promettre un service garanti : le covoiturage entre habitants reste de "
                "l'entraide, pas un transport public."
            ),
        ],
        "success_factors": [
            (
                "Partir d'un trajet régulier et connu plutôt que de vouloir couvrir tous les "
                "déplacements."
            ),
            (
                "Un visage et un numéro identifiés, joignables aux heures où l'on organise ses "
                "trajets."
            ),
            (
                "Une présence physique visible : panneau, tableau en mairie, affiche dans les "
                "commerces."
            ),
            (
                "Un premier bilan chiffré au bout de deux mois, même modeste, partagé avec "
                "tous les habitants."
            ),
        ],
        "resources": [
            {
                "title": "France Mobilités — solutions de mobilité pour les territoires",
                "url": "https://www.francemobilites.fr/",
            },
            {
                "title": "Aides-territoires — trouver les aides pour un projet de mobilité",
                "url": "https://aides-territoires.beta.gouv.fr/",
            },
        ],
        "origin": "Saint-Aubin-les-Vignes (micro-parlement de 2026)",
    },
    {
        "slug": "marche-producteurs-tournant",
        "title": "Marché de producteurs tournant entre communes",
        "category": "marche-producteurs-tournant",
        "problem": (
            "Dans beaucoup de petites communes, plus aucun commerce alimentaire ne tient, "
            "alors que des maraîchers, éleveurs et fromagers s'installent à quelques "
            "kilomètres et peinent à vendre en direct. Un marché hebdomadaire par village "
            "n'est pas viable : trop peu de clients pour les producteurs, trop de temps passé "
            "sur la route."
        ),
        "summary": (
            "Un marché de producteurs qui change de commune chaque mois : une date fixe, cinq "
            "à dix producteurs du territoire, un lieu différent à chaque fois, et un vrai "
            "moment de rencontre entre villages."
        ),
        "steps": [
            {
                "title": "Réunir les producteurs avant de fixer la date",
                "description": (
                    "Avec la chambre d'agriculture ou le réseau des producteurs fermiers, "
                    "identifier les producteurs dans un rayon de 20 à 30 km et les réunir un "
                    "soir, hors saison de récolte. Leur demander ce qui rend un marché "
                    "rentable pour eux : nombre de clients attendus, horaire, distance, "
                    "fréquence. Sans au moins cinq producteurs complémentaires (légumes, "
                    "viande ou œufs, fromage, pain), mieux vaut attendre."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Fixer le calendrier tournant entre les communes",
                "description": (
                    "Choisir un rythme tenable, souvent le premier vendredi du mois de 16 h 30 "
                    "à 19 h 30 pour capter les retours du travail, et l'ordre de passage des "
                    "communes sur l'année. Chaque mairie confirme par écrit son lieu et sa "
                    "date : place, préau, cour de l'ancienne école, avec un repli couvert pour "
                    "l'hiver."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Régler le cadre administratif",
                "description": (
                    "Chaque commune hôte prend un arrêté d'occupation du domaine public et "
                    "décide de la gratuité ou d'un droit de place symbolique. Les producteurs "
                    "vérifient leurs propres obligations (chaîne du froid, balance vérifiée, "
                    "étiquetage). Si une buvette associative accompagne le marché, "
                    "l'association demande son autorisation de buvette temporaire en mairie."
                ),
                "duration": "3 à 4 semaines",
            },
            {
                "title": "Équiper le marché et le faire connaître",
                "description": (
                    "Prévoir le matériel partagé qui voyage avec le marché : banderole, "
                    "panneaux de fléchage, quelques barnums, rallonges, poubelles de tri. "
                    "Communiquer dans les bulletins municipaux, sur les panneaux lumineux et "
                    "par un calendrier annuel distribué dans toutes les boîtes aux lettres des "
                    "communes du réseau."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Tenir les six premiers marchés, puis faire le point",
                "description": (
                    "À chaque marché, deux bénévoles de la commune hôte accueillent, aident à "
                    "l'installation et comptent les visiteurs. Après six éditions, réunir "
                    "producteurs, mairies et membres du micro-parlement : chiffre d'affaires "
                    "moyen par producteur, communes où le marché prend, horaires à revoir."
                ),
                "duration": "6 mois",
            },
        ],
        "budget_min": 2000,
        "budget_max": 7000,
        "duration": "3 mois de préparation, puis 6 mois de test",
        "roles": [
            (
                "La chambre d'agriculture ou un réseau de producteurs fermiers pour identifier "
                "et réunir les producteurs"
            ),
            "Cinq à dix producteurs engagés sur au moins six dates",
            (
                "Chaque mairie hôte : arrêté d'occupation du domaine public, électricité, lieu "
                "de repli couvert"
            ),
            "Le comité des fêtes ou une association locale pour la buvette et l'animation",
            "La communauté de communes pour la communication commune et le matériel partagé",
        ],
        "pitfalls": [
            (
                "Fixer la date et le lieu avant de consulter les producteurs : personne ne "
                "viendra à l'heure de la traite ou des livraisons."
            ),
            (
                "Trop de producteurs du même type : trois maraîchers pour quarante clients, ce "
                "sont deux maraîchers qui ne reviennent pas."
            ),
            (
                "Un calendrier qui change sans cesse : les habitants ne savent plus où se "
                "tient le marché ce mois-ci."
            ),
            (
                "Oublier l'hiver : sans repli couvert et éclairé, le marché s'arrête de "
                "novembre à mars et peine à redémarrer."
            ),
        ],
        "success_factors": [
            "Une date fixe et facile à retenir, identique dans toutes les communes.",
            "Un noyau de producteurs complémentaires qui s'engagent pour au moins six éditions.",
            (
                "Un moment convivial associé (buvette, soupe, musique) qui donne une raison de "
                "venir d'un autre village."
            ),
            "Un bilan chiffré partagé avec les producteurs pour décider ensemble de la suite.",
        ],
        "resources": [
            {
                "title": "Chambres d'agriculture — le réseau et les chambres départementales",
                "url": "https://www.chambres-agriculture.fr/",
            },
            {
                "title": "Ministère de l'Agriculture et de la Souveraineté alimentaire",
                "url": "https://agriculture.gouv.fr/",
            },
            {
                "title": "Service-Public.fr — démarches des associations",
                "url": "https://www.service-public.fr/associations",
            },
        ],
        "origin": (
            "Réseau des micro-parlements, d'après plusieurs marchés itinérants du Charolais et "
            "du Morvan"
        ),
    },
    {
        "slug": "visites-solidaires-aines",
        "title": "Visites solidaires aux aînés isolés",
        "category": "visites-solidaires-aines",
        "problem": (
            "Dans les hameaux, des personnes âgées vivent seules, loin du bourg, sans famille "
            "proche ni voiture. L'aide à domicile passe mais n'a pas le temps de s'attarder, "
            "et l'isolement s'installe sans bruit jusqu'à la chute ou l'hospitalisation. "
            "Beaucoup d'habitants seraient prêts à rendre visite, mais n'osent pas frapper à "
            "la porte."
        ),
        "summary": (
            "Une équipe de bénévoles formés rend visite chaque semaine aux aînés isolés qui le "
            "souhaitent, en lien avec le CCAS, l'aide à domicile et la MSA, pour maintenir le "
            "lien et repérer les fragilités à temps."
        ),
        "steps": [
            {
                "title": "Repérer les personnes isolées, avec discrétion",
                "description": (
                    "Le CCAS, qui tient le registre des personnes vulnérables, ne le "
                    "communique pas, mais il peut proposer lui-même la visite aux personnes "
                    "inscrites ; l'aide à domicile, l'infirmière ou le facteur peuvent faire "
                    "de même. On ne dresse aucune liste publique : on cherche la bonne "
                    "personne pour proposer. Comptez une dizaine à une vingtaine de personnes "
                    "pour une commune de 400 à 500 habitants."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Constituer et former l'équipe de bénévoles",
                "description": (
                    "Appeler aux bénévoles par le bulletin, le club des aînés, le comité des "
                    "fêtes, la sortie de l'école. Une demi-journée de formation, par exemple "
                    "avec la MSA ou une équipe citoyenne MONALISA voisine : écouter sans "
                    "s'imposer, respecter l'intimité, savoir qui alerter et quand. Chaque "
                    "bénévole signe une charte de confidentialité."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Proposer la visite et former les binômes",
                "description": (
                    "Le premier contact passe par quelqu'un que la personne connaît déjà : "
                    "l'aide à domicile, le maire, un voisin. On propose un rendez-vous, pas un "
                    "programme. Chaque bénévole suit deux ou trois personnes au plus, à un "
                    "rythme choisi ensemble, le plus souvent une heure par semaine."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Organiser le relais en cas d'inquiétude",
                "description": (
                    "Définir un circuit simple et écrit : le bénévole qui s'inquiète (volets "
                    "fermés, chute, perte d'appétit, détresse) appelle la référente de "
                    "l'équipe, qui prévient le CCAS ou la famille. Les bénévoles ne font ni "
                    "soins, ni courses avec l'argent de la personne, ni démarches à sa place."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Faire vivre l'équipe dans la durée",
                "description": (
                    "Une réunion d'équipe tous les deux mois, autour d'un café, pour parler "
                    "des situations difficiles et se soutenir. Un goûter commun ou une sortie "
                    "collective deux fois par an permet aux personnes visitées de se "
                    "rencontrer entre elles. Le CCAS rembourse les frais kilométriques des "
                    "bénévoles qui le demandent."
                ),
                "duration": "En continu",
            },
        ],
        "budget_min": 1000,
        "budget_max": 4000,
        "duration": "2 à 3 mois pour lancer, puis en continu",
        "roles": [
            (
                "Le CCAS ou la mairie, pour le repérage confidentiel, l'assurance des "
                "bénévoles et le remboursement des frais"
            ),
            "Une référente ou un référent bénévole qui coordonne l'équipe et reçoit les alertes",
            "La MSA, une équipe citoyenne MONALISA ou le centre social pour former les bénévoles",
            (
                "L'ADMR ou le service d'aide à domicile, pour présenter les bénévoles aux "
                "personnes accompagnées"
            ),
            "Huit à quinze bénévoles disponibles une heure par semaine",
        ],
        "pitfalls": [
            (
                "Une liste des « personnes isolées » qui circule dans le village : c'est "
                "blessant et contraire à la confidentialité."
            ),
            (
                "Des bénévoles qui glissent vers l'aide à domicile (courses, toilette, "
                "médicaments) sans cadre ni assurance."
            ),
            (
                "Une référente seule qui absorbe toutes les situations difficiles et s'épuise "
                "en quelques mois."
            ),
            (
                "Des visites promises puis espacées : une visite annoncée et non faite isole "
                "davantage."
            ),
        ],
        "success_factors": [
            "Un premier contact par une personne de confiance, déjà connue de l'aîné.",
            "Un circuit d'alerte clair et écrit, connu de tous les bénévoles.",
            (
                "Peu de personnes par bénévole, et des rencontres d'équipe régulières pour ne "
                "pas rester seul avec ce qu'on voit."
            ),
            (
                "Un lien formel avec le CCAS, qui couvre l'assurance et donne sa légitimité à "
                "l'équipe."
            ),
        ],
        "resources": [
            {
                "title": (
                    "Portail national d'information pour l'autonomie des personnes âgées et "
                    "l'accompagnement de leurs proches"
                ),
                "url": "https://www.pour-les-personnes-agees.gouv.fr/",
            },
            {
                "title": "MONALISA — mobilisation nationale contre l'isolement des âgés",
                "url": "https://www.monalisa-asso.fr/",
            },
        ],
        "origin": "Montferrand-le-Bois (micro-parlement de 2026, hameaux des Granges et du Mont)",
    },
    {
        "slug": "jardins-partages",
        "title": "Jardin partagé au cœur du village",
        "category": "jardins-partages",
        "problem": (
            "Tout le monde n'a pas de jardin, même à la campagne : locataires du bourg, aînés "
            "qui ne peuvent plus entretenir un grand potager, nouveaux arrivants. Les "
            "savoir-faire des anciens jardiniers se perdent, pendant qu'un terrain communal "
            "reste en friche ou tondu pour rien."
        ),
        "summary": (
            "Transformer un terrain communal en jardin partagé : parcelles individuelles et "
            "espace collectif, compost, cabane à outils et règlement simple, pour cultiver "
            "ensemble et transmettre les savoir-faire."
        ),
        "steps": [
            {
                "title": "Trouver le terrain et vérifier l'essentiel",
                "description": (
                    "Repérer un terrain communal proche du bourg, ensoleillé, accessible à "
                    "pied : derrière la mairie, ancienne cour d'école, bout de pré. Vérifier "
                    "l'accès à l'eau (raccordement ou récupération de pluie sur un toit "
                    "voisin), la qualité du sol si le terrain a connu une autre activité "
                    "(dépôt, garage) et la compatibilité avec le PLU ou la carte communale."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Réunir les futurs jardiniers et écrire le règlement",
                "description": (
                    "Une réunion publique suffit souvent à trouver dix à quinze foyers. "
                    "Ensemble, décider de la taille des parcelles (souvent 20 à 50 m²), de la "
                    "part collective, de la cotisation annuelle (10 à 20 €), de l'interdiction "
                    "des pesticides et du sort d'une parcelle abandonnée. Une association de "
                    "jardiniers et une convention d'occupation avec la mairie formalisent le "
                    "tout."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Préparer le terrain en chantier participatif",
                "description": (
                    "Un ou deux samedis de chantier : délimitation des parcelles et des "
                    "allées, bacs surélevés pour les personnes à mobilité réduite, "
                    "récupérateurs d'eau, composteur. L'agent technique de la commune passe le "
                    "motoculteur pour le premier travail du sol ; un agriculteur voisin "
                    "apporte du fumier."
                ),
                "duration": "2 à 3 semaines",
            },
            {
                "title": "Équiper le jardin",
                "description": (
                    "Une cabane à outils fermée, des outils collectifs de base, un composteur "
                    "à trois bacs (souvent fourni par le syndicat de collecte des déchets), un "
                    "banc et une table pour que le jardin soit aussi un lieu où l'on s'arrête. "
                    "Une grainothèque et un échange de plants avec les jardiniers expérimentés "
                    "du village complètent l'ensemble."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Faire vivre le jardin toute l'année",
                "description": (
                    "Une journée de plantation au printemps, une fête des récoltes en "
                    "septembre, des ateliers avec l'école ou le centre de loisirs. L'été, un "
                    "planning d'arrosage collectif évite de retrouver le jardin grillé en "
                    "août, quand la moitié des jardiniers sont partis."
                ),
                "duration": "En continu",
            },
        ],
        "budget_min": 2000,
        "budget_max": 8000,
        "duration": "3 à 5 mois, en démarrant l'hiver",
        "roles": [
            (
                "La mairie : mise à disposition du terrain par convention, raccordement à "
                "l'eau, appui de l'agent technique"
            ),
            (
                "Une association de jardiniers, existante ou créée pour l'occasion, qui gère "
                "les parcelles et le règlement"
            ),
            "Le syndicat de collecte des déchets pour le composteur et la formation au compostage",
            "Des jardiniers expérimentés du village pour transmettre les savoir-faire",
            "L'école ou le centre de loisirs pour une parcelle pédagogique",
        ],
        "pitfalls": [
            (
                "Oublier l'eau : sans point d'eau à moins de 50 mètres, le jardin est "
                "abandonné dès le premier été sec."
            ),
            (
                "Des parcelles trop grandes : une famille qui découvre le jardinage abandonne "
                "une parcelle de 100 m² en juillet."
            ),
            (
                "Ne rien prévoir pour les parcelles délaissées : elles montent en graines et "
                "découragent les voisins."
            ),
            (
                "Lancer les travaux au printemps : le terrain n'est prêt qu'en juin, trop tard "
                "pour la première saison."
            ),
        ],
        "success_factors": [
            "Démarrer en hiver pour être prêt à planter en mars-avril.",
            (
                "Mêler parcelles individuelles et espace collectif, pour que le jardin soit "
                "aussi un lieu de rencontre."
            ),
            "Associer dès le départ les anciens jardiniers du village, fiers de transmettre.",
            (
                "Des bacs surélevés pour que les aînés et les personnes à mobilité réduite "
                "puissent jardiner."
            ),
        ],
        "resources": [
            {
                "title": (
                    "ADEME — Agence de la transition écologique (compostage, prévention des "
                    "déchets)"
                ),
                "url": "https://www.ademe.fr/",
            },
            {
                "title": "Aides-territoires — trouver les aides pour un projet de jardin",
                "url": "https://aides-territoires.beta.gouv.fr/",
            },
        ],
        "origin": "Les Essarts-du-Mont (jardin derrière la mairie, 2026)",
    },
    {
        "slug": "ateliers-jeunes-metiers",
        "title": "Ateliers métiers pour les jeunes du territoire",
        "category": "ateliers-jeunes-metiers",
        "problem": (
            "Les jeunes des villages connaissent mal les métiers qui s'exercent à deux "
            "kilomètres de chez eux : menuiserie, maraîchage, mécanique, soins aux animaux. "
            "Les stages de troisième se trouvent difficilement sans réseau, et les artisans "
            "qui cherchent un apprenti ou un repreneur ne croisent jamais les adolescents du "
            "coin."
        ),
        "summary": (
            "Pendant les vacances scolaires, des artisans, agriculteurs et entreprises du "
            "village accueillent par petits groupes des jeunes de 14 à 18 ans pour une "
            "demi-journée de découverte et un petit chantier concret."
        ),
        "steps": [
            {
                "title": "Recenser les professionnels prêts à accueillir",
                "description": (
                    "Faire le tour des artisans, agriculteurs, commerçants et services du "
                    "territoire : garage, menuiserie, exploitation laitière, Ehpad, atelier de "
                    "mécanique agricole. Leur demander ce qu'ils peuvent montrer en une "
                    "demi-journée, à combien de jeunes à la fois et dans quelles conditions de "
                    "sécurité. La chambre de métiers et de l'artisanat et la chambre "
                    "d'agriculture aident à trouver les bons interlocuteurs."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Construire le programme avec les jeunes",
                "description": (
                    "Réunir quelques jeunes (par le collège, le club de foot, la mission "
                    "locale, le bouche-à-oreille) pour choisir les ateliers et les dates : ce "
                    "sont eux qui feront venir les autres. Prévoir au moins un atelier en "
                    "dehors des métiers les plus attendus, pour élargir les horizons."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Régler assurance, autorisations et transport",
                "description": (
                    "Pour des mineurs : autorisation parentale signée, assurance vérifiée "
                    "(celle de la commune ou de l'association organisatrice, et celle du "
                    "professionnel), consignes de sécurité écrites par chaque accueillant. "
                    "Aucune machine dangereuse pour les moins de 16 ans. Organiser le "
                    "transport entre les hameaux et les ateliers, qui est souvent le vrai "
                    "frein."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Tenir les ateliers pendant les vacances",
                "description": (
                    "Des groupes de trois à six jeunes, une demi-journée par atelier, avec un "
                    "adulte référent du projet toujours présent. Chaque atelier laisse une "
                    "trace concrète : un nichoir, une planche de légumes repiqués, une vidange "
                    "faite de ses mains. Quelques photos, avec l'accord des parents, "
                    "nourrissent le bulletin et l'édition suivante."
                ),
                "duration": "1 à 2 semaines",
            },
            {
                "title": "Restituer et ouvrir des suites",
                "description": (
                    "Une soirée de restitution où les jeunes présentent ce qu'ils ont fait, "
                    "devant les parents et les professionnels. C'est là que naissent les "
                    "propositions de stage de troisième, de job d'été ou d'apprentissage. "
                    "Noter les suites concrètes pour le bilan."
                ),
                "duration": "1 soirée, puis 1 mois de suivi",
            },
        ],
        "budget_min": 1500,
        "budget_max": 5000,
        "duration": "3 mois, calés sur les vacances scolaires",
        "roles": [
            (
                "Trois à huit professionnels du territoire (artisans, agriculteurs, "
                "commerçants, services) prêts à ouvrir leur atelier"
            ),
            "Un adulte référent du projet, présent à chaque atelier",
            (
                "La chambre de métiers et de l'artisanat et la chambre d'agriculture pour "
                "identifier les accueillants"
            ),
            "Le collège, la mission locale ou le lycée agricole pour relayer auprès des jeunes",
            "La mairie ou une association support pour l'assurance et les autorisations parentales",
        ],
        "pitfalls": [
            (
                "Sous-estimer le transport : un jeune des hameaux sans parent disponible ne "
                "viendra pas."
            ),
            (
                "Des ateliers « vitrine » où le jeune regarde sans rien faire : il décroche en "
                "vingt minutes."
            ),
            (
                "Négliger l'assurance et les consignes de sécurité avec des mineurs dans un "
                "atelier ou sur une exploitation."
            ),
            (
                "Programmer pendant les moissons, les vendanges ou la fête du village : les "
                "professionnels se désistent au dernier moment."
            ),
        ],
        "success_factors": [
            (
                "Des jeunes associés au choix des ateliers, qui deviennent les ambassadeurs "
                "auprès des autres."
            ),
            "Un geste concret à réaliser dans chaque atelier, et un objet à rapporter chez soi.",
            (
                "Des professionnels remerciés publiquement, dans le bulletin et à la soirée de "
                "restitution."
            ),
            (
                "Un suivi des suites (stages, jobs d'été, apprentissage) pour montrer "
                "l'utilité du projet aux élus et aux financeurs."
            ),
        ],
        "resources": [
            {
                "title": "Onisep — informations sur les métiers et les formations",
                "url": "https://www.onisep.fr/",
            },
            {
                "title": "Artisanat.fr — le réseau des chambres de métiers et de l'artisanat",
                "url": "https://www.artisanat.fr/",
            },
        ],
        "origin": "Vaux-en-Bresse (micro-parlement de 2026)",
    },
    {
        "slug": "tiers-lieux-ruraux",
        "title": "Tiers-lieu rural dans un bâtiment communal",
        "category": "tiers-lieux-ruraux",
        "problem": (
            "L'école a fermé, le café aussi, et la salle communale n'ouvre plus que pour les "
            "mariages et le repas des aînés. Les habitants font 20 km pour une démarche "
            "administrative accompagnée, un espace de travail ou simplement un endroit où se "
            "croiser. Un bâtiment public sous-utilisé coûte pourtant chaque année en chauffage "
            "et en entretien."
        ),
        "summary": (
            "Redonner vie à un bâtiment communal en y réunissant plusieurs usages — permanence "
            "de services publics, atelier de réparation, coworking, café associatif — dans un "
            "lieu géré avec les habitants, ouvert quelques demi-journées par semaine pour "
            "commencer."
        ),
        "steps": [
            {
                "title": "Faire l'état des lieux du bâtiment",
                "description": (
                    "Avant de rêver, vérifier ce que le bâtiment permet : classement en "
                    "établissement recevant du public (ERP), accessibilité, sécurité incendie, "
                    "chauffage, connexion internet, sanitaires. Le CAUE ou les services "
                    "techniques de la communauté de communes peuvent faire une visite. Le coût "
                    "des mises aux normes conditionne tout le reste."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Choisir trois usages de départ",
                "description": (
                    "Lister les besoins exprimés pendant le diagnostic et en retenir trois, "
                    "pas plus, avec un porteur identifié pour chacun : par exemple une "
                    "permanence France Services, un repair café mensuel, un café associatif le "
                    "samedi. Les autres idées attendront que le lieu vive."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Définir la gouvernance et le statut",
                "description": (
                    "Qui a les clés, qui paie le chauffage, qui décide du planning ? Le plus "
                    "simple au départ : une association d'habitants et une convention "
                    "d'occupation avec la commune. Les formes plus ambitieuses (SCIC, "
                    "collectif d'associations) viennent après deux ou trois ans, si le lieu a "
                    "trouvé son public."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Monter le budget et chercher les financements",
                "description": (
                    "Séparer l'investissement (travaux, mobilier, matériel) du fonctionnement "
                    "(énergie, assurance, animation). Pour les travaux : DETR ou DSIL, "
                    "Département, Région. Pour l'animation : appels à projets tiers-lieux de "
                    "l'État et de la Région, et la CAF si le lieu devient un espace de vie "
                    "sociale. Aides-territoires recense les aides ouvertes."
                ),
                "duration": "1 à 2 mois",
            },
            {
                "title": "Ouvrir à l'essai avec un aménagement léger",
                "description": (
                    "Ouvrir avant les grands travaux, avec du mobilier de récupération et un "
                    "planning de deux ou trois demi-journées par semaine. Tenir un cahier de "
                    "fréquentation. Six mois d'ouverture à l'essai en apprennent plus qu'une "
                    "étude de faisabilité."
                ),
                "duration": "6 mois",
            },
            {
                "title": "Évaluer et décider des investissements",
                "description": (
                    "Au bout de six mois, bilan partagé avec le conseil municipal : "
                    "fréquentation par usage, bénévoles mobilisés, coûts réels. C'est sur "
                    "cette base que la commune décide des travaux lourds et que le lieu "
                    "élargit ses usages."
                ),
                "duration": "1 mois",
            },
        ],
        "budget_min": 8000,
        "budget_max": 25000,
        "duration": "4 à 6 mois, puis 6 mois d'ouverture à l'essai",
        "roles": [
            (
                "La commune, propriétaire du bâtiment : convention d'occupation, mises aux "
                "normes, assurance"
            ),
            "Une association d'habitants qui gère le planning, les clés et l'animation",
            (
                "France Services ou le conseiller numérique de la communauté de communes pour "
                "une permanence régulière"
            ),
            "Le CAUE ou les services techniques intercommunaux pour l'état des lieux du bâtiment",
            "Le réseau régional des tiers-lieux pour les retours d'expérience et les formations",
            "La CAF si le lieu évolue vers un espace de vie sociale",
        ],
        "pitfalls": [
            (
                "Découvrir trop tard que le bâtiment n'est pas aux normes ERP : les travaux "
                "d'accessibilité peuvent dépasser tout le budget du projet."
            ),
            (
                "Vouloir tout faire à la fois (coworking, fablab, épicerie, café, services "
                "publics) sans porteur pour chaque usage."
            ),
            "Un lieu tenu par deux ou trois bénévoles seulement, qui s'épuisent en un an.",
            (
                "Des ouvertures trop rares ou irrégulières : personne ne sait quand le lieu "
                "est ouvert."
            ),
        ],
        "success_factors": [
            "Ouvrir à l'essai, même modestement, avant d'engager les gros travaux.",
            "Trois usages au départ, chacun avec un porteur identifié et des horaires fixes.",
            (
                "Une convention claire entre la commune et l'association : clés, charges, "
                "assurance, responsabilités."
            ),
            (
                "Un usage de service public (permanence, accompagnement numérique) qui fait "
                "venir celles et ceux qui ne viendraient pas au café."
            ),
        ],
        "resources": [
            {
                "title": "France Tiers-Lieux — réseau national et ressources",
                "url": "https://www.francetiers-lieux.fr/",
            },
            {
                "title": "Agence nationale de la cohésion des territoires (ANCT)",
                "url": "https://www.anct.gouv.fr/",
            },
            {
                "title": "Aides-territoires — recenser les aides ouvertes",
                "url": "https://aides-territoires.beta.gouv.fr/",
            },
        ],
        "origin": (
            "Réseau des micro-parlements, d'après plusieurs tiers-lieux de villages de la "
            "Nièvre et de l'Allier"
        ),
    },
    {
        "slug": "echanges-de-services",
        "title": "Échanges de services entre voisins",
        "category": "echanges-de-services",
        "problem": (
            "Dans un village, chacun a besoin d'un coup de main à un moment : tailler une "
            "haie, garder un enfant une heure, remplir un dossier en ligne, aller chercher une "
            "ordonnance. Les nouveaux arrivants ne savent pas à qui demander, les aînés "
            "n'osent pas, et beaucoup de savoir-faire restent inutilisés faute d'occasion de "
            "les proposer."
        ),
        "summary": (
            "Un système d'entraide simple où chacun propose et demande des services — "
            "jardinage, bricolage, garde, aide informatique, transport — sur un tableau en "
            "mairie et en ligne, avec une rencontre régulière pour se connaître."
        ),
        "steps": [
            {
                "title": "Recenser les besoins et les savoir-faire",
                "description": (
                    "Un questionnaire « ce que je peux offrir / ce dont j'aurais besoin » "
                    "distribué avec le bulletin municipal et repris lors d'un apéritif de "
                    "lancement. On découvre souvent des compétences inattendues : une "
                    "retraitée comptable, un jeune à l'aise avec les démarches en ligne, un "
                    "ancien menuisier."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Choisir le mode d'échange",
                "description": (
                    "Trois formules possibles : l'entraide gratuite et informelle, l'échange "
                    "en temps (une heure vaut une heure, comme dans un système d'échange "
                    "local), ou un mélange des deux. Au village, la formule la plus simple est "
                    "souvent la bonne. Fixer aussi ce qui est exclu : travaux qui relèvent "
                    "d'un artisan, soins, garde régulière rémunérée."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Mettre en place le tableau des échanges",
                "description": (
                    "Un tableau à la mairie ou à l'épicerie, doublé d'une page sur le site de "
                    "la commune ou d'un groupe de messagerie. Chaque annonce tient en une "
                    "ligne, avec un prénom et un moyen de contact. Une personne relais met le "
                    "tableau à jour chaque semaine et retire les annonces périmées."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Cadrer l'assurance et la confiance",
                "description": (
                    "Vérifier que les échanges ponctuels sont couverts par la responsabilité "
                    "civile de chacun et, si une association porte le dispositif, par son "
                    "assurance. Une charte d'une page rappelle le respect, la ponctualité et "
                    "le droit de refuser un service."
                ),
                "duration": "2 semaines",
            },
            {
                "title": "Animer avec des rencontres régulières",
                "description": (
                    "Un café des échanges chaque trimestre, un troc de graines au printemps, "
                    "une matinée de coups de main collectifs (nettoyage d'un chemin, taille "
                    "des haies d'un aîné) : on échange plus facilement avec quelqu'un qu'on a "
                    "déjà rencontré. Un bilan d'une page chaque année, avec le nombre "
                    "d'échanges et quelques témoignages, montre aux élus et aux habitants que "
                    "le dispositif vit."
                ),
                "duration": "En continu",
            },
        ],
        "budget_min": 500,
        "budget_max": 3000,
        "duration": "2 à 3 mois",
        "roles": [
            "Une personne relais bénévole qui tient le tableau et met les gens en contact",
            (
                "La mairie pour le tableau, la page sur le site communal et la diffusion dans "
                "le bulletin"
            ),
            (
                "Une association locale (foyer rural, comité des fêtes) pour porter "
                "l'assurance si besoin"
            ),
            "Le centre social ou France Services pour orienter les personnes qui ont besoin d'aide",
        ],
        "pitfalls": [
            (
                "Un tableau jamais mis à jour : trois annonces périmées suffisent à décourager "
                "tout le monde."
            ),
            (
                "Concurrencer les artisans locaux en laissant passer de vrais chantiers qui "
                "devraient être payés."
            ),
            (
                "Ne toucher que des personnes déjà bien entourées : les plus isolés ne lisent "
                "pas le site de la commune."
            ),
            (
                "Un système d'échange en temps trop compliqué à comptabiliser pour un village "
                "de 300 habitants."
            ),
        ],
        "success_factors": [
            "Démarrer avec une dizaine d'offres concrètes, publiées dès le lancement.",
            "Une personne relais qui sait qui fait quoi et n'hésite pas à décrocher son téléphone.",
            "Des rencontres conviviales régulières où l'on met des visages sur les annonces.",
        ],
        "resources": [
            {
                "title": "JeVeuxAider.gouv.fr — la plateforme publique du bénévolat",
                "url": "https://www.jeveuxaider.gouv.fr/",
            },
            {
                "title": "Associations.gouv.fr — créer et faire vivre une association",
                "url": "https://www.associations.gouv.fr/",
            },
        ],
        "origin": (
            "Réseau des micro-parlements, d'après des systèmes d'échange local de Bresse et du Jura"
        ),
    },
    {
        "slug": "festivals-evenements",
        "title": "Fête intercommunale préparée par les habitants",
        "category": "festivals-evenements",
        "problem": (
            "La fête du village rassemble toujours les mêmes, et ses bénévoles vieillissent. "
            "Les nouveaux habitants ne s'y retrouvent pas, les jeunes vont ailleurs le samedi "
            "soir, et chaque commune organise seule une fête devenue trop lourde pour elle. "
            "Ces moments font pourtant l'identité d'un territoire et donnent envie de s'y "
            "installer."
        ),
        "summary": (
            "Transformer une fête de village en événement intercommunal préparé par un "
            "collectif d'habitants : un programme qui mêle générations et communes, un repas "
            "de produits locaux, des bénévoles venus de plusieurs villages."
        ),
        "steps": [
            {
                "title": "Constituer le collectif d'organisation",
                "description": (
                    "Réunir le comité des fêtes, les associations des communes voisines, des "
                    "jeunes et des nouveaux habitants. Répartir les commissions dès la "
                    "première réunion : programme, repas, logistique, sécurité, communication, "
                    "finances. Chaque commission a un binôme responsable, si possible de deux "
                    "communes différentes."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Bâtir un programme qui parle à tous",
                "description": (
                    "Un temps pour les enfants l'après-midi, un repas partagé, un concert ou "
                    "un bal le soir, et un temps qui raconte le territoire : exposition de "
                    "photos anciennes, visite de ferme, randonnée d'un village à l'autre. "
                    "Faire appel aux talents locaux avant de payer des groupes extérieurs."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Préparer un repas avec les producteurs locaux",
                "description": (
                    "Construire le menu avec deux ou trois producteurs du territoire et un "
                    "traiteur ou la cuisine de la cantine, en fixant le nombre de couverts par "
                    "réservation préalable. Vérifier les règles d'hygiène si des bénévoles "
                    "cuisinent, et prévoir de la vaisselle réutilisable."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Régler les autorisations et la sécurité",
                "description": (
                    "Déclaration de la manifestation en mairie, arrêté de circulation si une "
                    "route est fermée, autorisation de buvette temporaire pour l'association, "
                    "déclaration à la SACEM pour la musique, assurance de l'événement. Au-delà "
                    "de 1 500 personnes attendues, des obligations de sécurité renforcées "
                    "s'appliquent ; une fête intercommunale en reste généralement loin."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Tenir la fête et faire le bilan",
                "description": (
                    "Un planning de bénévoles par créneaux de deux heures, pour que chacun "
                    "profite aussi de la fête. Dans les quinze jours, bilan financier et "
                    "humain avec tout le collectif : ce qu'on garde, ce qu'on change, qui veut "
                    "continuer."
                ),
                "duration": "1 jour, puis 2 semaines de bilan",
            },
        ],
        "budget_min": 3000,
        "budget_max": 10000,
        "duration": "4 à 6 mois",
        "roles": [
            "Le comité des fêtes et les associations des communes voisines",
            "Les mairies : autorisations, prêt de salles, de tables, de barrières et du podium",
            (
                "Deux ou trois producteurs locaux et un traiteur ou la cuisine de la cantine "
                "pour le repas"
            ),
            "La communauté de communes pour la communication et le matériel mutualisé",
            "Une trentaine de bénévoles répartis entre les communes",
        ],
        "pitfalls": [
            (
                "Contourner le comité des fêtes historique, qui vit alors le collectif comme "
                "une dépossession."
            ),
            (
                "Découvrir les démarches (buvette, SACEM, arrêté de circulation) une semaine "
                "avant la fête."
            ),
            "Un repas calculé sans réservation : soit on jette, soit on manque.",
            (
                "Un programme pensé par les habitants du bourg seulement : les hameaux et les "
                "communes voisines ne se déplacent pas."
            ),
        ],
        "success_factors": [
            (
                "Associer les anciens organisateurs en leur confiant la transmission de leur "
                "savoir-faire."
            ),
            "Des binômes de communes différentes à la tête de chaque commission.",
            "Un repas de produits locaux qui devient la signature de la fête.",
            "Un planning de bénévoles court et clair, qui laisse chacun profiter de l'événement.",
        ],
        "resources": [
            {
                "title": "Service-Public.fr — démarches des associations (buvette, manifestation)",
                "url": "https://www.service-public.fr/associations",
            },
            {
                "title": "Ministère de la Culture",
                "url": "https://www.culture.gouv.fr/",
            },
        ],
        "origin": (
            "Réseau des micro-parlements, d'après plusieurs fêtes de village devenues "
            "intercommunales en Bourgogne"
        ),
    },
    {
        "slug": "plateformes-coordination",
        "title": "Plateforme locale de coordination des initiatives",
        "category": "plateformes-coordination",
        "problem": (
            "Sur un territoire de quelques communes, associations, mairies et collectifs se "
            "marchent sur les pieds : deux lotos le même dimanche, un bénévole sollicité par "
            "trois groupes, une initiative d'entraide que la commune voisine ignore. "
            "L'information circule par le bouche-à-oreille, les panneaux et des dizaines de "
            "groupes de messagerie que personne ne lit en entier."
        ),
        "summary": (
            "Un outil numérique simple et partagé — agenda commun, annuaire des associations, "
            "fil d'annonces — tenu par quelques référents des communes, pour centraliser les "
            "initiatives et éviter doublons et concurrences."
        ),
        "steps": [
            {
                "title": "Cartographier les acteurs et les canaux d'information",
                "description": (
                    "Lister avec les mairies et la communauté de communes les associations, "
                    "collectifs et services, et leurs canaux actuels : bulletins, panneaux, "
                    "pages, groupes de messagerie. Demander à chacun ce qui lui manque le plus "
                    ": un agenda commun arrive presque toujours en tête."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Choisir un outil sobre et maintenable",
                "description": (
                    "Préférer un outil existant et simple à un développement sur mesure : "
                    "agenda partagé, rubrique sur le site de la communauté de communes, "
                    "logiciel libre hébergé par un acteur public ou associatif. Le critère "
                    "décisif : qui pourra le mettre à jour dans trois ans, avec quelles "
                    "compétences ? Vérifier au passage les obligations liées aux données "
                    "personnelles."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Désigner les référents et fixer les règles",
                "description": (
                    "Un référent par commune (élu, secrétaire de mairie ou habitant) et un par "
                    "grande association, qui publient directement. Des règles courtes : ce "
                    "qu'on publie, dans quel délai, qui modère. Une demi-journée de prise en "
                    "main suffit."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Remplir l'outil avant de l'ouvrir",
                "description": (
                    "Ouvrir avec un agenda déjà rempli sur trois mois et un annuaire d'au "
                    "moins trente structures. Un outil vide le jour du lancement ne reçoit "
                    "jamais de seconde visite."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Relier l'outil au papier et le faire connaître",
                "description": (
                    "Imprimer chaque mois l'agenda pour les panneaux des mairies, les "
                    "commerces et le bulletin : une bonne partie des habitants ne consultera "
                    "jamais l'outil en ligne. Présenter l'outil aux assemblées générales des "
                    "associations."
                ),
                "duration": "En continu",
            },
        ],
        "budget_min": 1000,
        "budget_max": 6000,
        "duration": "3 à 4 mois",
        "roles": [
            "La communauté de communes, pour l'hébergement et la pérennité de l'outil",
            "Un référent par commune pour publier et relayer",
            "Les associations du territoire, premières contributrices de l'agenda",
            "Le conseiller numérique ou France Services pour la prise en main",
            "Une animatrice ou un animateur qui relance, modère et imprime la version papier",
        ],
        "pitfalls": [
            (
                "Commander un développement sur mesure que personne ne saura maintenir une "
                "fois le prestataire parti."
            ),
            (
                "Un outil de plus qui s'ajoute aux groupes existants au lieu de les remplacer "
                "ou de s'y relier."
            ),
            (
                "Oublier la version papier et laisser de côté les habitants sans internet ou "
                "peu à l'aise avec les écrans."
            ),
            (
                "Aucun référent désigné : au bout de six mois, l'agenda n'est plus à jour et "
                "perd toute crédibilité."
            ),
        ],
        "success_factors": [
            (
                "Un besoin très précis au départ (l'agenda commun) plutôt qu'une plateforme "
                "qui veut tout faire."
            ),
            "Des référents qui publient eux-mêmes, sans circuit de validation lourd.",
            "Un portage par la communauté de communes qui garantit la durée.",
            "Une impression mensuelle qui fait exister l'outil hors des écrans.",
        ],
        "resources": [
            {
                "title": "CNIL — les collectivités et la protection des données personnelles",
                "url": "https://www.cnil.fr/",
            },
            {
                "title": (
                    "Agence nationale de la cohésion des territoires (ANCT) — inclusion numérique"
                ),
                "url": "https://www.anct.gouv.fr/",
            },
        ],
        "origin": (
            "Réseau des micro-parlements, d'après des communautés de communes du Morvan et du "
            "Clunisois"
        ),
    },
    {
        "slug": "cantines-locales",
        "title": "Cantine scolaire approvisionnée par les fermes voisines",
        "category": "cantines-locales",
        "problem": (
            "La cantine de l'école sert des repas livrés par un prestataire éloigné, alors que "
            "des éleveurs, maraîchers et boulangers travaillent à quelques kilomètres. Depuis "
            "la loi EGalim, la restauration collective doit servir au moins 50 % de produits "
            "durables et de qualité, dont 20 % de bio, mais les petites communes ne savent pas "
            "par où commencer. Les producteurs, eux, craignent les petits volumes et les "
            "règles de l'achat public."
        ),
        "summary": (
            "Construire avec les producteurs voisins un calendrier d'approvisionnement de la "
            "cantine, adapter les menus aux saisons et au travail en cuisine, et atteindre une "
            "part importante de produits locaux sans faire exploser le coût du repas."
        ),
        "steps": [
            {
                "title": "Faire le point sur la cantine actuelle",
                "description": (
                    "Nombre de repas par jour, mode de gestion (cuisine sur place, liaison "
                    "froide, prestataire), équipement de la cuisine, contrat en cours et date "
                    "d'échéance, coût des denrées par repas. La cuisinière ou le cuisinier est "
                    "associé dès ce moment : rien ne se fera sans elle ou lui."
                ),
                "duration": "3 semaines",
            },
            {
                "title": "Identifier les producteurs et ce qu'ils peuvent livrer",
                "description": (
                    "Avec la chambre d'agriculture, le projet alimentaire territorial s'il "
                    "existe, ou le lycée agricole, recenser les producteurs à moins de 30 km : "
                    "quels produits, quelles quantités, quelle saison, quelle capacité de "
                    "livraison. Une cantine de 60 à 80 repas représente un petit volume, mais "
                    "régulier et payé à date fixe, ce qui intéresse beaucoup d'exploitations."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Construire le calendrier d'approvisionnement",
                "description": (
                    "Croiser la saisonnalité des produits avec les menus sur une année : "
                    "légumes d'automne et d'hiver, viande planifiée avec l'éleveur plusieurs "
                    "mois à l'avance, pain chaque jour, produits laitiers chaque semaine. "
                    "Adapter les plans de menus avec la cuisine et, si besoin, une "
                    "diététicienne."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Respecter les règles de l'achat public",
                "description": (
                    "Sous les seuils de la commande publique, la commune peut acheter "
                    "directement en comparant plusieurs devis ; au-delà, un marché découpé en "
                    "lots (légumes, viande, produits laitiers, pain) permet aux petits "
                    "producteurs de répondre. Le service marchés de la communauté de communes "
                    "peut aider à rédiger les critères."
                ),
                "duration": "1 mois",
            },
            {
                "title": "Tester, ajuster et équiper la cuisine",
                "description": (
                    "Commencer par deux ou trois produits (pain, pommes, viande bovine) avant "
                    "d'étendre. Prévoir le temps de travail supplémentaire pour éplucher des "
                    "légumes bruts, et l'équipement nécessaire (éplucheuse, légumerie). Peser "
                    "les restes avant et après pour mesurer le gaspillage."
                ),
                "duration": "2 à 3 mois",
            },
            {
                "title": "Mesurer et partager les résultats",
                "description": (
                    "Suivre chaque trimestre la part de produits locaux et durables, le coût "
                    "des denrées par repas et le gaspillage, et les déclarer sur la plateforme "
                    "publique « ma cantine ». Présenter les résultats aux parents et inviter "
                    "les producteurs à déjeuner avec les enfants."
                ),
                "duration": "1 mois",
            },
        ],
        "budget_min": 3000,
        "budget_max": 20000,
        "duration": "6 mois à un an",
        "roles": [
            "La cuisinière ou le cuisinier de la cantine, associé à chaque décision",
            "La mairie ou le syndicat scolaire, acheteur public et gestionnaire de la cantine",
            (
                "Trois à six producteurs et artisans du territoire : éleveur, maraîcher, "
                "boulanger, producteur laitier"
            ),
            (
                "La chambre d'agriculture ou le projet alimentaire territorial pour la mise en "
                "relation"
            ),
            "Le lycée agricole, fournisseur possible et partenaire pour des projets pédagogiques",
            "Les parents d'élèves, pour les menus, la communication et la pesée du gaspillage",
        ],
        "pitfalls": [
            (
                "Décider sans la cuisine : des légumes bruts arrivent dans une cuisine qui n'a "
                "ni le temps ni le matériel pour les préparer."
            ),
            (
                "Vouloir passer au tout local d'un coup : les ruptures d'approvisionnement "
                "découragent tout le monde en un trimestre."
            ),
            "Ignorer les règles de la commande publique et devoir annuler des achats déjà engagés.",
            (
                "Ne pas anticiper la hausse du coût des denrées (souvent 0,30 à 0,60 € par "
                "repas) ni décider qui la prend en charge."
            ),
        ],
        "success_factors": [
            "Un calendrier d'approvisionnement écrit, partagé entre la cuisine et les producteurs.",
            "Une montée en charge progressive, produit par produit.",
            "La lutte contre le gaspillage, qui finance une partie du surcoût des produits locaux.",
            (
                "Des liens directs entre les enfants et les producteurs : visite de ferme, "
                "déjeuner partagé."
            ),
        ],
        "resources": [
            {
                "title": "ma cantine — la plateforme publique de la restauration collective",
                "url": "https://ma-cantine.agriculture.gouv.fr/",
            },
            {
                "title": "Ministère de l'Agriculture et de la Souveraineté alimentaire",
                "url": "https://agriculture.gouv.fr/",
            },
        ],
        "origin": "Les Essarts-du-Mont (cantine scolaire, 2026)",
    },
]

PROJECTS = [
    {
        "commune": "71901",
        "template": "covoiturage-local",
        "slug": "covoiturage-des-coteaux",
        "title": "Covoiturage des Coteaux : descendre dans la vallée sans voiture",
        "category": "covoiturage-local",
        "status": "action",
        "place": "Devant la mairie, place de l'Église, et carrefour du hameau des Brosses",
        "summary": (
            "Un point de rendez-vous devant la mairie, un second aux Brosses, un groupe de "
            "messagerie et un relais téléphonique pour partager les trajets quotidiens vers la "
            "vallée et le marché du jeudi."
        ),
        "need": (
            "Le diagnostic a montré qu'une trentaine d'habitants, surtout des aînés et des "
            "jeunes sans permis, n'ont aucune solution pour descendre dans la vallée, alors "
            "que plus de quarante voitures partent chaque matin avec une seule personne à "
            "bord. Le car ne passe qu'en période scolaire, à heures fixes."
        ),
        "body": (
            "<p>Pendant le diagnostic, les membres du micro-parlement ont fait le tour des 180 "
            "foyers du village avec un questionnaire d'une page : 71 réponses, et une "
            "évidence. Les trajets vers la vallée se concentrent entre 7 h et 8 h 30, puis le "
            "jeudi matin pour le marché.</p><p>Le dispositif retenu est volontairement simple "
            ":</p><ul><li>un <b>point de rendez-vous</b> balisé devant la mairie, un second au "
            "carrefour du hameau des Brosses ;</li><li>un <b>groupe de messagerie</b> pour "
            "proposer ou demander un trajet, de préférence la veille ;</li><li>un <b>tableau "
            "en mairie</b> et un numéro relais tenu par le secrétariat le lundi et le jeudi, "
            "par une bénévole le reste de la semaine ;</li><li>une <b>charte</b> d'une page : "
            "participation aux frais libre, 2 € conseillés pour l'aller-retour vers la "
            "vallée.</li></ul><p>Le conseiller numérique de France Services est venu deux fois "
            "en mairie pour aider les aînés à rejoindre le groupe. La communauté de communes "
            "étudie le raccordement du dispositif à son transport à la demande pour les "
            "rendez-vous médicaux.</p>"
        ),
        "carriers": [
            {
                "name": "Martine B.",
                "role": "habitante tirée au sort, référente du projet et du numéro relais",
                "kind": "person",
            },
            {
                "name": "Julien R.",
                "role": "conducteur quotidien vers la vallée, anime le groupe de messagerie",
                "kind": "person",
            },
            {
                "name": "Mairie de Saint-Aubin-les-Vignes",
                "role": "panneaux, tableau d'affichage et relais téléphonique du secrétariat",
                "kind": "partner",
            },
            {
                "name": "France Services des Vallons de la Grosne",
                "role": "aide les aînés à rejoindre le groupe de messagerie",
                "kind": "partner",
            },
            {
                "name": "Communauté de communes des Vallons de la Grosne",
                "role": "étudie le lien avec son transport à la demande",
                "kind": "partner",
            },
        ],
        "planned_budget": 3400,
        "actual_budget": 2150,
        "milestones": [("idea", 150), ("diagnostic", 115), ("coconstruction", 60), ("action", 30)],
        "updates": [
            {
                "days_ago": 9,
                "title": "Un mois de covoiturage : les premiers chiffres",
                "text": (
                    "<p>En quatre semaines, 46 trajets partagés ont été notés dans le groupe "
                    "ou sur le cahier de la mairie, dont 12 pour le marché du jeudi. Quatorze "
                    "conducteurs et dix-neuf passagers sont inscrits ; cinq passagers passent "
                    "uniquement par le numéro relais.</p><p>Le point du hameau des Brosses, "
                    "trop exposé au vent, sera déplacé sous l'abribus scolaire.</p>"
                ),
            },
            {
                "days_ago": 29,
                "title": "Le point de rendez-vous devant la mairie est en place",
                "text": (
                    "<p>Le panneau a été posé par l'agent communal et le tableau des trajets "
                    "est affiché dans le hall de la mairie. Premier départ groupé jeudi pour "
                    "le marché : trois voitures, sept passagers.</p>"
                ),
            },
            {
                "days_ago": 48,
                "title": "La charte tient sur une page",
                "text": (
                    "<p>Après deux séances de débat, la charte est adoptée : participation aux "
                    "frais libre, prévenir en cas d'empêchement, aucune obligation de rendre "
                    "le service. Deux assureurs du secteur ont confirmé que le covoiturage "
                    "sans but lucratif est couvert par l'assurance du conducteur.</p>"
                ),
            },
        ],
        "results": "",
    },
    {
        "commune": "71901",
        "template": "visites-solidaires-aines",
        "slug": "visites-solidaires-saint-aubin",
        "title": "Visites solidaires aux aînés de Saint-Aubin",
        "category": "visites-solidaires-aines",
        "status": "coconstruction",
        "place": "Bourg, hameau des Brosses et hameau de Champ-Grillet",
        "summary": (
            "Sur le modèle de l'équipe de Montferrand-le-Bois, des bénévoles se préparent à "
            "rendre visite chaque semaine aux aînés isolés du village, en lien avec le CCAS et "
            "l'ADMR."
        ),
        "need": (
            "L'isolement des aînés est la deuxième priorité retenue par le diagnostic : 68 "
            "habitants ont plus de 75 ans et une vingtaine vivent seuls, dont plusieurs dans "
            "les hameaux, sans voiture. L'aide à domicile passe, mais ne peut pas s'attarder."
        ),
        "body": (
            "<p>Le micro-parlement n'a pas voulu réinventer ce qui fonctionne à quelques "
            "kilomètres : deux de ses membres ont rencontré l'équipe de visites de "
            "Montferrand-le-Bois, qui a partagé sa charte, son circuit d'alerte et ses "
            "premiers enseignements.</p><p>En co-construction, le groupe travaille trois "
            "questions :</p><ul><li>comment proposer la visite sans stigmatiser : le premier "
            "contact passera par l'aide à domicile de l'ADMR ou par le maire ;</li><li>quel "
            "circuit d'alerte avec le CCAS, et qui est joignable le week-end ;</li><li>comment "
            "faire se rencontrer les aînés visités, peut-être autour d'un goûter mensuel sur "
            "la place du village, autre priorité du diagnostic.</li></ul><p>Neuf habitants se "
            "sont déjà proposés comme bénévoles. Les visites ne commenceront qu'après leur "
            "formation avec la MSA.</p>"
        ),
        "carriers": [
            {
                "name": "Odile F.",
                "role": (
                    "infirmière à la retraite, tirée au sort, future référente de l'équipe de "
                    "bénévoles"
                ),
                "kind": "person",
            },
            {
                "name": "Bernard T.",
                "role": "adjoint au maire, vice-président du CCAS",
                "kind": "person",
            },
            {
                "name": "CCAS de Saint-Aubin-les-Vignes",
                "role": "repérage confidentiel, assurance des bénévoles, circuit d'alerte",
                "kind": "partner",
            },
            {
                "name": "ADMR du canton",
                "role": "présentera les bénévoles aux personnes qu'elle accompagne",
                "kind": "partner",
            },
            {
                "name": "MSA Bourgogne",
                "role": "formation des bénévoles à l'écoute et au repérage des fragilités",
                "kind": "partner",
            },
        ],
        "planned_budget": 2400,
        "actual_budget": None,
        "milestones": [("idea", 115), ("diagnostic", 100), ("coconstruction", 45)],
        "updates": [
            {
                "days_ago": 6,
                "title": "Neuf bénévoles et une date de formation",
                "text": (
                    "<p>Neuf habitants, dont deux de moins de 30 ans, se sont proposés. La MSA "
                    "animera une demi-journée de formation dans la salle du conseil. Le CCAS a "
                    "accepté de prendre en charge l'assurance des bénévoles et le "
                    "remboursement de leurs frais kilométriques.</p>"
                ),
            },
            {
                "days_ago": 20,
                "title": "Rencontre avec l'équipe de Montferrand-le-Bois",
                "text": (
                    "<p>Odile F. et Bernard T. ont passé une soirée avec les bénévoles de "
                    "Montferrand-le-Bois. Leurs deux conseils : pas plus de trois personnes "
                    "visitées par bénévole, et une réunion d'équipe tous les deux mois pour ne "
                    "pas rester seul avec ce qu'on voit.</p>"
                ),
            },
        ],
        "results": "",
    },
    {
        "commune": "71903",
        "template": "visites-solidaires-aines",
        "slug": "visites-hameaux-granges-et-mont",
        "title": "Visites solidaires aux aînés des Granges et du Mont",
        "category": "visites-solidaires-aines",
        "status": "action",
        "place": "Hameaux des Granges et du Mont",
        "summary": (
            "Onze bénévoles rendent visite chaque semaine aux personnes âgées isolées des "
            "hameaux des Granges et du Mont, avec un circuit d'alerte vers le CCAS et l'ADMR."
        ),
        "need": (
            "Les hameaux des Granges et du Mont sont à 6 et 8 km du bourg, sans commerce ni "
            "transport. Le diagnostic y a recensé, avec l'ADMR et le CCAS, une quinzaine de "
            "personnes de plus de 80 ans vivant seules, dont plusieurs ne sortent plus de chez "
            "elles l'hiver."
        ),
        "body": (
            "<p>Le micro-parlement de Montferrand-le-Bois a choisi de commencer petit : deux "
            "hameaux, une quinzaine de personnes, une équipe formée avant la première "
            "visite.</p><p>Comment ça marche :</p><ul><li>chaque bénévole rend visite à "
            "<b>deux ou trois personnes au plus</b>, une heure par semaine, à un moment choisi "
            "avec elles ;</li><li>le premier contact passe par l'aide à domicile de l'ADMR ou "
            "par le maire, jamais par un inconnu ;</li><li>en cas d'inquiétude, le bénévole "
            "appelle la référente de l'équipe, qui prévient le CCAS ou la famille ;</li>"
            "<li>les bénévoles ne font ni soins, ni courses avec l'argent des personnes "
            "visitées.</li></ul><p>Une réunion d'équipe a lieu tous les deux mois à la mairie. "
            "Un premier goûter commun aux deux hameaux est prévu dans la salle des Granges, "
            "avec un covoiturage organisé par les bénévoles.</p>"
        ),
        "carriers": [
            {
                "name": "Josiane M.",
                "role": "habitante des Granges tirée au sort, référente de l'équipe de bénévoles",
                "kind": "person",
            },
            {
                "name": "Alain D.",
                "role": "conseiller municipal, coordinateur du micro-parlement",
                "kind": "person",
            },
            {
                "name": "CCAS de Montferrand-le-Bois",
                "role": "repérage, assurance des bénévoles, remboursement des frais kilométriques",
                "kind": "partner",
            },
            {
                "name": "ADMR du canton",
                "role": "présente les bénévoles aux personnes accompagnées et relaie les alertes",
                "kind": "partner",
            },
            {
                "name": "MSA Bourgogne",
                "role": "a formé les bénévoles à l'écoute et au repérage des fragilités",
                "kind": "partner",
            },
        ],
        "planned_budget": 3000,
        "actual_budget": 1650,
        "milestones": [("idea", 105), ("diagnostic", 95), ("coconstruction", 68), ("action", 42)],
        "updates": [
            {
                "days_ago": 3,
                "title": "Bilan présenté au conseil municipal",
                "text": (
                    "<p>En six semaines : 14 personnes visitées, 68 visites, deux situations "
                    "signalées au CCAS (une chute sans gravité, un chauffage en panne en plein "
                    "froid). Le conseil municipal a voté la poursuite des visites et le "
                    "remboursement des frais kilométriques des bénévoles.</p>"
                ),
            },
            {
                "days_ago": 25,
                "title": "Onze bénévoles sur les routes des hameaux",
                "text": (
                    "<p>Les visites ont commencé dans les deux hameaux. Onze bénévoles, de 24 "
                    "à 78 ans, suivent désormais quatorze personnes. Trois personnes "
                    "sollicitées ont préféré décliner, ce qui est leur droit ; la porte reste "
                    "ouverte.</p>"
                ),
            },
            {
                "days_ago": 40,
                "title": "Formation des bénévoles avec la MSA",
                "text": (
                    "<p>Une demi-journée à la mairie pour apprendre à écouter sans s'imposer, "
                    "repérer une fragilité et savoir qui appeler. Chaque bénévole a signé la "
                    "charte de confidentialité.</p>"
                ),
            },
        ],
        "results": "",
    },
    {
        "commune": "71902",
        "template": "tiers-lieux-ruraux",
        "slug": "tiers-lieu-salle-communale",
        "title": "Un tiers-lieu dans la salle communale",
        "category": "tiers-lieux-ruraux",
        "status": "paused",
        "place": "Salle communale, rue du Pont",
        "summary": (
            "Faire de la salle communale un lieu partagé : permanence France Services, repair "
            "café et café associatif le samedi. Projet en pause le temps que le conseil "
            "municipal décide du financement de la mise aux normes."
        ),
        "need": (
            "Depuis la fermeture de l'école en 2019, le village n'a plus aucun lieu ouvert en "
            "semaine. Les habitants font 18 km pour une démarche en ligne accompagnée, et la "
            "salle communale n'ouvre qu'une dizaine de fois par an."
        ),
        "body": (
            "<p>Dès ses premières séances, le micro-parlement de La Chapelle-sur-Grosne a fait "
            "de la salle communale son sujet central. En co-construction, il a retenu trois "
            "usages de départ, chacun avec un porteur :</p><ul><li>une <b>permanence France "
            "Services</b> d'une demi-journée tous les quinze jours, que la communauté de "
            "communes est prête à assurer ;</li><li>un <b>repair café</b> mensuel animé par "
            "deux retraités bricoleurs ;</li><li>un <b>café associatif</b> le samedi matin, "
            "porté par le comité des fêtes.</li></ul><p>La visite du bâtiment avec les "
            "services techniques intercommunaux a montré que la salle, classée établissement "
            "recevant du public, n'est pas accessible aux personnes à mobilité réduite (marche "
            "à l'entrée, sanitaires non adaptés) et que le tableau électrique est à refaire. "
            "Les travaux sont estimés entre 35 000 et 45 000 €, bien au-delà du budget d'un "
            "cycle.</p><p><b>Le projet est en pause</b> jusqu'à la décision du conseil "
            "municipal sur une demande de DETR. En attendant, le groupe étudie une ouverture à "
            "l'essai du repair café sous le préau de l'ancienne école, qui ne demande aucun "
            "travaux.</p>"
        ),
        "carriers": [
            {
                "name": "Sylvie G.",
                "role": "habitante tirée au sort parmi les volontaires, garante du micro-parlement",
                "kind": "person",
            },
            {
                "name": "Michel L.",
                "role": "retraité, futur animateur du repair café",
                "kind": "person",
            },
            {
                "name": "Comité des fêtes de La Chapelle-sur-Grosne",
                "role": "porterait le café associatif du samedi matin",
                "kind": "partner",
            },
            {
                "name": "Communauté de communes des Vallons de la Grosne",
                "role": "visite technique du bâtiment et future permanence France Services",
                "kind": "partner",
            },
        ],
        "planned_budget": 14500,
        "actual_budget": None,
        "milestones": [("idea", 42), ("diagnostic", 36), ("coconstruction", 22), ("paused", 9)],
        "updates": [
            {
                "days_ago": 9,
                "title": "Le projet fait une pause",
                "text": (
                    "<p>Le chiffrage de la mise aux normes (35 000 à 45 000 €) dépasse "
                    "largement le budget prévu. Le conseil municipal examinera une demande de "
                    "DETR lors de sa prochaine séance ; le micro-parlement reprendra le projet "
                    "dès que la décision sera connue.</p>"
                ),
            },
            {
                "days_ago": 20,
                "title": "Trois usages retenus pour la salle",
                "text": (
                    "<p>Permanence France Services, repair café, café associatif : le groupe a "
                    "écarté pour l'instant le coworking, faute d'une connexion internet "
                    "suffisante dans le bourg.</p>"
                ),
            },
        ],
        "results": "",
    },
    {
        "commune": "71902",
        "template": None,
        "slug": "atelier-velo-du-preau",
        "title": "Atelier vélo sous le préau de l'ancienne école",
        "category": "echanges-de-services",
        "status": "idea",
        "place": "Préau de l'ancienne école",
        "summary": (
            "Deux habitants proposent de réparer, deux samedis matin par mois, les vélos des "
            "enfants avant l'été, et d'apprendre aux jeunes à entretenir eux-mêmes leur vélo."
        ),
        "need": (
            "Beaucoup de vélos dorment dans les granges faute d'une chambre à air ou d'un "
            "réglage de freins, et le premier vélociste est à 20 km. Pour les collégiens, le "
            "vélo est le seul moyen de rejoindre leurs copains des hameaux sans dépendre des "
            "parents."
        ),
        "body": (
            "<p>L'idée est née en marge d'une séance du micro-parlement : Thierry V., ancien "
            "mécanicien agricole, et Léa C., bénévole dans un atelier vélo associatif en "
            "ville, proposent d'ouvrir un <b>atelier vélo</b> deux samedis matin par mois sous "
            "le préau de l'ancienne école, d'avril à juin.</p><p>Le principe : on ne répare "
            "pas à la place des gens, on répare avec eux. Les enfants viennent avec un parent "
            "et apprennent à changer une chambre à air, régler des freins, graisser une "
            "chaîne. Les vélos donnés par les habitants seront remis en état pour ceux qui "
            "n'en ont pas.</p><p>Restent à régler avant de lancer : l'assurance (le comité des "
            "fêtes pourrait porter l'atelier), un placard fermé pour ranger les outils et un "
            "premier stock de pièces.</p>"
        ),
        "carriers": [
            {
                "name": "Thierry V.",
                "role": "ancien mécanicien agricole, porteur de l'idée",
                "kind": "person",
            },
            {
                "name": "Léa C.",
                "role": "habitante, bénévole dans un atelier vélo associatif",
                "kind": "person",
            },
            {
                "name": "Mairie de La Chapelle-sur-Grosne",
                "role": "prêterait le préau et un placard fermé de l'ancienne école",
                "kind": "partner",
            },
        ],
        "planned_budget": 650,
        "actual_budget": None,
        "milestones": [("idea", 8)],
        "updates": [
            {
                "days_ago": 3,
                "title": "Appel aux vélos oubliés",
                "text": (
                    "<p>Avant même le lancement, six vélos d'enfants ont été déposés à la "
                    "mairie. Thierry V. dresse la liste des pièces à commander : chambres à "
                    "air, patins de frein, câbles, pour environ 250 €.</p>"
                ),
            },
        ],
        "results": "",
    },
    {
        "commune": "71904",
        "template": "ateliers-jeunes-metiers",
        "slug": "ateliers-metiers-des-vacances",
        "title": "Ateliers métiers des vacances",
        "category": "ateliers-jeunes-metiers",
        "status": "completed",
        "place": "Menuiserie du bourg, ferme maraîchère des Teppes et garage de la Croix",
        "summary": (
            "Pendant les vacances d'été et de la Toussaint, un menuisier, une maraîchère et un "
            "mécanicien du village ont accueilli des jeunes de 14 à 18 ans pour des "
            "demi-journées de découverte et un petit chantier concret."
        ),
        "need": (
            "Les jeunes de Vaux-en-Bresse partent au lycée à 35 km et connaissent mal les "
            "métiers exercés au village. Les artisans, eux, cherchent des apprentis, et l'un "
            "d'eux un repreneur d'ici quelques années."
        ),
        "body": (
            "<p>Le micro-parlement, où siégeaient deux lycéens tirés au sort parmi les "
            "volontaires, s'est posé une question simple : comment donner aux jeunes l'envie "
            "et les moyens de rester au pays ? Première réponse concrète : leur ouvrir les "
            "ateliers du village.</p><p>Trois professionnels ont accueilli des groupes de "
            "quatre à six jeunes, par demi-journée :</p><ul><li>à la <b>menuiserie</b>, "
            "fabrication d'un nichoir puis d'un tabouret ;</li><li>chez la <b>maraîchère</b>, "
            "repiquage, récolte et préparation des paniers ;</li><li>au <b>garage</b>, "
            "vidange, changement de roue et lecture d'un diagnostic électronique.</li>"
            "</ul><p>Le transport depuis les hameaux était le point dur : le centre social a "
            "prêté son minibus les matins d'atelier. Une soirée de restitution à la salle des "
            "fêtes a réuni les jeunes, leurs parents et les artisans.</p>"
        ),
        "carriers": [
            {
                "name": "Nathan P.",
                "role": "lycéen tiré au sort, co-référent du projet",
                "kind": "person",
            },
            {
                "name": "Claire D.",
                "role": "maraîchère, a accueilli quatre groupes",
                "kind": "person",
            },
            {
                "name": "Hervé L.",
                "role": "menuisier, a accueilli cinq groupes et proposé deux stages de troisième",
                "kind": "person",
            },
            {
                "name": "Centre social intercommunal",
                "role": "prêt du minibus et présence d'un animateur jeunesse aux ateliers",
                "kind": "partner",
            },
            {
                "name": "Chambre de métiers et de l'artisanat",
                "role": "conseils sur l'accueil des mineurs et l'apprentissage",
                "kind": "partner",
            },
        ],
        "planned_budget": 3200,
        "actual_budget": 2870,
        "milestones": [
            ("idea", 240),
            ("diagnostic", 215),
            ("coconstruction", 185),
            ("action", 160),
            ("completed", 30),
        ],
        "updates": [
            {
                "days_ago": 30,
                "title": "Bilan : 17 jeunes, 14 ateliers, 2 stages",
                "text": (
                    "<p>La soirée de restitution a réuni une soixantaine de personnes. Les "
                    "jeunes ont présenté leurs nichoirs, leurs photos de chantier et ce qu'ils "
                    "retiennent. L'association des parents d'élèves reprend l'organisation des "
                    "prochaines sessions.</p>"
                ),
            },
            {
                "days_ago": 42,
                "title": "Deuxième session pendant les vacances de la Toussaint",
                "text": (
                    "<p>Neuf jeunes inscrits, dont quatre venus des hameaux grâce au minibus "
                    "du centre social. Le garage accueille cette fois deux groupes.</p>"
                ),
            },
            {
                "days_ago": 150,
                "title": "Première session cet été",
                "text": (
                    "<p>Douze jeunes ont participé aux ateliers d'été. Un atelier chez la "
                    "maraîchère a dû être décalé d'une semaine à cause de la récolte : leçon "
                    "retenue pour le calendrier suivant.</p>"
                ),
            },
        ],
        "results": (
            "<ul><li><b>17 jeunes</b> de 14 à 18 ans accueillis (12 l'été, 9 à la Toussaint, "
            "dont 4 venus aux deux sessions), dont 7 filles ;</li><li><b>14 demi-journées</b> "
            "d'ateliers chez 3 professionnels du village ;</li><li><b>2 stages de "
            "troisième</b> proposés à la menuiserie et <b>1 contrat d'apprentissage</b> en "
            "discussion au garage ;</li><li>dépense réelle : <b>2 870 €</b> pour 3 200 € "
            "prévus (carburant du minibus, assurance, petit matériel et bois, repas de "
            "restitution).</li></ul><p>Le micro-parlement passe la main à l'association des "
            "parents d'élèves, qui prévoit une session par an.</p>"
        ),
    },
    {
        "commune": "71905",
        "template": "cantines-locales",
        "slug": "cantine-des-fermes-voisines",
        "title": "La cantine aux produits des fermes voisines",
        "category": "cantines-locales",
        "status": "completed",
        "place": "Cantine de l'école, chemin des Écoliers",
        "summary": (
            "Avec trois fermes et une boulangerie, la cantine de l'école sert désormais 60 % "
            "de produits locaux, grâce à un calendrier d'approvisionnement construit avec la "
            "cuisinière et les producteurs."
        ),
        "need": (
            "La cantine servait 70 repas par jour avec 15 % de produits locaux, alors que "
            "trois exploitations de la commune vendaient leur production à plus de 50 km. Les "
            "parents demandaient plus de produits frais ; la cuisinière manquait de temps pour "
            "travailler des produits bruts."
        ),
        "body": (
            "<p>La commune a la chance d'avoir une cuisine sur place. Le micro-parlement a "
            "travaillé avec la cuisinière, Sandrine M., dès la première séance : c'est elle "
            "qui a fixé ce qui était possible avec une seule personne en cuisine et 70 "
            "couverts.</p><p>Le calendrier d'approvisionnement construit avec les producteurs "
            ":</p><ul><li><b>pain</b> chaque jour, par la boulangerie du bourg ;</li>"
            "<li><b>bœuf et veau</b> une semaine sur deux, planifiés six mois à l'avance avec "
            "le Gaec des Crêts ;</li><li><b>légumes et pommes</b> chaque semaine d'octobre à "
            "juin, par la ferme maraîchère des Fougères ;</li><li><b>yaourts et fromage "
            "blanc</b> chaque semaine, par la ferme des Chaumes.</li></ul><p>Les achats "
            "restant sous les seuils de la commande publique, la mairie a comparé plusieurs "
            "devis par famille de produits et signé des bons de commande annuels. Le projet a "
            "financé une éplucheuse à légumes et deux heures de cuisine supplémentaires par "
            "semaine pendant la première année.</p>"
        ),
        "carriers": [
            {
                "name": "Sandrine M.",
                "role": "cuisinière de la cantine, a construit les menus de saison",
                "kind": "person",
            },
            {
                "name": "Pascal R.",
                "role": "éleveur, membre du micro-parlement au titre des acteurs locaux",
                "kind": "person",
            },
            {
                "name": "Mairie des Essarts-du-Mont",
                "role": "gestionnaire de la cantine et acheteur public",
                "kind": "partner",
            },
            {
                "name": "Chambre d'agriculture de Saône-et-Loire",
                "role": "mise en relation avec les producteurs et calcul des volumes",
                "kind": "partner",
            },
            {
                "name": "Association des parents d'élèves",
                "role": "pesée des restes et information des familles",
                "kind": "partner",
            },
        ],
        "planned_budget": 9500,
        "actual_budget": 8700,
        "milestones": [
            ("idea", 230),
            ("diagnostic", 205),
            ("coconstruction", 170),
            ("action", 120),
            ("completed", 55),
        ],
        "updates": [
            {
                "days_ago": 55,
                "title": "Objectif atteint : 60 % de produits locaux",
                "text": (
                    "<p>Après deux mois de montée en charge, la part de produits locaux "
                    "atteint 60 % des achats de denrées. Les producteurs ont déjeuné avec les "
                    "enfants le jour du bilan.</p>"
                ),
            },
            {
                "days_ago": 100,
                "title": "Premiers repas avec les produits des fermes voisines",
                "text": (
                    "<p>Pain, pommes et viande bovine ouvrent la marche dès la rentrée. Les "
                    "légumes suivront fin septembre, une fois l'éplucheuse installée.</p>"
                ),
            },
            {
                "days_ago": 140,
                "title": "Le calendrier d'approvisionnement est prêt",
                "text": (
                    "<p>Trois fermes et la boulangerie du bourg ont validé le calendrier de "
                    "l'année scolaire avec la cuisinière. Les bons de commande seront signés "
                    "en conseil municipal.</p>"
                ),
            },
        ],
        "results": (
            "<ul><li><b>60 %</b> des achats de denrées en produits locaux (moins de 30 km), "
            "contre 15 % au départ, dont 24 % en bio ;</li><li><b>4 fournisseurs</b> du "
            "territoire : trois fermes et une boulangerie ;</li><li>coût des denrées passé de "
            "<b>2,10 € à 2,45 €</b> par repas, en partie compensé par la baisse du gaspillage, "
            "de <b>110 à 72 g</b> de restes par enfant et par repas ;</li><li>prix du repas "
            "inchangé pour les familles : la commune prend en charge la différence, environ "
            "3 500 € par an ;</li><li>dépense du projet : <b>8 700 €</b> pour 9 500 € prévus "
            "(éplucheuse 3 200 €, heures de cuisine supplémentaires 3 100 €, facilitation et "
            "séances 1 400 €, visites de fermes et communication 1 000 €).</li></ul>"
        ),
    },
]
