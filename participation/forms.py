"""The public forms: signing up, correcting one's data, asking for one's link again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mprc_cms.forms import EmailRequestForm, HoneypotMixin, PublicFormMixin
from mprc_cms.phones import clean_phone

from .choices import MAXIMUM_AGE, MINIMUM_AGE, Availability, Gender, SocialCategory
from .models import DETAIL_FIELDS


class VolunteerDetailsForm(PublicFormMixin, forms.Form):
    """What the draw needs about a person; the page's settings switch questions off."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("To confirm your sign-up. No e-mail? Give a phone number instead."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        help_text=_("Only the year: the draw uses age bands."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    hamlet = forms.ChoiceField(label=_("Where do you live?"))
    social_category = forms.ChoiceField(
        label=_("Socio-professional category"),
        help_text=_("Your current or, if retired, your last occupation (INSEE categories)."),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        help_text=_("Only used to draw at most one person per household."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually available?"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(
            min=year - MAXIMUM_AGE, max=year - getattr(page, "minimum_age", MINIMUM_AGE)
        )
        self.fields["social_category"].choices = [("", _("Choose…")), *SocialCategory.choices]
        hamlets = page.hamlets()
        self.fields["hamlet"].choices = [("", _("Choose…")), *[(h, h) for h in hamlets]]
        asked = {
            "birth_year": page.ask_birth_year,
            "gender": page.ask_gender,
            "hamlet": bool(hamlets),
            "social_category": page.ask_social_category,
            "address": page.ask_address,
            "availability": page.ask_availability,
        }
        for name, is_asked in asked.items():
            if not is_asked:
                del self.fields[name]

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip().lower()

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        year = timezone.localdate().year
        minimum = getattr(self.page, "minimum_age", MINIMUM_AGE)
        if value > year - minimum:
            raise forms.ValidationError(
                _("You must be at least %(age)s years old this year to sign up."),
                params={"age": minimum},
                code="too_young",
            )
        if value < year - MAXIMUM_AGE:
            raise forms.ValidationError(_("Please check your year of birth."), code="too_old")
        return value

    def clean(self):
        cleaned = super().clean()
        has_contact = cleaned.get("email") or cleaned.get("phone")
        if not has_contact and not self.has_error("email") and not self.has_error("phone"):
            # Tied to the e-mail field, so that it is marked and announced with it.
            self.add_error(
                "email",
                forms.ValidationError(
                    _("Give an e-mail address or a phone number, so that we can reach you."),
                    code="no_contact",
                ),
            )
        return cleaned

    def details(self):
        """The cleaned answers, as Volunteer field values."""
        data = self.cleaned_data
        return {name: data[name] for name in DETAIL_FIELDS if name in self.fields}


class SignupForm(HoneypotMixin, VolunteerDetailsForm):
    consent = forms.BooleanField(label=_("I have read the text above and I agree to it."))
    # The version of the consent text the person read, so that the record names it.
    consent_version = forms.CharField(widget=forms.HiddenInput)

    # "I live in the commune": asked unless anyone may sign up; not kept.
    lives_here = forms.BooleanField(
        label="",
        error_messages={
            "required": _("Only the people this sign-up is for may sign up: tick the box.")
        },
    )

    def __init__(self, *args, consent_digest, **kwargs):
        super().__init__(*args, **kwargs)
        statement = self.page.residence_statement()
        if statement:
            self.fields["lives_here"].label = statement
        else:
            del self.fields["lives_here"]
        self.consent_digest = consent_digest
        self.fields["consent_version"].initial = consent_digest
        # Honeypot last, after the consent box.
        self.order_fields([*[n for n in self.fields if n != "website"], "website"])

    def clean_consent_version(self):
        value = self.cleaned_data["consent_version"]
        if value != self.consent_digest:
            raise forms.ValidationError(
                _(
                    "The consent text has just changed. Please read it again below and tick "
                    "the box once more."
                ),
                code="consent_changed",
            )
        return value

    def full_clean(self):
        super().full_clean()
        if "consent_version" in self.errors:
            # Shown as a message above the form: the hidden field cannot show it.
            self.add_error(None, self.errors.pop("consent_version"))
            # Ask for a fresh agreement to the text now shown.
            data = self.data.copy()
            data.pop(self.add_prefix("consent"), None)
            data[self.add_prefix("consent_version")] = self.consent_digest
            self.data = data


class CorrectionForm(VolunteerDetailsForm):
    """The same questions, for a volunteer to correct what the list holds about them."""


class LinkRequestForm(EmailRequestForm):
    help_text = _("The address you signed up with.")
