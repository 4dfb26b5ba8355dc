from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from home.onboarding import NetworkNotReady
from home.starter import load_starter_content
from mprc_cms.imports.datafiles import DataFileError


class Command(BaseCommand):
    help = (
        "Load the starter content of every running module into a real network (the "
        "project library's templates, the national funding programmes…), from the modules' "
        "data files and through the admin's import. What the network already has (same "
        "identifier) is left as it is: running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            loaded = load_starter_content(stdout=self.stdout)
        except (NetworkNotReady, DataFileError) as error:
            raise CommandError(str(error)) from error
        if not loaded:
            self.stdout.write(_("No running module has starter content: nothing was loaded."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Starter content loaded: %(modules)s.")
                % {"modules": ", ".join(str(module.label) for module in loaded)}
            )
        )
