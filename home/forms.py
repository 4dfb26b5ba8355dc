from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .models import CommunePage, insee_code_taken, same_name_warning
from .onboarding import communes_named
from .validators import validate_hostname, validate_insee_code, validate_postcode


class CodeField(forms.CharField):
    """An official code: surrounding spaces dropped, letters upper-cased (2a004 → 2A004)."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CommuneCreationForm(forms.Form):
    """What a coordinator gives to create a commune (admin form and command alike)."""

    name = forms.CharField(label=_("Name of the commune"), max_length=255)
    insee_code = CodeField(
        label=_("INSEE code"),
        max_length=5,
        validators=[validate_insee_code],
        help_text=_("Five characters, e.g. 71270 (or 2A004 in Corsica)."),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=5, validators=[validate_postcode])
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)
    epci = forms.CharField(label=_("Intercommunality (EPCI)"), max_length=200, required=False)
    hostname = forms.CharField(
        label=_("Own host name (optional)"),
        max_length=253,
        required=False,
        help_text=_(
            "Only if the commune has its own address, e.g. mairie-exemple.fr. "
            "Otherwise it lives under the network's address."
        ),
    )

    same_name = forms.BooleanField(
        label=_("Create it anyway"),
        required=False,
        help_text=_("Tick it if this is another commune of the same name."),
    )

    def __init__(self, *args, allow_existing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_existing = allow_existing
        self.namesakes = []
        # The confirmation is only offered once a name already used was typed.
        if not self.is_bound or not communes_named(self.data.get("name", "")):
            self.fields.pop("same_name")

    def clean_insee_code(self):
        code = self.cleaned_data["insee_code"]
        existing = CommunePage.objects.filter(insee_code=code).first()
        if not self.allow_existing and existing is not None:
            raise forms.ValidationError(insee_code_taken(existing), code="exists")
        return code

    def clean(self):
        cleaned_data = super().clean()
        name, code = cleaned_data.get("name"), cleaned_data.get("insee_code")
        if name and code:
            # With allow_existing, the commune of this INSEE code is no namesake: creating
            # it again changes nothing.
            self.namesakes = [c for c in communes_named(name) if c.insee_code != code]
            if self.namesakes and not cleaned_data.get("same_name"):
                self.add_error("name", same_name_warning(self.namesakes))
        cleaned_data.pop("same_name", None)
        return cleaned_data

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the name of the commune."), code="required")
        return name

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower()
        if not hostname:
            return ""
        validate_hostname(hostname)
        if Site.objects.filter(hostname=hostname).exists():
            raise forms.ValidationError(
                _("The host name %(host)s is already used by another site."),
                code="hostname_taken",
                params={"host": hostname},
            )
        return hostname
