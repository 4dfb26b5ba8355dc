"""The public form of the micro-parliament: answering an invitation after a draw."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mprc_cms.forms import PublicFormMixin

ACCEPT = "accept"
DECLINE = "decline"


class InvitationAnswerForm(PublicFormMixin, forms.Form):
    """Accept or decline (the form's two submit buttons send ``answer``); when accepting, the
    person chooses whether their name appears on the public page, and which name."""

    show_name = forms.BooleanField(
        label=_("Show my name on the public page"),
        required=False,
        help_text=_("Otherwise the page shows “Resident drawn by lot” in place of your name."),
    )
    public_name = forms.CharField(
        label=_("Name to show"),
        max_length=150,
        required=False,
        help_text=_("For example your first name and the initial of your last name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Sent by the button pressed; not rendered as a field.
    answer = forms.ChoiceField(
        choices=[(ACCEPT, _("I accept")), (DECLINE, _("I decline"))],
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_public_name(self):
        return " ".join(self.cleaned_data.get("public_name", "").split())

    def clean(self):
        cleaned = super().clean()
        if "answer" in self.errors or cleaned.get("answer") not in (ACCEPT, DECLINE):
            self.errors.pop("answer", None)
            raise forms.ValidationError(
                _("Choose whether you accept or decline the invitation."), code="no_answer"
            )
        if (
            cleaned["answer"] == ACCEPT
            and cleaned.get("show_name")
            and not cleaned.get("public_name")
        ):
            self.add_error("public_name", _("Give the name to show, or untick the box above."))
        return cleaned

    @property
    def accepts(self):
        return self.cleaned_data.get("answer") == ACCEPT
