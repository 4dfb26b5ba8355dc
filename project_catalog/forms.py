from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TemplateProposal


class AdoptForm(forms.Form):
    commune = forms.ModelChoiceField(
        queryset=None,
        label=_("Commune"),
        help_text=_("The draft project is created in this commune's projects page."),
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if len(communes[:2]) == 1:
            self.fields["commune"].initial = communes[0].pk


def _text(label, help_text):
    """An optional paragraph of text."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Propose"), choices=TemplateProposal.Kind.choices, widget=forms.RadioSelect
    )
    message = _text(
        _("Message to the coordinators"),
        _("What you would tell a commune that starts the same project."),
    )
    pitfalls = _text(_("Pitfalls you met"), _("One per line."))
    success_factors = _text(_("What made it work"), _("One per line."))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        if project.source_template is None:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in TemplateProposal.Kind.choices
                if value == TemplateProposal.Kind.NEW_TEMPLATE
            ]
            self.fields["kind"].initial = TemplateProposal.Kind.NEW_TEMPLATE
        else:
            self.fields["kind"].initial = TemplateProposal.Kind.NEW_VERSION


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Your answer to the commune"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the person who proposed it."),
    )
