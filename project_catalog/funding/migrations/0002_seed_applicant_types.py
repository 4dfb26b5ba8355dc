"""Who may apply, in the words of the programmes' own descriptions."""

from django.db import migrations

APPLICANT_TYPES = [
    ("communes", "Communes"),
    ("intercommunalites", "Intercommunalités"),
    ("associations", "Associations"),
    ("collectifs-habitants", "Collectifs d'habitants"),
    ("jeunes", "Jeunes"),
    ("entreprises-ess", "Entreprises et structures de l'ESS"),
    ("agriculteurs", "Agriculteurs"),
]


def seed(apps, schema_editor):
    ApplicantType = apps.get_model("funding", "ApplicantType")
    for order, (slug, name) in enumerate(APPLICANT_TYPES, start=1):
        ApplicantType.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order * 10}
        )


def unseed(apps, schema_editor):
    ApplicantType = apps.get_model("funding", "ApplicantType")
    ApplicantType.objects.filter(slug__in=[slug for slug, _name in APPLICANT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
