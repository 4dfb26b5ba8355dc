"""The demo network's micro-parliaments: their pages, meetings, members and draws (loaded by
:mod:`parliament.demo`)."""

# The micro-parliaments of the demo network (see demo.py) ---------------------

SEASONS = {12: "hiver", 1: "hiver", 2: "hiver", 3: "printemps", 4: "printemps", 5: "printemps"}
SEASONS |= {6: "été", 7: "été", 8: "été", 9: "automne", 10: "automne", 11: "automne"}

# What every micro-parliament page of the demo explains before its members and meetings
# (its body, as (block type, value) pairs of home's load_demo): who sits in it, the cycle of
# three months, frequent questions. ``{who}`` says who sits in it; ``{where}`` where it
# meets.
HOW_IT_WORKS = [
    ("heading", {"text": "Qui en fait partie ?", "level": "h2"}),
    (
        "paragraph",
        "<p>Le micro-parlement réunit de 12 à 15 personnes : {who}. Un trio de garants — le "
        "coordinateur et deux habitants — veille à son bon fonctionnement.</p>",
    ),
    ("heading", {"text": "Comment ça marche ?", "level": "h2"}),
    (
        "paragraph",
        "<p>Un cycle dure trois mois, en trois temps :</p>"
        "<ol><li><b>Diagnostic</b> : identifier ensemble les enjeux prioritaires à partir du "
        "vécu des habitants.</li><li><b>Co-construction</b> : élaborer des solutions "
        "simples, réalistes et activables.</li><li><b>Action</b> : mettre en œuvre "
        "concrètement et apprendre en faisant.</li></ol>"
        "<p>Les séances ont lieu le soir, {where}, environ toutes les deux semaines. Leur "
        "ordre du jour et leurs comptes rendus sont publiés plus bas sur cette page.</p>",
    ),
    (
        "faq",
        {
            "heading": "Vos questions",
            "items": [
                (
                    "Faut-il être inscrit sur les listes électorales ?",
                    "<p>Non. Toute personne qui habite la commune peut s'inscrire comme "
                    "volontaire ; la liste électorale sert à compléter le tirage pour aller "
                    "chercher celles et ceux qui ne se manifestent pas.</p>",
                ),
                (
                    "Pourquoi le tirage au sort ?",
                    "<p>Pour que le groupe ressemble au territoire et ne réunisse pas "
                    "toujours les mêmes personnes. Le tirage est public et vérifiable : "
                    "chacun peut le vérifier à partir du fichier publié.</p>",
                ),
                (
                    "Combien de temps cela demande-t-il ?",
                    "<p>Six à huit soirées de deux heures sur trois mois, plus le temps que "
                    "chacun veut donner aux projets.</p>",
                ),
            ],
        },
    ),
]
WHO = (
    "des habitants tirés au sort parmi les volontaires et sur la liste électorale, deux élus "
    "du conseil municipal et des acteurs locaux"
)
WHO_SHARED = (
    "des habitants tirés au sort dans chaque commune, parmi les volontaires et sur la liste "
    "électorale, un élu de chaque conseil municipal et des acteurs locaux"
)

# The minutes of the first meeting of the commune's micro-parliament, as a PDF too (the
# accessibility statement of the demo network admits that such PDFs are not tagged).
MINUTES_LINES = [
    "Micro-parlement de {commune}",
    "Présents : 12 membres sur 13 et la facilitatrice.",
    "1. Présentation du cycle : diagnostic, co-construction, action.",
    "2. Tour de table : ce qui manque au quotidien dans la commune.",
    "3. Premiers sujets : trajets vers la vallée, aînés seuls, place du village.",
    "Prochaine séance dans deux semaines, mairie, salle du conseil, 18 h 30.",
]

# The micro-parliament page of a demo commune that has none yet (neither its own nor a
# shared one): it explains, and the first cycle is being prepared.
UPCOMING_PARLIAMENT = {
    "title": "Le micro-parlement",
    "slug": "micro-parlement",
    "where": "à la mairie",
    "intro": (
        "<p>Le premier micro-parlement de {commune} se prépare : les habitants qui le "
        "souhaitent peuvent s'inscrire dès maintenant sur la liste des volontaires, avant le "
        "tirage au sort.</p>"
    ),
}
# The slug of the separate page «Le micro-parlement» (a StandardPage) of the demo's
# communes before it became the micro-parliament's own page: a commune that still has it
# gets no second page explaining the same thing.
FORMER_EXPLANATION_SLUG = "le-micro-parlement"

