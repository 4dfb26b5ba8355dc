"""The folded title and text of the meetings that existed before ``search_title`` and
``search_text``; from now on they are set on every save
(``ParliamentMeeting.set_search_text``).

A copy of ``mprc_cms.text.fold`` and of Wagtail's ``get_text_for_indexing`` as they were
written with this migration, so that later changes to the code do not change what the
migration does."""

import html
import re
import unicodedata

from django.db import migrations
from django.utils.html import strip_tags

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_BLOCK_END = re.compile(r"(</(p|h\d|li|blockquote)>)", flags=re.IGNORECASE)
_BREAK = re.compile(r"(<(br|hr)\s*/>)", flags=re.IGNORECASE)


def _fold(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _plain(rich_text):
    source = _BREAK.sub(r"\1 ", _BLOCK_END.sub(r"\1 ", rich_text or ""))
    return html.unescape(strip_tags(source).strip())


def fill(apps, schema_editor):
    ParliamentMeeting = apps.get_model("participation", "ParliamentMeeting")
    meetings = list(ParliamentMeeting.objects.only("pk", "title", "place", "agenda", "minutes"))
    for meeting in meetings:
        texts = [meeting.title, meeting.place, _plain(meeting.agenda), _plain(meeting.minutes)]
        meeting.search_title = _fold(meeting.title)
        meeting.search_text = _fold(" ".join(texts))
    ParliamentMeeting.objects.bulk_update(meetings, ["search_title", "search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("participation", "0008_parliamentmeeting_search_text")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
