"""Every site root that existed before ``LegalInformation`` (the network home, each
commune) gets its row, empty: the legal pages use their defaults until staff fill it in.
From now on, ``home.onboarding`` creates it with the commune."""

from django.db import migrations


def fill(apps, schema_editor):
    LegalInformation = apps.get_model("home", "LegalInformation")
    have = set(LegalInformation.objects.values_list("page_id", flat=True))
    for model_name in ("NetworkHomePage", "CommunePage"):
        model = apps.get_model("home", model_name)
        LegalInformation.objects.bulk_create(
            LegalInformation(page_id=pk)
            for pk in model.objects.values_list("pk", flat=True)
            if pk not in have
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_legal_information"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
