"""The kinds of help neighbours exchange most (the MPRC guide's “échanges de services”)."""

from django.db import migrations

CATEGORIES = [
    ("jardinage", "Jardinage"),
    ("garde-enfants", "Garde d'enfants"),
    ("bricolage", "Bricolage et petits travaux"),
    ("transport", "Transport et covoiturage"),
    ("courses", "Courses et commissions"),
    ("aide-informatique", "Aide informatique et démarches"),
    ("visites-compagnie", "Visites et compagnie"),
    ("pret-materiel", "Prêt de matériel"),
    ("cuisine-repas", "Cuisine et repas"),
    ("animaux", "Animaux"),
    ("autre", "Autre"),
]


def seed(apps, schema_editor):
    ServiceCategory = apps.get_model("exchange", "ServiceCategory")
    for order, (slug, name) in enumerate(CATEGORIES, start=1):
        ServiceCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order * 10}
        )


def unseed(apps, schema_editor):
    ServiceCategory = apps.get_model("exchange", "ServiceCategory")
    ServiceCategory.objects.filter(slug__in=[slug for slug, _name in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
