"""What every public form shares: errors tied to their field, and a honeypot."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"

_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def check_links(value, max_links=2):
    """``value``, unless it holds more than ``max_links`` web addresses (spam): then a
    validation error for the field."""
    if len(_LINK.findall(value)) > max_links:
        raise forms.ValidationError(
            _("Please give at most %(count)s web addresses."),
            params={"count": max_links},
            code="too_many_links",
        )
    return value


class PublicFormMixin:
    """Each field's help text and errors are announced with it (``aria-describedby``),
    and a field in error is marked ``aria-invalid``; render the fields with
    ``includes/form_field.html``."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            if name in self.errors:
                described_by.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


class HoneypotMixin:
    """A field people never see nor fill; robots that fill every field reveal themselves.

    Check ``form.is_spam()`` before anything else, and answer a robot as if all went well
    without storing anything.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def is_spam(self):
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]


class EmailRequestForm(HoneypotMixin, PublicFormMixin, forms.Form):
    """One e-mail address, e.g. to send a resident their personal links again; subclasses
    say which address in ``help_text``."""

    help_text = ""
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.help_text

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
