from import_export import fields, widgets

from mprc_cms.imports import CommuneScopedResource

from .models import ExampleRecord


class ExampleRecordResource(CommuneScopedResource):
    name = fields.Field(attribute="name", column_name="nom")
    email = fields.Field(attribute="email", column_name="email")
    birth_year = fields.Field(
        attribute="birth_year", column_name="annee_naissance", widget=widgets.IntegerWidget()
    )

    class Meta:
        model = ExampleRecord
        fields = ("name", "email", "birth_year")
        import_id_fields = ()
