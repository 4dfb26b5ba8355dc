"""The call's public forms: proposing and changing a need, supporting one, the lost-link
request, and the list's filters. Every answer is kept as plain text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mprc_cms.filters import FilterForm
from mprc_cms.forms import EmailRequestForm, HoneypotMixin, PublicFormMixin, check_links
from mprc_cms.text import plain_text

from .models import NeedKind

# The «Other» theme in the forms and filters (no category).
OTHER = "autre"


def _theme_choices(call, empty_label, themes=None):
    themes = call.theme_choices() if themes is None else themes
    choices = [("", empty_label)] if empty_label is not None else []
    for theme in themes:
        if theme is None:
            choices.append((OTHER, _("Other")))
        else:
            choices.append((theme.slug, theme.name))
    return choices, {theme.slug: theme for theme in themes if theme is not None}


class NeedForm(PublicFormMixin, forms.Form):
    """What a need says; the author's e-mail is asked only when proposing."""

    kind = forms.ChoiceField(
        label=_("You propose"),
        choices=NeedKind.choices,
        initial=NeedKind.NEED,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("In a few words"),
        min_length=5,
        max_length=120,
        help_text=_("E.g. “A bus to the Thursday market”, “A shared garden near the school”."),
    )
    description = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Optional: what you live, what is missing, what would help. Plain text; 1,500 "
            "characters at most."
        ),
    )
    theme = forms.ChoiceField(label=_("Theme"))
    hamlet = forms.ChoiceField(label=_("Hamlet or part of the commune"), required=False)
    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=60,
        required=False,
        help_text=_("Optional. Shown with your proposal."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    wants_outcome = forms.BooleanField(
        label=_("Tell me what becomes of my proposal"), required=False, initial=True
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        choices, self.themes = _theme_choices(call, _("Choose…"))
        self.fields["theme"].choices = choices
        hamlets = call.hamlet_choices()
        if hamlets:
            self.fields["hamlet"].choices = [("", _("Not said")), *[(h, h) for h in hamlets]]
        else:
            del self.fields["hamlet"]

    def clean_title(self):
        return check_links(plain_text(self.cleaned_data["title"]))

    def clean_description(self):
        return check_links(plain_text(self.cleaned_data.get("description"), multiline=True))

    def clean_first_name(self):
        return plain_text(self.cleaned_data.get("first_name"))

    def clean_theme(self):
        value = self.cleaned_data["theme"]
        return None if value == OTHER else self.themes[value]

    def details(self):
        """The cleaned answers, as Need field values."""
        from .calls import DETAIL_FIELDS

        data = self.cleaned_data
        details = {name: data[name] for name in DETAIL_FIELDS if name in self.fields}
        details.setdefault("hamlet", "")
        return details

    @classmethod
    def initial_for(cls, need):
        from .calls import DETAIL_FIELDS

        initial = {name: getattr(need, name) for name in DETAIL_FIELDS}
        initial["theme"] = need.theme.slug if need.theme_id else OTHER
        return initial


class ProposeForm(HoneypotMixin, NeedForm):
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_(
            "Never shown: to confirm your proposal, send you the link to change it and tell "
            "you what becomes of it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the town hall keeps these answers for the call for needs; my "
            "first name and e-mail are erased one year after the call closes."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = list(self.fields)
        for name in ("email", "wants_outcome", "consent", "website"):
            order.remove(name)
        self.order_fields([*order, "email", "wants_outcome", "consent", "website"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class SupportForm(HoneypotMixin, PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_(
            "Never shown: we send you a link to confirm your support, so that each person "
            "counts once."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class LinkRequestForm(EmailRequestForm):
    help_text = _("The address you proposed with.")


SORT_RECENT = "recent"


class NeedFilterForm(FilterForm):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    hamlet = forms.ChoiceField(label=_("Hamlet"), required=False)
    tri = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Most supported first")), (SORT_RECENT, _("Newest first"))],
    )

    def __init__(self, data, *, call, themes=None, **kwargs):
        """``themes``: the call's ``theme_choices()`` when already read."""
        super().__init__(data, **kwargs)
        del self.fields["q"]
        choices, self.themes = _theme_choices(call, _("All themes"), themes)
        self.fields["theme"].choices = choices
        hamlets = call.hamlet_choices()
        if hamlets:
            self.fields["hamlet"].choices = [("", _("Everywhere")), *[(h, h) for h in hamlets]]
        else:
            del self.fields["hamlet"]

    def apply(self, queryset, data):
        theme = data.get("theme")
        if theme == OTHER:
            queryset = queryset.filter(theme=None)
        elif theme:
            queryset = queryset.filter(theme=self.themes[theme])
        if data.get("hamlet"):
            queryset = queryset.filter(hamlet=data["hamlet"])
        return queryset
