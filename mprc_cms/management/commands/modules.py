"""The modules of the site, from the command line: which are discovered and enabled, which
communes run them; switching one on or off for a commune (the same services as the admin's
Modules screen); purging what a module removed from the site left in the database."""

import sys
from importlib.metadata import entry_points

from django.apps import AppConfig, apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from wagtail.models import Page

from mprc_cms.communes import subtree_condition
from mprc_cms.modules import communes_running, get_module, get_modules, running_modules

ENTRY_POINT_GROUP = "mprc_cms.modules"


def discovered_modules():
    """{module key: app dotted name} of every module installed in the environment."""
    return {point.name: point.value for point in entry_points(group=ENTRY_POINT_GROUP)}


def app_label_of(key):
    """The app label of the module ``key``: from its entry point, or ``key`` itself when
    content types of that app label remain (a module whose package is gone too)."""
    dotted = discovered_modules().get(key)
    if dotted:
        try:
            return AppConfig.create(dotted).label
        except (ImportError, LookupError, AttributeError):
            pass  # The package is gone or broken: fall back on the key.
    if ContentType.objects.filter(app_label=key).exists():
        return key
    return None


def module_tables(app_label):
    prefix = f"{app_label}_"
    return sorted(
        name for name in connection.introspection.table_names() if name.startswith(prefix)
    )


def module_page_roots(app_label):
    """The topmost pages of the app's page types (the others are below them)."""
    pages = list(
        Page.objects.filter(content_type__app_label=app_label)
        .order_by("path")
        .values_list("pk", "path")
    )
    roots = []
    for pk, path in pages:
        if not any(path.startswith(root_path) for _pk, root_path in roots):
            roots.append((pk, path))
    return roots


