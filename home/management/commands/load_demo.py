"""Build the demo network: a network home, five communes, their pages, news and staff.

Idempotent: what already exists is left as it is; only what is missing is created.
"""

import datetime
import io
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import Page

from home import demo_content
from home.demo_media import landscape_png
from home.models import CommunePage, LegalInformation, NewsIndexPage, NewsPage, StandardPage
from home.onboarding import (
    create_and_publish,
    create_commune,
    ensure_coordinators_group,
    get_network_home,
)
from home.starter import in_dependency_order, load_starter_content
from mprc_cms import following
from mprc_cms.management.commands.build_open_data import report_line
from mprc_cms.modules import get_modules
from mprc_cms.open_data.builder import build_open_data

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"


def stream(blocks):
    """Turn (type, value) pairs of demo_content into StreamField raw data."""
    raw = []
    for block_type, value in blocks:
        if block_type == "faq":
            value = {
                "heading": value["heading"],
                "items": [{"question": q, "answer": a} for q, a in value["items"]],
            }
        raw.append({"type": block_type, "value": value})
    return raw


class Command(BaseCommand):
    help = "Build the demo network (five communes with pages, news and staff accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo account (default: generated once and kept in "
            ".demo-credentials).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the number of communes and news items (for benchmarks).",
        )

    def handle(self, *args, **options):
        password = options["password"] or self._stored_password()
        with transaction.atomic():
            home = self._network_home()
            communes = [self._commune(data) for data in demo_content.COMMUNES]
            for index in range(1, max(options["scale"], 1)):
                communes.extend(self._extra_communes(index))
            if options["scale"] > 1:
                for commune in communes:
                    self._extra_news(commune, options["scale"])
            self._legal_information(home, communes[: len(demo_content.COMMUNES)])
            accounts = self._accounts(
                communes[: len(demo_content.COMMUNES)], password, reset=bool(options["password"])
            )
            # Each running module loads its starter content (what a real network gets
            # from ``load_starter_content``), then adds its own demo content (home imports
            # no module); a module after those it requires.
            load_starter_content(stdout=self.stdout)
            for module in in_dependency_order(get_modules()):
                if module.info.demo_loader:
                    import_string(module.info.demo_loader)(
                        communes, stdout=self.stdout, scale=max(options["scale"], 1)
                    )
            # Residents following a few pages of every followable type (mprc_cms.following).
            following.load_demo()
        # The open data files once (then the daily job keeps them up to date).
        self.stdout.write(report_line(build_open_data()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Réseau de démonstration prêt : {home.title}, "
                f"{CommunePage.objects.count()} communes, {NewsPage.objects.count()} actualités."
            )
        )
        self.stdout.write("Comptes de démonstration (administration : /admin/) :")
        for username, role in accounts:
            self.stdout.write(f"  {username:32} {role}")
        self.stdout.write(f"  mot de passe de tous ces comptes : {password}")

    def _stored_password(self):
        if CREDENTIALS_FILE.exists():
            stored = CREDENTIALS_FILE.read_text().strip()
            if stored:
                return stored
        password = "demo-" + secrets.token_urlsafe(9)
        CREDENTIALS_FILE.write_text(password + "\n")
        return password

    def _network_home(self):
        home = get_network_home()
        if not home.intro:
            data = demo_content.NETWORK
            home.title = home.draft_title = data["title"]
            home.intro = data["intro"]
            home.body = stream(data["body"])
            home.save_revision().publish()
        ensure_coordinators_group()
        if not NewsIndexPage.objects.child_of(home).exists():
            create_and_publish(
                home,
                NewsIndexPage(
                    title="Actualités du réseau",
                    slug="actualites",
                    intro="Les nouvelles de tout le réseau des micro-parlements.",
                ),
            )
        return home

    def _legal_information(self, home, communes):
        """The facts of the legal pages: the network's, and each commune's mayor (only
        where nothing was typed yet)."""
        network, _created = LegalInformation.objects.get_or_create(page_id=home.pk)
        if not network.host_name:
            for name, value in demo_content.NETWORK_LEGAL.items():
                setattr(network, name, value)
            network.accessibility_audit_date = timezone.localdate() - datetime.timedelta(
                days=demo_content.AUDIT_DAYS_AGO
            )
            network.save()
        for commune, data in zip(communes, demo_content.COMMUNES, strict=True):
            info, _created = LegalInformation.objects.get_or_create(page_id=commune.pk)
            if not info.publication_director:
                info.publication_director = data["mayor"]
                info.save()

    def _image(self, title, alt, color, seed, collection):
        image = Image.objects.filter(title=title, collection=collection).first()
        if image is None:
            picture = ImageFile(
                io.BytesIO(landscape_png(color, seed)), name=f"{slugify(title)}.png"
            )
            image = Image.objects.create(
                title=title, description=alt, collection=collection, file=picture
            )
        return image

    def _commune(self, data):
        setup = create_commune(
            name=data["name"],
            insee_code=data["insee"],
            postcode=data["postcode"],
            population=data["population"],
            epci=demo_content.EPCI,
            # A new commune is a draft: the demo's coordinator publishes it.
            publish=True,
        )
        commune = setup.commune
        if setup.created:
            commune.intro = data["intro"]
            commune.address = data["address"]
            commune.phone = data["phone"]
            commune.email = data["email"]
            commune.opening_hours = data["hours"]
            commune.hamlets = data.get("hamlets", "")
            commune.image = self._image(
                f"Paysage de {data['name']}",
                f"Les collines autour de {data['name']}",
                data["color"],
                data["insee"],
                commune.collection,
            )
            commune.body = stream(
                [
                    (
                        "paragraph",
                        f"<p>Bienvenue sur le site de {data['name']}. Vous y trouverez les "
                        "nouvelles de la commune, le fonctionnement du micro-parlement et "
                        "les projets menés avec les habitants.</p>",
                    )
                ]
            )
            commune.save_revision().publish()
        self._pages(commune, data)
        self._news(commune, data)
        return commune

    def _pages(self, commune, data):
        existing = set(Page.objects.child_of(commune).values_list("slug", flat=True))
        for slug, title, intro, body in demo_content.commune_pages(data):
            if slug in existing:
                continue
            create_and_publish(
                commune,
                StandardPage(
                    title=title, slug=slug, intro=intro, body=stream(body), show_in_menus=True
                ),
            )

    def _news(self, commune, data):
        news_index = NewsIndexPage.objects.child_of(commune).first()
        existing = set(Page.objects.child_of(news_index).values_list("slug", flat=True))
        today = timezone.localdate()
        for number, (title, intro, days_ago) in enumerate(data["news"]):
            slug = slugify(title)[:80]
            if slug in existing:
                continue
            image = None
            if number == 0:
                image = self._image(
                    title, "", data["color"], f"{data['insee']}-{number}", commune.collection
                )
            create_and_publish(
                news_index,
                NewsPage(
                    title=title,
                    slug=slug,
                    date=today - datetime.timedelta(days=days_ago),
                    intro=intro,
                    image=image,
                    body=stream([("paragraph", f"<p>{intro}</p>")]),
                ),
            )

    def _extra_communes(self, index):
        created = []
        for number, data in enumerate(demo_content.COMMUNES, start=1):
            code = f"7{index:02d}{number:02d}"[:5]
            setup = create_commune(
                name=f"{data['name']} {index + 1}",
                insee_code=f"{int(code):05d}" if code.isdigit() else code,
                postcode=data["postcode"],
                population=data["population"],
                epci=demo_content.EPCI,
                publish=True,
            )
            created.append(setup.commune)
        return created

    def _extra_news(self, commune, scale):
        news_index = NewsIndexPage.objects.child_of(commune).first()
        have = NewsPage.objects.child_of(news_index).count()
        today = timezone.localdate()
        for number in range(have, 3 * scale):
            create_and_publish(
                news_index,
                NewsPage(
                    title=f"Nouvelle n° {number + 1} de {commune.title}",
                    slug=f"nouvelle-{number + 1}",
                    date=today - datetime.timedelta(days=number),
                    intro="Une nouvelle de la commune, pour mesurer le site à plus grande échelle.",
                ),
            )

    def _accounts(self, communes, password, reset):
        User = get_user_model()
        accounts = []

        def account(username, email, first_name, last_name, role, **extra):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": email,
                    "first_name": first_name,
                    "last_name": last_name,
                    **extra,
                },
            )
            if created or reset:
                user.set_password(password)
                user.save()
            accounts.append((username, role))
            return user

        account(
            "admin",
            "admin@mprc.example.fr",
            "Admin",
            "Réseau",
            "administrateur (tous droits)",
            is_superuser=True,
            is_staff=True,
        )
        coordinator = account(
            "coordination",
            "coordination@mprc.example.fr",
            "Claire",
            "Morel",
            "coordinatrice du réseau",
        )
        coordinator.groups.add(ensure_coordinators_group())
        for commune in communes:
            user = account(
                f"secretariat-{commune.slug}"[:150],
                f"secretariat@{commune.slug}.example.fr",
                "Secrétariat",
                commune.title,
                f"secrétariat de mairie, {commune.title}",
            )
            user.groups.add(commune.editors_group)
        return accounts