# The first commune with volunteers and an electoral roll: its own micro-parliament, in the
# co-construction phase of its second cycle (the first one ran in the spring).
PARLIAMENT = {
    "title": "Le micro-parlement",
    "slug": "micro-parlement",
    "where": "à la salle des fêtes ou à la mairie",
    "cycle": "Cycle 2",
    "intro": (
        "<p>Des habitants tirés au sort, deux élus du conseil municipal et deux acteurs "
        "locaux de {commune} se retrouvent le soir, toutes les deux semaines, pendant trois "
        "mois, pour transformer les besoins du village en projets concrets.</p>"
    ),
    "mandate": (
        "<p>Le conseil municipal a confié au micro-parlement une question : <b>comment mieux "
        "vivre ensemble au village sans dépendre de la voiture ni rester seul chez soi ?</b></p>"
        "<p>Le micro-parlement choisit ses priorités et propose des projets. Le conseil "
        "municipal s'est engagé à examiner chaque proposition en séance publique et à motiver "
        "sa réponse. Une enveloppe de 6 000 € est réservée au budget pour les projets du "
        "cycle.</p>"
    ),
    # (phase, first day and last day counted from today, what happens)
    "phases": [
        (
            "diagnostic",
            -56,
            -29,
            "Tour des hameaux, questionnaire chez les commerçants et à la sortie de l'école : "
            "ce qui manque au quotidien, vu par les habitants.",
        ),
        (
            "co_construction",
            -28,
            13,
            "Pour chaque priorité, des solutions simples, réalistes et activables, chiffrées "
            "avec les services de la communauté de communes.",
        ),
        (
            "action",
            14,
            41,
            "Les premiers projets démarrent, portés par les membres et des habitants "
            "volontaires ; le bilan est présenté au conseil municipal.",
        ),
    ],
    # (title, days from today, weekday wanted (0 = Monday), start, end, place, agenda,
    # minutes); meetings move to the next such weekday.
    "meetings": [
        (
            "Séance d'ouverture : se connaître et partager le vécu",
            -55,
            1,
            "18:30",
            "21:00",
            "Salle des fêtes",
            "<ol><li>Accueil, présentation des membres et du cycle de trois mois.</li>"
            "<li>Les règles du groupe : écoute, parole de chacun, confidentialité.</li>"
            "<li>Tour de table : ce qui manque au quotidien dans la commune.</li></ol>",
            "<p>Présents : 12 membres sur 13 et la facilitatrice.</p>"
            "<p>Après la présentation du cycle (diagnostic, co-construction, action), chacun "
            "a raconté une journée ordinaire au village. Trois sujets reviennent souvent : "
            "les trajets vers la vallée pour le travail et les courses, les aînés seuls dans "
            "les hameaux, la place du village vide en semaine.</p>"
            "<p>Chaque membre interrogera cinq voisins d'ici la prochaine séance, avec le "
            "questionnaire préparé ensemble.</p>",
        ),
        (
            "Séance 4 : choisir les priorités",
            -24,
            3,
            "18:30",
            "20:30",
            "Mairie, salle du conseil",
            "<ol><li>Retour des questionnaires (62 réponses).</li>"
            "<li>Choix de trois priorités.</li><li>Groupes de travail.</li></ol>",
            "<p>Les 62 réponses au questionnaire confirment le diagnostic. Le groupe retient "
            "trois priorités : se déplacer sans voiture, rompre l'isolement des aînés, faire "
            "vivre la place du village.</p>"
            "<p>Trois groupes de travail sont formés ; chacun présentera une première "
            "proposition chiffrée. La maire adjointe rappelle l'enveloppe de 6 000 € votée "
            "par le conseil municipal.</p>",
        ),
        (
            "Séance 7 : le covoiturage, point de rendez-vous et charte",
            2,
            3,
            "18:30",
            "20:30",
            "Mairie, salle du conseil",
            "<ol><li>Le point de rendez-vous devant la mairie : panneau, abri, éclairage.</li>"
            "<li>La charte du covoiturage : participation aux frais, ponctualité.</li>"
            "<li>La mise en relation : groupe de messagerie et cahier à la mairie pour celles "
            "et ceux qui n'ont pas de téléphone.</li></ol>",
            "",
        ),
        (
            "Séance 8 : les visites aux aînés, avec le CCAS",
            9,
            3,
            "18:30",
            "20:30",
            "Salle des fêtes",
            "<ol><li>Avec la vice-présidente du CCAS : repérer les personnes isolées, avec "
            "discrétion.</li><li>Former les binômes de bénévoles.</li>"
            "<li>Que faire en cas d'inquiétude ?</li></ol>",
            "",
        ),
        (
            "Réunion publique : les propositions du micro-parlement",
            16,
            5,
            "18:30",
            "20:30",
            "Salle des fêtes",
            "<p>Les membres présentent leurs propositions à tous les habitants, puis "
            "répondent aux questions. Un verre de l'amitié suivra.</p>",
            "",
        ),
    ],
    # (title, description, word in the slug of the commune's project it became)
    "priorities": [
        (
            "Se déplacer sans voiture",
            "Beaucoup d'habitants des hameaux descendent chaque jour vers la vallée, seuls "
            "dans leur voiture ; d'autres, sans permis, dépendent de leurs voisins. Un "
            "covoiturage local, avec un point de rendez-vous devant la mairie.",
            "covoiturage",
        ),
        (
            "Rompre l'isolement des aînés",
            "Une dizaine de personnes âgées vivent seules dans les hameaux. Des visites "
            "régulières par des binômes de bénévoles, en lien avec le CCAS.",
            "visites",
        ),
        (
            "Faire vivre la place du village",
            "Accueillir un vendredi par mois le marché de producteurs qui tourne entre les "
            "communes, et installer des bancs à l'ombre des tilleuls.",
            "",
        ),
    ],
    # (role, gender, organisation or mandate): shown by name, with their agreement.
    "members": [
        ("elected", "female", "Maire adjointe chargée de la vie locale"),
        ("elected", "male", "Conseiller municipal"),
        ("local_actor", "female", "Présidente de l'association Familles Rurales"),
        ("local_actor", "male", "Viticulteur, cave coopérative des Coteaux"),
        ("facilitator", "female", "Facilitatrice, coopérative d'animation Le Fil des Vallons"),
        ("guarantor", "male", "Garant de la démarche, ancien secrétaire de mairie"),
    ],
}

