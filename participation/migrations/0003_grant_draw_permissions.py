"""The commune editors who manage the volunteer list also run draws and manage the
micro-parliament's members (new permissions given to existing groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("draw", "parliamentmember")
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("participation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="participation", codename__in=NEW_PERMISSIONS
        )
    )
    groups = Group.objects.filter(
        permissions__content_type__app_label="participation",
        permissions__codename="change_volunteer",
    ).distinct()
    for group in groups:
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_draws_and_micro_parliaments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
