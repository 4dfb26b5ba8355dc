from django.apps import AppConfig

from mprc_cms.modules import ModuleInfo

# The module's declaration, put on the AppConfig by the ``extension_module`` fixture.
POLL = ModuleInfo(
    key="poll",
    label="Sondages",
    description="Un module d'exemple sans page d'accueil, présent seulement dans les tests.",
    invitation="Donnez votre avis sur les idées de la commune.",
    requires=("example",),
    icon="list-ul",
    editor_permissions=("example_extension.change_pollpage",),
)


class ExampleExtensionConfig(AppConfig):
    name = "tests.example_extension"
    label = "example_extension"
    verbose_name = "Example extension"
    default_auto_field = "django.db.models.BigAutoField"
