"""The form residents follow a page with (``mprc_cms.following``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import HoneypotMixin, PublicFormMixin
from .models import FollowFrequency


class FollowForm(HoneypotMixin, PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Only to tell you what happens here. One click to stop, in every e-mail."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=FollowFrequency.choices,
        initial=FollowFrequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
