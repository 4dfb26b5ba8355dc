"""Demo content of the project catalogue: projects of the demo communes, adopted from the
network library's templates (the starter content, ``starter/modeles-de-projets.csv``), and
where the demo says each template was first done."""

# The demo communes where some templates were first done (the starter file leaves it to
# the network: these communes are invented).
TEMPLATE_ORIGINS = {
    "covoiturage-local": "Saint-Aubin-les-Vignes (micro-parlement de 2026)",
    "visites-solidaires-aines": (
        "Montferrand-le-Bois (micro-parlement de 2026, hameaux des Granges et du Mont)"
    ),
    "jardins-partages": "Les Essarts-du-Mont (jardin derrière la mairie, 2026)",
    "ateliers-jeunes-metiers": "Vaux-en-Bresse (micro-parlement de 2026)",
    "cantines-locales": "Les Essarts-du-Mont (cantine scolaire, 2026)",
}


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