class Command(BaseCommand):
    help = (
        "The site's modules: list them, switch one on or off for a commune, or purge what a "
        "module removed from the site left in the database."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help=_("List the modules."))
        listing.add_argument("--insee", help=_("INSEE code of a commune."))
        for name, text in (("on", _("Switch a module on")), ("off", _("Switch a module off"))):
            action = actions.add_parser(name, help=text)
            action.add_argument("key")
            action.add_argument("--insee", required=True, help=_("INSEE code of a commune."))
        purge = actions.add_parser(
            "purge", help=_("Delete what a module removed from the site left in the database.")
        )
        purge.add_argument("key")
        purge.add_argument("--yes", action="store_true", help=_("Do not ask for confirmation."))

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    # --- list, on, off ---------------------------------------------------------------

    def _commune(self, insee):
        from home.models import CommunePage

        commune = CommunePage.objects.filter(insee_code=(insee or "").strip()).first()
        if commune is None:
            raise CommandError(_("No commune has the INSEE code “%(insee)s”.") % {"insee": insee})
        return commune

    def _enabled_module(self, key):
        module = get_module(key)
        if module is not None:
            return module
        if key in discovered_modules():
            raise CommandError(
                _("The module “%(key)s” is not enabled on this site (see MPRC_MODULES).")
                % {"key": key}
            )
        raise CommandError(_("There is no module “%(key)s”.") % {"key": key})

    def handle_list(self, insee=None, **options):
        enabled = {module.key: module for module in get_modules()}
        if insee:
            commune = self._commune(insee)
            running = running_modules([commune], list(enabled.values()))[commune.pk]
            for key, module in enabled.items():
                state = _("On") if key in running else _("Off")
                self.stdout.write(f"{key}\t{module.label}\t{state}{self._needs(module, enabled)}")
            return
        keys = sorted(set(discovered_modules()) | set(enabled))
        not_running = pgettext("module on the site", "not enabled")
        running = pgettext("module on the site", "enabled")
        for key in keys:
            module = enabled.get(key)
            if module is None:
                self.stdout.write(f"{key}\t-\t{not_running}")
                continue
            count = len(communes_running(module))
            self.stdout.write(
                f"{key}\t{module.label}\t{running}\t"
                + ngettext("%(count)s commune on", "%(count)s communes on", count)
                % {"count": count}
                + self._needs(module, enabled)
            )

    def _needs(self, module, enabled):
        """``\tNeeds: …`` for a module without an index page (on where those it needs are)."""
        if module.has_index_page or not module.requires:
            return ""
        labels = ", ".join(
            str(enabled[key].label) if key in enabled else key for key in module.requires
        )
        return "\t" + _("Needs: %(modules)s") % {"modules": labels}

    def handle_on(self, key, insee, **options):
        from home.onboarding import ModuleRequirementError, switch_module_on

        module, commune = self._enabled_module(key), self._commune(insee)
        values = {"module": module.label, "commune": commune.title}
        if module.key in running_modules([commune], [module])[commune.pk]:
            self.stdout.write(_("The module “%(module)s” was already on for %(commune)s.") % values)
            return
        try:
            switch_module_on(commune, module)
        except ModuleRequirementError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("The module “%(module)s” is on for %(commune)s.") % values)

    def handle_off(self, key, insee, **options):
        from home.onboarding import switch_module_off

        module, commune = self._enabled_module(key), self._commune(insee)
        values = {"module": module.label, "commune": commune.title}
        if switch_module_off(commune, module) is None:
            self.stdout.write(
                _("The module “%(module)s” was already off for %(commune)s.") % values
            )
        else:
            self.stdout.write(
                _(
                    "The module “%(module)s” is off for %(commune)s: its pages are "
                    "unpublished and its data kept."
                )
                % values
            )

    # --- purge -----------------------------------------------------------------------

    def handle_purge(self, key, yes=False, **options):
        if get_module(key) is not None:
            raise CommandError(
                _(
                    "The module “%(key)s” is enabled on this site: switch it off from "
                    "MPRC_MODULES first."
                )
                % {"key": key}
            )
        app_label = app_label_of(key)
        if app_label is None:
            raise CommandError(_("There is no module “%(key)s”.") % {"key": key})
        if app_label in apps.app_configs:
            raise CommandError(
                _(
                    "The app “%(label)s” of the module “%(key)s” is installed on this site: "
                    "switch it off from MPRC_MODULES first."
                )
                % {"label": app_label, "key": key}
            )
        roots = module_page_roots(app_label)
        pages = Page.objects.filter(subtree_condition([path for _pk, path in roots]))
        page_count = pages.count() if roots else 0
        tables = module_tables(app_label)
        with connection.cursor() as cursor:
            rows = {}
            for table in tables:
                # The table names come from the database's own list, quoted.
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                rows[table] = cursor.fetchone()[0]
        self.stdout.write(
            _("Module “%(key)s” (app “%(label)s”): %(pages)s pages.")
            % {"key": key, "label": app_label, "pages": page_count}
        )
        for table in tables:
            self.stdout.write(
                _("Table %(table)s: %(rows)s rows.") % {"table": table, "rows": rows[table]}
            )
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(_("Nothing deleted: confirm with --yes when no one can answer."))
            answer = input(_("Type the module key to confirm: "))
            if answer.strip() != key:
                raise CommandError(
                    _("Nothing deleted: the key typed is not “%(key)s”.") % {"key": key}
                )
        with transaction.atomic():
            if roots:
                Page.objects.filter(pk__in=[pk for pk, _path in roots]).delete()
            self._drop_tables(tables)
            MigrationRecorder(connection).migration_qs.filter(app=app_label).delete()
            Permission.objects.filter(content_type__app_label=app_label).delete()
            ContentType.objects.filter(app_label=app_label).delete()
            apps.get_model("home", "ModuleSwitchOff").objects.filter(module_key=key).delete()
        ContentType.objects.clear_cache()
        self.stdout.write(
            _("Module “%(key)s” purged: %(pages)s pages and %(tables)s tables deleted.")
            % {"key": key, "pages": page_count, "tables": len(tables)}
        )

    def _drop_tables(self, tables):
        if not tables:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One statement: tables that refer to each other go together.
                cursor.execute("DROP TABLE " + ", ".join(quote(table) for table in tables))
            else:
                for table in tables:
                    cursor.execute(f"DROP TABLE {quote(table)}")
