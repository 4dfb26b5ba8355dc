"""The micro-parliament module takes over the draws by lot and the micro-parliaments from
the volunteer list (``participation``), whose migration 0012 renamed their tables
``parliament_*`` with their data: the models are created in Django's state only, and their
content types move to this app, so that pages, revisions, permissions, the search index and
the audit log keep pointing at them."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import home.models
import modelcluster.fields
import parliament.models.draws
import uuid
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "draw",
    "drawseat",
    "drawentrant",
    "microparliamentpage",
    "parliamentphase",
    "parliamentmeeting",
    "parliamentmember",
    "parliamentpriority",
]


def _move_content_types(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in MOVED:
        if ContentType.objects.filter(app_label=target, model=name).exists():
            continue
        ContentType.objects.filter(app_label=source, model=name).update(app_label=target)


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, "participation", "parliament")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, "parliament", "participation")



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('home', '0009_module_switch_off'),
        ('participation', '0012_move_draws_and_parliament_out'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtaildocs', '0014_alter_document_file_size'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Draw',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(help_text='E.g. “Draw of the residents, cycle 1”.', max_length=150, verbose_name='title')),
                        ('panel_size', models.PositiveSmallIntegerField(default=8, help_text="The residents' seats; elected officials and local actors are added as members without a draw.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(500)], verbose_name='seats to draw')),
                        ('include_volunteer_list', models.BooleanField(default=True, verbose_name='draw among the volunteer list')),
                        ('seats_per_source', models.JSONField(blank=True, default=dict, help_text='Source → number of seats. Empty: seats go to any source.', verbose_name='seats per source')),
                        ('categories', models.JSONField(default=parliament.models.draws.default_categories, verbose_name='categories to balance')),
                        ('quotas', models.JSONField(blank=True, default=list, help_text='A list of {category, value, min, max}.', verbose_name='quotas')),
                        ('cap_highest', models.BooleanField(default=False, help_text="The fairest method gives everyone the highest possible lowest chance; this option also keeps anyone's chance as low as possible at the top (“Goldilocks”).", verbose_name='also limit the highest chances')),
                        ('status', models.CharField(choices=[('draft', 'Being prepared'), ('frozen', 'Pool frozen'), ('computing', 'Computing'), ('computed', 'Computed'), ('published', 'Commitment published'), ('drawn', 'Drawn'), ('cancelled', 'Cancelled')], default='draft', max_length=20, verbose_name='status')),
                        ('frozen_at', models.DateTimeField(blank=True, null=True, verbose_name='pool frozen on')),
                        ('pool_snapshot', models.JSONField(blank=True, default=list, editable=False)),
                        ('freeze_report', models.JSONField(blank=True, default=dict, editable=False)),
                        ('task_id', models.CharField(blank=True, editable=False, max_length=64)),
                        ('progress', models.FloatField(default=0, editable=False)),
                        ('progress_message', models.CharField(blank=True, editable=False, max_length=300)),
                        ('error', models.TextField(blank=True, editable=False)),
                        ('feasibility', models.JSONField(blank=True, default=dict, editable=False)),
                        ('computed_at', models.DateTimeField(blank=True, null=True, verbose_name='computed on')),
                        ('result', models.JSONField(blank=True, default=dict, editable=False)),
                        ('lottery', models.JSONField(blank=True, default=dict, editable=False)),
                        ('commitment', models.CharField(blank=True, max_length=64, verbose_name='commitment (SHA-256)')),
                        ('randomness_source', models.TextField(blank=True, help_text='Announced before the draw, with the format of its result: e.g. “the Loto draw of Saturday 12 December 2026” or “dice thrown at the public meeting of 5 December”.', verbose_name='public source of randomness')),
                        ('randomness_format', models.JSONField(blank=True, default=dict, editable=False, verbose_name='format of the public randomness')),
                        ('audit', models.JSONField(blank=True, default=dict, editable=False)),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published on')),
                        ('randomness', models.TextField(blank=True, verbose_name='randomness')),
                        ('drawn_at', models.DateTimeField(blank=True, null=True, verbose_name='drawn on')),
                        ('panel_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='panel number')),
                        ('selected', models.JSONField(blank=True, default=list, editable=False)),
                        ('alternates', models.JSONField(blank=True, default=list, editable=False)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled on')),
                        ('cancel_reason', models.TextField(blank=True, verbose_name='reason for cancelling')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created on')),
                        ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='home.communepage', verbose_name='commune')),
                        ('pools', models.ManyToManyField(blank=True, related_name='draws', to='participation.pool', verbose_name='lists imported from files')),
                    ],
                    options={
                        'verbose_name': 'draw by lot',
                        'verbose_name_plural': 'draws by lot',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='DrawSeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(verbose_name='seat')),
                        ('draw', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seats', to='parliament.draw')),
                    ],
                    options={
                        'verbose_name': 'seat',
                        'verbose_name_plural': 'seats',
                        'ordering': ['draw', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='DrawEntrant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('pseudonym', models.CharField(max_length=20, verbose_name='pseudonym')),
                        ('invitation', models.CharField(blank=True, choices=[('', 'Not invited'), ('invited', 'Invited'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('unreachable', 'Could not be reached'), ('skipped', 'Passed over (erased from the lists)')], default='', max_length=20, verbose_name='invitation')),
                        ('invited_at', models.DateTimeField(blank=True, null=True, verbose_name='invited on')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered on')),
                        ('turn', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='turn on the seat')),
                        ('answer_by', models.DateField(blank=True, help_text='For someone who could not be reached: the last day to answer.', null=True, verbose_name='may answer until')),
                        ('draw', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entrants', to='parliament.draw')),
                        ('volunteer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='draw_entries', to='participation.volunteer', verbose_name='person')),
                        ('seat', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='holders', to='parliament.drawseat', verbose_name='seat')),
                    ],
                    options={
                        'verbose_name': 'person in a draw',
                        'verbose_name_plural': 'people in a draw',
                        'ordering': ['draw', 'pseudonym'],
                    },
                ),
                migrations.CreateModel(
                    name='MicroParliamentPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                        ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('image', 7), ('call_to_action', 12), ('documents', 18), ('faq', 23)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section heading'), ('h3', 'Sub-heading')], 'help_text': 'Use section headings for the main parts of the page.', 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'hr'], 'icon': 'pilcrow', 'label': 'Paragraph', 'template': 'home/blocks/paragraph.html'}), 4: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'label': 'Credit', 'max_length': 120, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5), ('credit', 6)]], {}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Button text', 'max_length': 80}), 9: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page of the site', 'required': False}), 10: ('wagtail.blocks.URLBlock', (), {'label': 'Or a web address', 'required': False}), 11: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('primary', 'Main action'), ('secondary', 'Secondary action')], 'label': 'Style'}), 12: ('wagtail.blocks.StructBlock', [[('text', 8), ('page', 9), ('url', 10), ('style', 11)]], {}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120, 'required': False}), 14: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 15: ('wagtail.blocks.CharBlock', (), {'label': 'Description', 'max_length': 200, 'required': False}), 16: ('wagtail.blocks.StructBlock', [[('document', 14), ('description', 15)]], {'label': 'Document'}), 17: ('wagtail.blocks.ListBlock', (16,), {'label': 'Documents', 'min_num': 1}), 18: ('wagtail.blocks.StructBlock', [[('heading', 13), ('documents', 17)]], {}), 19: ('wagtail.blocks.CharBlock', (), {'label': 'Question', 'max_length': 250}), 20: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul'], 'label': 'Answer'}), 21: ('wagtail.blocks.StructBlock', [[('question', 19), ('answer', 20)]], {'label': 'Question'}), 22: ('wagtail.blocks.ListBlock', (21,), {'label': 'Questions', 'min_num': 1}), 23: ('wagtail.blocks.StructBlock', [[('heading', 13), ('items', 22)]], {})}, help_text='What a micro-parliament is, who sits in it, how a cycle runs, frequent questions: shown before the members and the meetings.', verbose_name='how it works')),
                        ('mandate', wagtail.fields.RichTextField(blank=True, help_text='What the council asked of the micro-parliament, and what it may decide.', verbose_name='mandate')),
                        ('cycle_name', models.CharField(blank=True, help_text='E.g. “Cycle 1 — autumn 2026”.', max_length=100, verbose_name='cycle')),
                        ('communes', modelcluster.fields.ParentalManyToManyField(blank=True, help_text='The communes it serves. Empty: the commune the page is in.', related_name='+', to='home.communepage', verbose_name='communes')),
                    ],
                    options={
                        'verbose_name': 'micro-parliament',
                        'verbose_name_plural': 'micro-parliaments',
                    },
                    bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, home.models.SiteSectionMixin, 'wagtailcore.page'),
                ),
                migrations.AddField(
                    model_name='draw',
                    name='micro_parliament',
                    field=models.ForeignKey(help_text="The public draw page is published under this micro-parliament's page.", on_delete=django.db.models.deletion.PROTECT, related_name='draws', to='parliament.microparliamentpage', verbose_name='micro-parliament'),
                ),
                migrations.CreateModel(
                    name='ParliamentMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('uid', models.UUIDField(default=uuid.uuid4, editable=False)),
                        ('title', models.CharField(max_length=150, verbose_name='title')),
                        ('starts_at', models.DateTimeField(verbose_name='starts at')),
                        ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='ends at')),
                        ('place', models.CharField(help_text='E.g. “Salle des fêtes, Le Bourg”.', max_length=200, verbose_name='place')),
                        ('agenda', wagtail.fields.RichTextField(blank=True, verbose_name='agenda')),
                        ('minutes', wagtail.fields.RichTextField(blank=True, help_text='What was said and decided, once the meeting is over.', verbose_name='minutes')),
                        ('search_title', models.TextField(blank=True, default='', editable=False)),
                        ('search_text', models.TextField(blank=True, default='', editable=False)),
                        ('minutes_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtaildocs.document', verbose_name='minutes (document)')),
                        ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='parliament.microparliamentpage')),
                    ],
                    options={
                        'verbose_name': 'meeting',
                        'verbose_name_plural': 'meetings',
                        'ordering': ['starts_at'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ParliamentMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='As it may appear on the public page.', max_length=150, verbose_name='name')),
                        ('sort_name', models.CharField(blank=True, editable=False, max_length=150)),
                        ('role', models.CharField(choices=[('drawn_resident', 'Resident drawn by lot'), ('elected', 'Elected official'), ('local_actor', 'Local actor'), ('coordinator', 'Coordinator'), ('facilitator', 'Facilitator'), ('guarantor', 'Guarantor')], max_length=20, verbose_name='role')),
                        ('organisation', models.CharField(blank=True, help_text='E.g. “Deputy mayor”, “Familles Rurales association”.', max_length=150, verbose_name='organisation or mandate')),
                        ('show_name', models.BooleanField(default=False, help_text="Only with the member's agreement. Otherwise the page shows the role only.", verbose_name='name shown on the public page')),
                        ('joined_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='joined on')),
                        ('left_on', models.DateField(blank=True, null=True, verbose_name='left on')),
                        ('commune', models.ForeignKey(help_text='The commune whose staff manage this member.', on_delete=django.db.models.deletion.CASCADE, related_name='+', to='home.communepage', verbose_name='commune')),
                        ('draw', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='parliament.draw', verbose_name='draw')),
                        ('micro_parliament', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='parliament.microparliamentpage', verbose_name='micro-parliament')),
                        ('volunteer', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='membership', to='participation.volunteer', verbose_name='person in the lists')),
                    ],
                    options={
                        'verbose_name': 'member of a micro-parliament',
                        'verbose_name_plural': 'members of micro-parliaments',
                        'ordering': ['micro_parliament', 'role', 'sort_name'],
                    },
                ),
                migrations.CreateModel(
                    name='ParliamentPhase',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('phase', models.CharField(choices=[('diagnostic', 'Diagnostic'), ('co_construction', 'Co-construction'), ('action', 'Action')], max_length=20, verbose_name='phase')),
                        ('starts_on', models.DateField(verbose_name='starts on')),
                        ('ends_on', models.DateField(verbose_name='ends on')),
                        ('description', models.TextField(blank=True, max_length=600, verbose_name='what happens')),
                        ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='phases', to='parliament.microparliamentpage')),
                    ],
                    options={
                        'verbose_name': 'phase',
                        'verbose_name_plural': 'phases',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ParliamentPriority',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('title', models.CharField(max_length=150, verbose_name='title')),
                        ('description', models.TextField(blank=True, max_length=1000, verbose_name='description')),
                        ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='priorities', to='parliament.microparliamentpage')),
                        ('project', models.ForeignKey(blank=True, help_text='The project page it became, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='project')),
                    ],
                    options={
                        'verbose_name': 'priority',
                        'verbose_name_plural': 'priorities',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.AddConstraint(
                    model_name='drawseat',
                    constraint=models.UniqueConstraint(fields=('draw', 'number'), name='participation_seat_unique_number'),
                ),
                migrations.AddConstraint(
                    model_name='drawseat',
                    constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='participation_seat_number_positive'),
                ),
                migrations.AddConstraint(
                    model_name='drawentrant',
                    constraint=models.UniqueConstraint(fields=('draw', 'pseudonym'), name='participation_entrant_unique_pseudonym'),
                ),
                migrations.AddConstraint(
                    model_name='drawentrant',
                    constraint=models.UniqueConstraint(condition=models.Q(('invitation', 'accepted'), ('volunteer__isnull', False)), fields=('seat',), name='participation_seat_one_accepted'),
                ),
                migrations.AddConstraint(
                    model_name='drawentrant',
                    constraint=models.UniqueConstraint(condition=models.Q(('invitation__in', ('', 'invited', 'accepted')), ('volunteer__isnull', False)), fields=('seat',), name='participation_seat_one_holder'),
                ),
                migrations.AddConstraint(
                    model_name='drawentrant',
                    constraint=models.UniqueConstraint(fields=('seat', 'turn'), name='participation_seat_one_turn'),
                ),
                migrations.AddConstraint(
                    model_name='drawentrant',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('seat__isnull', True), ('turn__isnull', True)), models.Q(('seat__isnull', False), ('turn__gte', 1)), _connector='OR'), name='participation_seat_turn_with_seat'),
                ),
    
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