# The draw of the residents of that micro-parliament, a few days before the cycle began.
DRAW = {
    "title": "Tirage au sort des habitants — {cycle}",
    "panel_size": 8,
    "seats": {"volunteer_list": 5, "electoral_roll": 3},
    "categories": ["gender", "age_band", "hamlet"],
    # The volunteer list has few men: without a cap, LEXIMIN must pick one of them in
    # almost every panel; the cap keeps everyone's chance at most around one in two.
    "cap_highest": True,
    "randomness_source": "Le tirage du Loto du {day} (FDJ)",
    "randomness": "4 18 27 33 41 / 7",
}

# A micro-parliament shared by three communes, under the network home: its first cycle
# starts in a few weeks, once each commune has drawn its residents.
SHARED_PARLIAMENT = {
    "title": "Micro-parlement intercommunal des Vallons",
    "slug": "micro-parlement-intercommunal",
    "where": "dans la salle des fêtes de l'une des communes, à tour de rôle",
    "cycle": "Cycle 1",
    "communes": ["71903", "71904", "71905"],
    "intro": (
        "<p>{communes} partagent un micro-parlement : chaque commune tire au sort ses "
        "habitants, et le groupe travaille sur ce qui se joue entre les villages.</p>"
    ),
    "mandate": (
        "<p>Les trois conseils municipaux lui demandent de proposer le calendrier d'un "
        "<b>marché de producteurs tournant</b> entre les communes et d'imaginer une <b>fête "
        "intercommunale</b> préparée avec des produits locaux. Un budget commun de 8 000 € "
        "est prévu ; chaque conseil municipal répondra aux propositions en séance "
        "publique.</p>"
    ),
    "phases": [
        (
            "diagnostic",
            21,
            48,
            "Rencontrer les producteurs, les comités des fêtes et les habitants des trois "
            "communes : qui vend quoi, où, et qui viendrait au marché.",
        ),
        (
            "co_construction",
            49,
            83,
            "Un calendrier du marché et un programme de la fête, chiffrés, avec les "
            "autorisations à demander.",
        ),
        (
            "action",
            84,
            111,
            "Le premier marché tournant et la préparation de la fête.",
        ),
    ],
    "meetings": [
        (
            "Séance d'ouverture",
            23,
            1,
            "18:30",
            "21:00",
            "Salle des fêtes de {commune}",
            "<ol><li>Accueil des membres tirés au sort dans les trois communes.</li>"
            "<li>Le mandat des conseils municipaux et le calendrier du cycle.</li>"
            "<li>Organiser le covoiturage entre les villages pour les séances.</li></ol>",
            "",
        ),
    ],
}

# The draw the first commune of the shared micro-parliament is preparing.
DRAFT_DRAW = {
    "commune": "71903",
    "title": "Tirage au sort des habitants de {commune} — {cycle}",
    "panel_size": 5,
    "seats": {"volunteer_list": 3, "electoral_roll": 2},
    "categories": ["gender", "age_band", "hamlet"],
}
