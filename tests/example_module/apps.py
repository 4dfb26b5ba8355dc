from django.apps import AppConfig

from mprc_cms.modules import ModuleInfo


class ExampleModuleConfig(AppConfig):
    name = "tests.example_module"
    label = "example_module"
    verbose_name = "Example module"
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="example",
        label="Boîte à idées",
        description="Un module d'exemple, présent seulement dans les tests.",
        invitation="Déposez vos idées pour la commune.",
        index_page_model="example_module.ExampleIndexPage",
        icon="help",
        default_slug="boite-a-idees",
        editor_permissions=(
            "example_module.view_examplerecord",
            "example_module.add_examplerecord",
            "example_module.change_examplerecord",
            "example_module.delete_examplerecord",
        ),
        search_kinds=("tests.example_module.search.IdeaBoxKind",),
        privacy_processings=("tests.example_module.privacy.IdeaBox",),
        dashboard_items=("tests.example_module.dashboard.items",),
    )
