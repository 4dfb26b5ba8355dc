from django.db import migrations


def create_network_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    NetworkHomePage = apps.get_model("home.NetworkHomePage")

    # Wagtail's own migrations create a "Welcome" page: the network home replaces it.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    if NetworkHomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="networkhomepage", app_label="home")
    home = NetworkHomePage.objects.create(
        title="Micro-parlements ruraux connectés",
        draft_title="Micro-parlements ruraux connectés",
        slug="accueil",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale_id=Page.objects.get(depth=1).locale_id,
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": home.id, "site_name": home.title},
    )


def remove_network_home(apps, schema_editor):
    apps.get_model("home.NetworkHomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_network_home, remove_network_home)]
