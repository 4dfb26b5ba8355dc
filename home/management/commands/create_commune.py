from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from home.forms import CommuneCreationForm
from home.onboarding import NetworkNotReady, create_commune


class Command(BaseCommand):
    help = (
        "Create a commune in one step: its page under the network home, an editors group "
        "whose rights cover its pages only, a collection for its images and documents, and "
        "with --hostname a site of its own. Running it again for the same INSEE code "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name of the commune, e.g. “Saint-Aubin-les-Vignes”")
        parser.add_argument("--insee", required=True, help="INSEE code, e.g. 71270")
        parser.add_argument("--postcode", required=True, help="Postcode, e.g. 71250")
        parser.add_argument("--population", type=int, default=None)
        parser.add_argument("--epci", default="", help="Intercommunality (communauté de communes)")
        parser.add_argument("--hostname", default="", help="The commune's own host name, if any")
        parser.add_argument(
            "--same-name",
            action="store_true",
            help="Create it even if another commune has the same name (a different INSEE code)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the commune at once (otherwise it is a draft a coordinator publishes)",
        )

    def handle(self, *args, **options):
        data = {
            "name": options["name"],
            "insee_code": options["insee"],
            "postcode": options["postcode"],
            "population": options["population"],
            "epci": options["epci"],
            "hostname": options["hostname"],
            "same_name": options["same_name"],
        }
        form = CommuneCreationForm(data, allow_existing=True)
        if not form.is_valid():
            messages = [
                f"{form.fields[field].label if field in form.fields else field} : {error}"
                for field, errors in form.errors.items()
                for error in errors
            ]
            if form.namesakes and not options["same_name"]:
                messages.append(_("To create it anyway, add --same-name."))
            raise CommandError("\n".join(messages))
        try:
            setup = create_commune(publish=options["publish"], **form.cleaned_data)
        except NetworkNotReady as error:
            raise CommandError(str(error)) from error
        commune = setup.commune
        if not setup.created:
            self.stdout.write(
                _("The commune %(name)s (INSEE %(insee)s) already exists: nothing was changed.")
                % {"name": commune.title, "insee": commune.insee_code}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Commune %(name)s created (INSEE %(insee)s) at %(url)s")
                % {"name": commune.title, "insee": commune.insee_code, "url": commune.url_path}
            )
        )
        if not commune.live:
            self.stdout.write(
                _("It is a draft: a network coordinator publishes it from the list of communes.")
            )
        self.stdout.write(
            _("Editors group: “%(group)s”; collection: “%(collection)s”.")
            % {"group": commune.editors_group.name, "collection": commune.collection.name}
        )
        if form.cleaned_data["hostname"]:
            self.stdout.write(
                _("Site of its own: %(host)s") % {"host": form.cleaned_data["hostname"]}
            )
