"""The volunteer import as it was before bulk creation (issue 20), row by row: each row
saved with ``save()`` in a savepoint of its own, each person matched fetched again, a
deep copy of each row's instance for django-import-export's diff. The regression tests
(test_import_bulk.py) check that today's import gives exactly its results. Do not edit:
it is the reference."""

from django.utils.translation import gettext as _
from import_export import fields

from mprc_cms.imports import CommuneScopedResource
from participation.choices import Status
from participation.models import Pool, Volunteer
from participation.normalise import household_key, name_key
from participation.resources import (
    BirthDateWidget,
    GenderWidget,
    HamletWidget,
    SocialCategoryWidget,
)


class LegacyVolunteerResource(CommuneScopedResource):
    last_name = fields.Field(attribute="last_name", column_name="nom")
    first_name = fields.Field(attribute="first_name", column_name="prenom")
    gender = fields.Field(attribute="gender", column_name="sexe", widget=GenderWidget())
    birth_year = fields.Field(
        attribute="birth_year", column_name="date_naissance", widget=BirthDateWidget()
    )
    address = fields.Field(attribute="address", column_name="adresse")
    household = fields.Field(attribute="household", column_name="foyer")
    hamlet = fields.Field(attribute="hamlet", column_name="hameau", widget=HamletWidget())
    social_category = fields.Field(
        attribute="social_category", column_name="pcs", widget=SocialCategoryWidget()
    )
    email = fields.Field(attribute="email", column_name="email")
    phone = fields.Field(attribute="phone", column_name="telephone")

    class Meta:
        model = Volunteer
        fields = (
            "last_name",
            "first_name",
            "gender",
            "birth_year",
            "address",
            "household",
            "hamlet",
            "social_category",
            "email",
            "phone",
        )
        # A person already in the list is updated (see get_instance), so that importing a
        # file twice changes nothing.
        import_id_fields = ("last_name", "first_name")
        skip_html_diff = True

    # Set by the resource from the chosen list, never read from the file: not re-checked
    # row by row. The model's one constraint concerns sign-ups, which are never imported.
    trusted_fields = ("commune", "pool", "public_id")
    validate_constraints = False

    def before_import(self, dataset, **kwargs):
        # Who is already in the list, to update rather than duplicate them: by name, year of
        # birth and household, or by name and year alone when that is unambiguous.
        self._by_household = {}
        self._by_name = {}
        self._claimed = set()  # people of the list matched by a row of this file
        self._in_file = {}  # (name, year, household) → person written from this file
        super().before_import(dataset, **kwargs)
        self.pool = Pool.objects.filter(pk=self.options.get("pool"), commune=self.commune).first()
        if self.pool is None:
            raise ValueError(_("The list chosen for this import no longer exists."))
        self.fields["hamlet"].widget.hamlets = self.commune.hamlet_list()
        members = Volunteer.objects.filter(pool=self.pool).only(
            "pk", "name_key", "birth_year", "household_key"
        )
        for member in members:
            key = (member.name_key, member.birth_year)
            self._by_household.setdefault((*key, member.household_key), member.pk)
            self._by_name.setdefault(key, []).append(member.pk)

    def get_queryset(self):
        return super().get_queryset().filter(pool=getattr(self, "pool", None))

    def _row_key(self, row):
        try:
            year = BirthDateWidget().clean(row.get("date_naissance"))
        except ValueError:
            year = None
        household = household_key(row.get("foyer") or row.get("adresse") or "")
        return name_key(row.get("prenom"), row.get("nom")), year, household

    def get_instance(self, instance_loader, row):
        """The person a row describes, if already known.

        An electoral roll lists each person once: two rows of one file are two people
        (homonyms born the same year are told apart by their household), unless they are
        the same row twice. A row matches a person already in the list by name, year and
        household, or by name and year when exactly one such person is left unmatched (the
        same person, moved house since the last extract).
        """
        name, year, _household = key = self._row_key(row)
        pk = self._in_file.get(key)
        if pk is None:
            pk = self._by_household.get(key)
            if pk is None or pk in self._claimed:
                candidates = [
                    candidate
                    for candidate in self._by_name.get((name, year), [])
                    if candidate not in self._claimed
                ]
                pk = candidates[0] if len(candidates) == 1 else None
            if pk is not None:
                self._claimed.add(pk)
        if pk is None:
            return None
        return Volunteer.objects.filter(pk=pk).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.pool = self.pool
        instance.source = self.pool.source
        instance.status = instance.status or Status.ACTIVE
        instance.email = (instance.email or "").strip().lower()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        if skip:  # unchanged: not saved, but this row has found its person all the same
            self._written(instance, row)
        return skip

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._written(instance, row)

    def _written(self, instance, row):
        self._in_file.setdefault(self._row_key(row), instance.pk)
        self._claimed.add(instance.pk)
