from wagtail import hooks
from wagtail.permissions import register_permission_policy

from mprc_cms.communes import CommuneScopedPermissionPolicy, CommuneScopedViewSet
from mprc_cms.imports import register_import

from .models import ExampleRecord
from .resources import ExampleRecordResource

register_permission_policy(ExampleRecord, CommuneScopedPermissionPolicy(ExampleRecord))


class ExampleRecordViewSet(CommuneScopedViewSet):
    model = ExampleRecord
    icon = "user"
    menu_label = "Exemples"
    add_to_admin_menu = True
    list_display = ["name", "email", "commune"]
    list_export = ["name", "email", "birth_year", "commune"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    form_fields = ["commune", "name", "email", "birth_year"]


example_record_viewset = ExampleRecordViewSet("example_records")


@hooks.register("register_admin_viewset")
def register_example_record_viewset():
    return example_record_viewset


register_import(
    ExampleRecord,
    ExampleRecordResource,
    label="Exemples",
    sample_rows=[
        {"nom": "Camille Martin", "email": "camille@example.org", "annee_naissance": 1980}
    ],
)
