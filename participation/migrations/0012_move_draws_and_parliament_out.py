"""The draws by lot and the micro-parliament move to the micro-parliament module
(``parliament``): their tables are renamed ``parliament_*`` here, with their data, and the
``parliament`` app's first migration takes the models over in Django's state (and moves
their content types, so that pages, revisions, permissions and the audit log keep pointing
at them). Nothing is copied nor lost."""

from django.db import migrations

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


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0011_micro_parliament_how_it_works"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=f"parliament_{name}")
                for name in MOVED
            ],
            state_operations=[
                migrations.RemoveField(
                    model_name='drawseat',
                    name='draw',
                ),
                migrations.RemoveField(
                    model_name='parliamentmember',
                    name='draw',
                ),
                migrations.RemoveField(
                    model_name='drawentrant',
                    name='draw',
                ),
                migrations.RemoveField(
                    model_name='drawentrant',
                    name='seat',
                ),
                migrations.RemoveField(
                    model_name='drawentrant',
                    name='volunteer',
                ),
                migrations.RemoveField(
                    model_name='microparliamentpage',
                    name='communes',
                ),
                migrations.RemoveField(
                    model_name='microparliamentpage',
                    name='page_ptr',
                ),
                migrations.RemoveField(
                    model_name='parliamentphase',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='parliamentpriority',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='parliamentmember',
                    name='micro_parliament',
                ),
                migrations.RemoveField(
                    model_name='parliamentmeeting',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='parliamentmeeting',
                    name='minutes_document',
                ),
                migrations.RemoveField(
                    model_name='parliamentmember',
                    name='commune',
                ),
                migrations.RemoveField(
                    model_name='parliamentmember',
                    name='volunteer',
                ),
                migrations.RemoveField(
                    model_name='parliamentpriority',
                    name='project',
                ),
                migrations.DeleteModel(
                    name='Draw',
                ),
                migrations.DeleteModel(
                    name='DrawSeat',
                ),
                migrations.DeleteModel(
                    name='DrawEntrant',
                ),
                migrations.DeleteModel(
                    name='ParliamentPhase',
                ),
                migrations.DeleteModel(
                    name='MicroParliamentPage',
                ),
                migrations.DeleteModel(
                    name='ParliamentMeeting',
                ),
                migrations.DeleteModel(
                    name='ParliamentMember',
                ),
                migrations.DeleteModel(
                    name='ParliamentPriority',
                ),
    
            ],
        ),
    ]
