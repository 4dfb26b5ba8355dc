"""Phone numbers typed by residents, however they write them."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


def phone_key(phone):
    """The digits of a French phone number, in national form: +33 6 12… → 0612…"""
    digits = re.sub(r"\D", "", str(phone or ""))
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def clean_phone(value):
    """A form's phone answer with its spaces tidied, or a French error; "" when empty."""
    value = " ".join((value or "").split())
    if not value:
        return ""
    digits = phone_key(value)
    if not 10 <= len(digits) <= 15 or not digits.isdigit():
        raise forms.ValidationError(
            _("Enter a valid phone number, e.g. 06 12 34 56 78."), code="invalid_phone"
        )
    return value
