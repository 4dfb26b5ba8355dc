"""The ten families of projects of the MPRC guide (March 2026)."""

from django.db import migrations

CATEGORIES = [
    ("covoiturage-local", "Covoiturage local",
     "Mise en réseau des trajets quotidiens entre habitants pour réduire l'isolement et les coûts."),
    ("marche-producteurs-tournant", "Marché de producteurs tournant",
     "Circuit itinérant entre communes pour valoriser les productions locales et renforcer les liens."),
    ("visites-solidaires-aines", "Visites solidaires aux aînés",
     "Organisation bénévole de visites régulières aux personnes âgées isolées du territoire."),
    ("jardins-partages", "Jardins partagés",
     "Espaces de culture collective favorisant le lien social et la souveraineté alimentaire."),
    ("ateliers-jeunes-metiers", "Ateliers jeunes et métiers",
     "Découverte des savoir-faire locaux et chantiers participatifs pour les jeunes."),
    ("tiers-lieux-ruraux", "Tiers-lieux ruraux",
     "Espaces partagés multifonctionnels (coworking, FabLab) accessibles à tous."),
    ("echanges-de-services", "Échanges de services",
     "Entraide entre habitants : jardinage, garde, bricolage, transport…"),
    ("festivals-evenements", "Festivals et événements culturels",
     "Manifestations fédératrices qui renforcent l'identité du territoire."),
    ("plateformes-coordination", "Plateformes locales de coordination",
     "Outils numériques simples pour centraliser les initiatives et synchroniser les acteurs."),
    ("cantines-locales", "Cantines locales approvisionnées",
     "Restauration collective valorisant les produits du territoire et ses producteurs."),
]


def seed(apps, schema_editor):
    ProjectCategory = apps.get_model("project_catalog", "ProjectCategory")
    for order, (slug, name, description) in enumerate(CATEGORIES, start=1):
        ProjectCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )


def unseed(apps, schema_editor):
    ProjectCategory = apps.get_model("project_catalog", "ProjectCategory")
    ProjectCategory.objects.filter(slug__in=[slug for slug, _n, _d in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("project_catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
