"""Fail when an interface string has no French translation, or a translation breaks the
catalogue's French typography.

Runs makemessages (GNU gettext's xgettext) on a copy of the catalogue, so the working tree
is untouched, and lists every French entry left untranslated or fuzzy, and every
translation with an ordinary space before « : ; ? ! » » or a straight apostrophe
(``mprc_cms/typography.py``).
"""

import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mprc_cms.typography import spacing_problems

DOMAINS = ("django",)


def typography_problems(catalogue):
    """One line per translation whose French typography is wrong."""
    lines = []
    for entry in catalogue.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            for problem in spacing_problems(text):
                lines.append(f"typography: {entry.msgid!r}: {problem}")
    return lines


class Command(BaseCommand):
    help = "Check that makemessages leaves nothing untranslated in French."

    def add_arguments(self, parser):
        parser.add_argument("--locale", default="fr")

    def handle(self, *args, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        backup = Path(tempfile.mkdtemp(prefix="mprc-locale-"))
        shutil.copytree(locale_dir, backup / "locale")
        problems = []
        try:
            call_command(
                "makemessages",
                locale=[options["locale"]],
                ignore_patterns=[
                    ".venv/*",
                    "var/*",
                    "tests/*",
                    "benchmarks/*",
                    # Example modules are packages of their own, with their own catalogue.
                    "examples/*",
                ],
                no_obsolete=True,
                verbosity=0,
            )
            for domain in DOMAINS:
                po_path = locale_dir / options["locale"] / "LC_MESSAGES" / f"{domain}.po"
                if not po_path.exists():
                    raise CommandError(f"{po_path} is missing.")
                catalogue = polib.pofile(str(po_path))
                for entry in catalogue.untranslated_entries():
                    problems.append(f"untranslated: {entry.msgid!r} ({entry.occurrences[:1]})")
                for entry in catalogue.fuzzy_entries():
                    problems.append(f"fuzzy: {entry.msgid!r}")
                if options["locale"] == "fr":
                    problems.extend(typography_problems(catalogue))
        finally:
            shutil.rmtree(locale_dir)
            shutil.copytree(backup / "locale", locale_dir)
            shutil.rmtree(backup)
        if problems:
            raise CommandError(
                f"{len(problems)} French interface string(s) to translate or correct:\n"
                + "\n".join(problems)
            )
        self.stdout.write("Every interface string has its French translation.")
