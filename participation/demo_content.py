"""What the demo network's volunteer lists hold, commune by commune (see demo.py).

People are made up (Faker, French names, a fixed seed per commune); these are the counts
and the local colour around them.
"""

# By INSEE code of home.demo_content.COMMUNES: people are multiplied by ``--scale``.
# ``volunteers``: confirmed sign-ups; ``pending``: sign-ups awaiting their e-mail
# confirmation (plus one by phone, waiting for the town hall); ``roll``: people in the
# extract of the electoral roll; ``cycle_months``: when the current cycle ends.
COMMUNES = {
    "71901": {"volunteers": 14, "pending": 2, "roll": 72, "cycle_months": 4},
    "71902": {"volunteers": 10, "pending": 1, "roll": 55, "cycle_months": 3},
    "71903": {"volunteers": 15, "pending": 2, "roll": 80, "cycle_months": 5},
    "71904": {"volunteers": 8, "pending": 1, "roll": 40, "cycle_months": 2},
    # The last commune has just switched the module on: nobody has signed up yet.
    "71905": {"volunteers": 0, "pending": 0, "roll": 0, "cycle_months": 4},
}
# Communes added by ``--scale`` (benchmarks).
DEFAULT = {"volunteers": 10, "pending": 1, "roll": 50, "cycle_months": 3}

# How many volunteers of a commune are also in its extract of the electoral roll.
ON_BOTH_LISTS = 3

# Streets of the main village; the hamlets get a road and a lane named after them.
BOURG = "Le Bourg"
BOURG_STREETS = [
    "Grande Rue",
    "rue de l'Église",
    "place de la Mairie",
    "chemin du Lavoir",
    "rue du Four",
    "impasse des Tilleuls",
    "route de Cluny",
    "rue des Écoles",
]

# Household sizes on the electoral roll (adults only), with their weights.
HOUSEHOLD_SIZES = [(1, 35), (2, 42), (3, 15), (4, 8)]

# INSEE PCS groups (first level) of working people in a rural canton, with weights;
# retired people and students are decided from the age.
WORKING_CATEGORIES = [
    ("1", 8),  # farmers
    ("2", 9),  # craftspeople, shopkeepers
    ("3", 6),  # managers
    ("4", 15),  # intermediate professions
    ("5", 24),  # employees
    ("6", 24),  # manual workers
    ("8", 6),  # other people without a professional activity
]

POOL_DESCRIPTION = (
    "Extrait de la liste électorale remis par le secrétariat de mairie : nom, sexe, année "
    "de naissance et adresse. La catégorie socioprofessionnelle a été complétée à la main."
)

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

# First names of Faker's French list that would sound out of place in a Burgundy village.
UNLIKELY_FIRST_NAMES = {
    "Alex",
    "Alexandria",
    "Alexandrie",
    "Arnaude",
    "Lucy",
    "Maggie",
    "Margaret",
    "Nath",
    "Olivie",
    "Susan",
    "Susanne",
    "William",
}
