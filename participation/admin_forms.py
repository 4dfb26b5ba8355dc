"""The admin's forms and filters for the people of the lists."""

import django_filters
from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm

from mprc_cms.communes import communes_for_user

from .choices import (
    STAFF_CONSENT_METHODS,
    Availability,
    Gender,
    SocialCategory,
    Source,
    Status,
    age_band_choices,
    birth_years_for_band,
)
from .models import DETAIL_FIELDS, Pool, Volunteer
from .registration import confirm, record_staff_consent
from .retention import default_retention_end


class VolunteerAdminForm(WagtailAdminModelForm):
    """Staff add a person by hand, correct one, set one aside, or confirm a sign-up on
    the person's word (consent given to the town hall)."""

    availability = forms.MultipleChoiceField(
        label=_("Availability"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_method = forms.ChoiceField(
        label=_("How did the person give consent?"),
        choices=[
            ("", _("Not yet")),
            *[(method.value, method.label) for method in STAFF_CONSENT_METHODS],
        ],
        required=False,
        help_text=_(
            "Once the person has agreed to be on the volunteer list with the commune's current "
            "consent text, say how they did; it is recorded with your name. Not needed for "
            "people of an imported list."
        ),
    )

    class Meta:
        model = Volunteer
        fields = [
            "commune",
            "pool",
            "status",
            "exclusion_reason",
            *DETAIL_FIELDS,
            "household",
            "retention_end",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.has_confirmed_consent():
            del self.fields["consent_method"]

    def has_confirmed_consent(self):
        return self.instance.consents.exclude(confirmed_at=None).exists()

    def clean(self):
        cleaned = super().clean()
        pool = cleaned.get("pool")
        status = cleaned.get("status")
        needs_consent = pool is None
        if (
            "consent_method" in self.fields
            and needs_consent
            and status == Status.ACTIVE
            and not cleaned.get("consent_method")
        ):
            self.add_error(
                "consent_method",
                _(
                    "A person is on the volunteer list only with their consent: say how they "
                    "gave it, or leave the status “Awaiting confirmation”."
                ),
            )
        if status == Status.EXCLUDED and not cleaned.get("exclusion_reason"):
            self.add_error("exclusion_reason", _("Say why the person is set aside from draws."))
        return cleaned

    def save(self, commit=True):
        volunteer = super().save(commit=False)
        created = volunteer.pk is None
        was_pending = (
            not created
            and Volunteer.objects.filter(pk=volunteer.pk, status=Status.PENDING).exists()
        )
        if created and volunteer.pool_id is None:
            volunteer.source = Source.MANUAL
        if volunteer.pool_id is None and volunteer.retention_end is None:
            volunteer.retention_end = default_retention_end(volunteer.commune)
        if commit:
            volunteer.save()
            self.save_m2m()
            method = self.cleaned_data.get("consent_method")
            if method:
                if was_pending and volunteer.status == Status.ACTIVE:
                    confirm(volunteer, user=self.for_user, method=method)
                else:
                    if volunteer.confirmed_at is None and volunteer.status == Status.ACTIVE:
                        volunteer.confirmed_at = timezone.now()
                        volunteer.save(update_fields=["confirmed_at"])
                    record_staff_consent(volunteer, self.for_user, method=method)
        return volunteer


class PoolAdminForm(WagtailAdminModelForm):
    class Meta:
        model = Pool
        fields = ["commune", "name", "source", "description", "retention_end"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


def _user_communes(request):
    return communes_for_user(request.user if request else None).order_by("title")


def _user_pools(request):
    return Pool.objects.filter(commune__in=_user_communes(request)).order_by("name")


class VolunteerFilterSet(WagtailFilterSet):
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=_user_communes)
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("person in a list", "Status"), choices=Status.choices
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    pool = django_filters.ModelChoiceFilter(label=_("List"), queryset=_user_pools)
    hamlet = django_filters.ChoiceFilter(label=_("Hamlet"), choices=[])
    age_band = django_filters.ChoiceFilter(
        label=_("Age band"), choices=age_band_choices(), method="filter_age_band"
    )
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    social_category = django_filters.ChoiceFilter(
        label=_("Socio-professional category"), choices=SocialCategory.choices
    )

    class Meta:
        model = Volunteer
        fields = ["commune", "status", "source", "pool", "hamlet", "gender", "social_category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hamlets = (
            Volunteer.objects.filter(commune__in=_user_communes(self.request))
            .exclude(hamlet="")
            .values_list("hamlet", flat=True)
            .distinct()
            .order_by("hamlet")
        )
        self.filters["hamlet"].extra["choices"] = [(h, h) for h in hamlets]

    def filter_age_band(self, queryset, name, value):
        years = birth_years_for_band(value)
        if years is None:
            return queryset
        return queryset.filter(birth_year__gte=years[0], birth_year__lte=years[1])


def pools_with_counts(queryset):
    return queryset.annotate(member_count=Count("members"))
