"""The exchange's migrations 0001 to 0004, squashed when the app moved from
``participation/exchange/`` to ``exchange/`` (the first one imported the app by its old
dotted path). A database that applied them keeps its tables and data: Django records this
migration as applied. Migrations 0002 and 0004 are copied below as they were written."""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import home.models
import re
import unicodedata
import uuid

import exchange.models
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


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
    """The kinds of help neighbours exchange most (the MPRC guide's “échanges de
    services”); was 0002_seed_categories."""
    ServiceCategory = apps.get_model("exchange", "ServiceCategory")
    for order, (slug, name) in enumerate(CATEGORIES, start=1):
        ServiceCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order * 10}
        )


def unseed(apps, schema_editor):
    ServiceCategory = apps.get_model("exchange", "ServiceCategory")
    ServiceCategory.objects.filter(slug__in=[slug for slug, _name in CATEGORIES]).delete()


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _fold(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def fill(apps, schema_editor):
    """The folded title of the posts that existed before ``search_title`` (a copy of
    ``mprc_cms.text.fold`` as it was then); was 0004_fill_search_title."""
    ServiceListing = apps.get_model("exchange", "ServiceListing")
    listings = list(ServiceListing.objects.only("pk", "title"))
    for listing in listings:
        listing.search_title = _fold(listing.title)
    ServiceListing.objects.bulk_update(listings, ["search_title"], batch_size=500)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ("exchange", "0001_initial"),
        ("exchange", "0002_seed_categories"),
        ("exchange", "0003_servicelisting_search_title"),
        ("exchange", "0004_fill_search_title"),
    ]

    dependencies = [
        ('home', '0003_communepage_hamlets'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ServiceCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True, verbose_name='name')),
                ('slug', models.SlugField(help_text="The category's name in web addresses.", max_length=80, unique=True, verbose_name='slug')),
                ('sort_order', models.PositiveSmallIntegerField(default=100, verbose_name='order')),
            ],
            options={
                'verbose_name': 'service category',
                'verbose_name_plural': 'service categories',
                'ordering': ['sort_order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='ServiceExchangePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, default=exchange.models.default_intro, verbose_name='introduction')),
                ('rules', wagtail.fields.RichTextField(blank=True, default=exchange.models.default_rules, help_text='Shown on the board and above the form to post.', verbose_name='rules of the board')),
                ('requires_approval', models.BooleanField(default=True, help_text='When ticked, a confirmed post appears only once the town hall has approved it (and again after each change). Otherwise it appears at once, and staff moderate afterwards.', verbose_name='new posts wait for approval')),
                ('listing_days', models.PositiveSmallIntegerField(default=30, help_text='From its publication or renewal. A few days before the end, the poster is invited by e-mail to renew it.', validators=[django.core.validators.MinValueValidator(7), django.core.validators.MaxValueValidator(90)], verbose_name='days a post stays on the board')),
            ],
            options={
                'verbose_name': 'service exchange board',
                'verbose_name_plural': 'service exchange boards',
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, home.models.SiteSectionMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='ServiceListing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('kind', models.CharField(choices=[('offer', 'Offer'), ('request', 'Request')], max_length=10, verbose_name='kind')),
                ('title', models.CharField(max_length=100, verbose_name='title')),
                ('description', models.TextField(max_length=2000, verbose_name='description')),
                ('hamlet', models.CharField(blank=True, max_length=100, verbose_name='hamlet')),
                ('availability', models.CharField(blank=True, max_length=200, verbose_name='availability')),
                ('first_name', models.CharField(max_length=60, verbose_name='first name')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('show_phone', models.BooleanField(default=False, verbose_name='phone shown on the post')),
                ('status', models.CharField(choices=[('unconfirmed', 'Waiting for the e-mail confirmation'), ('pending', 'Waiting for approval'), ('published', 'Published'), ('rejected', 'Rejected'), ('hidden', 'Hidden'), ('done', 'Done')], db_index=True, default='unconfirmed', max_length=12, verbose_name='status')),
                ('moderation_note', models.TextField(blank=True, max_length=1000, verbose_name='reason given to the poster')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='posted at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='on the board until')),
                ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='renewal reminder sent at')),
                ('closed_at', models.DateTimeField(blank=True, help_text='When the post was rejected, hidden or marked as done.', null=True, verbose_name='left the board at')),
                ('search_text', models.TextField(blank=True, editable=False)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='exchange.servicecategory', verbose_name='category')),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='home.communepage', verbose_name='commune')),
            ],
            options={
                'verbose_name': 'post',
                'verbose_name_plural': 'posts',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ListingReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('scam', 'Scam or attempt to obtain money'), ('commercial', 'Advertising or professional service'), ('offensive', 'Offensive or discriminatory content'), ('personal_data', "Someone else's personal information"), ('outdated', 'No longer relevant'), ('other', 'Other reason')], max_length=20, verbose_name='reason')),
                ('comment', models.TextField(blank=True, max_length=1000, verbose_name="resident's comment")),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='reported at')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='dealt with at')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dealt with by')),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='exchange.servicelisting', verbose_name='post')),
            ],
            options={
                'verbose_name': 'report',
                'verbose_name_plural': 'reports',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ContactRelay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='exchange.servicelisting')),
            ],
            options={
                'verbose_name': 'relayed message',
                'verbose_name_plural': 'relayed messages',
            },
        ),
        migrations.CreateModel(
            name='DigestSubscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='asked at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('last_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='last digest sent at')),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='home.communepage', verbose_name='commune')),
            ],
            options={
                'verbose_name': 'digest subscription',
                'verbose_name_plural': 'digest subscriptions',
                'constraints': [models.UniqueConstraint(models.F('commune'), django.db.models.functions.text.Lower('email'), name='exchange_digest_unique_email')],
            },
        ),
        migrations.AddIndex(
            model_name='servicelisting',
            index=models.Index(fields=['commune', 'status', 'expires_on'], name='exchange_listing_board'),
        ),
        migrations.AddIndex(
            model_name='servicelisting',
            index=models.Index(fields=['commune', 'published_at'], name='exchange_listing_published'),
        ),
        migrations.RunPython(seed, unseed),
        migrations.AddField(
            model_name="servicelisting",
            name="search_title",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
