"""The board's forms: posting and changing a post, answering it, reporting it, the digest,
and the board's filters. Every answer is kept as plain text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mprc_cms.channels import STAFF_CHANNELS
from mprc_cms.filters import FilterForm
from mprc_cms.forms import EmailRequestForm, HoneypotMixin, PublicFormMixin, check_links
from mprc_cms.phones import clean_phone
from mprc_cms.text import plain_text, search_folded

from .models import Kind, ListingStatus, ReportReason, ServiceCategory

MAX_LINKS = 2


def _check_links(value):
    return check_links(value, MAX_LINKS)


class ListingForm(PublicFormMixin, forms.Form):
    """What a post says; the poster's e-mail is asked only when posting."""

    kind = forms.ChoiceField(
        label=_("You"),
        choices=[(Kind.OFFER, _("offer help")), (Kind.REQUEST, _("are looking for help"))],
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ServiceCategory.objects.all(), empty_label=_("Choose…")
    )
    title = forms.CharField(
        label=_("Title"),
        min_length=5,
        max_length=100,
        help_text=_("In a few words, e.g. “Lift to the Thursday market”."),
    )
    description = forms.CharField(
        label=_("Description"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What, where, how often. Plain text; 2,000 characters at most."),
    )
    hamlet = forms.ChoiceField(label=_("Hamlet or part of the commune"), required=False)
    availability = forms.CharField(
        label=_("When?"),
        required=False,
        max_length=200,
        help_text=_("E.g. “Saturday mornings”, “once a week”, “from April to June”."),
    )
    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=60,
        help_text=_("Shown on the post."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        help_text=_("Optional. Shown only if you tick the box below."),
    )
    show_phone = forms.BooleanField(label=_("Show my phone number on the post"), required=False)

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        hamlets = page.hamlets()
        if hamlets:
            self.fields["hamlet"].choices = [("", _("Not said")), *[(h, h) for h in hamlets]]
        else:
            del self.fields["hamlet"]

    def clean_title(self):
        return _check_links(plain_text(self.cleaned_data["title"]))

    def clean_description(self):
        return _check_links(plain_text(self.cleaned_data["description"], multiline=True))

    def clean_availability(self):
        return plain_text(self.cleaned_data.get("availability"))

    def clean_first_name(self):
        return plain_text(self.cleaned_data["first_name"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("show_phone") and not cleaned.get("phone") and not self.has_error("phone"):
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("Give the phone number to show, or untick the box."), code="no_phone"
                ),
            )
        return cleaned

    def details(self):
        """The cleaned answers, as ServiceListing field values."""
        from .listings import DETAIL_FIELDS

        data = self.cleaned_data
        details = {name: data[name] for name in DETAIL_FIELDS if name in self.fields}
        details.setdefault("hamlet", "")
        return details


class PostForm(HoneypotMixin, ListingForm):
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_(
            "Never shown: to confirm your post, pass on the answers and send you the link "
            "to change it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I accept the rules of the board, and that the town hall keeps these answers "
            "while my post is online and for one month after."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The e-mail with the other contact details; the honeypot last.
        order = list(self.fields)
        order.remove("email")
        order.insert(order.index("phone"), "email")
        order.remove("website")
        self.order_fields([*order, "website"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class StaffPostForm(ListingForm):
    """Staff post for a resident who phoned, wrote or came to the town hall: the same
    answers, an e-mail only if the resident has one, how the post reached the town hall,
    and the resident's agreement to the rules and the retention."""

    email = forms.EmailField(
        label=_("The resident’s e-mail"),
        required=False,
        help_text=_(
            "Optional. Never shown. Without it, answers to the post are sent to the town "
            "hall, which passes them on."
        ),
    )
    channel = forms.ChoiceField(
        label=_("How did the resident ask for this post?"), choices=STAFF_CHANNELS
    )
    consent = forms.BooleanField(
        label=_(
            "The resident accepts the rules of the board, and that the town hall keeps these "
            "answers while the post is online and for one month after."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("The resident")
        self.fields["kind"].choices = [
            (Kind.OFFER, _("offers help")),
            (Kind.REQUEST, _("is looking for help")),
        ]
        self.fields["first_name"].label = _("The resident’s first name")
        self.fields["show_phone"].label = _("Show the phone number on the post")
        order = list(self.fields)
        order.remove("email")
        order.insert(order.index("phone"), "email")
        self.order_fields(order)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


class ContactForm(HoneypotMixin, PublicFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("Given to the poster only, so that they can answer you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_name(self):
        return plain_text(self.cleaned_data["name"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_message(self):
        return _check_links(plain_text(self.cleaned_data["message"], multiline=True))


class ReportForm(HoneypotMixin, PublicFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: anything that helps the town hall understand."),
    )

    def clean_comment(self):
        return plain_text(self.cleaned_data.get("comment"), multiline=True)


class DigestForm(EmailRequestForm):
    help_text = _("Once a week, only when there are new posts. One click to stop.")


class LinkRequestForm(EmailRequestForm):
    help_text = _("The address you posted with.")


class BoardFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Offers or requests"),
        choices=[("", _("Offers and requests")), *Kind.choices],
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ServiceCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    hamlet = forms.ChoiceField(label=_("Hamlet"), required=False)

    def __init__(self, data, *, hamlets, **kwargs):
        super().__init__(data, **kwargs)
        if hamlets:
            self.fields["hamlet"].choices = [("", _("Everywhere")), *[(h, h) for h in hamlets]]
        else:
            del self.fields["hamlet"]

    def apply(self, queryset, data):
        for name in ("kind", "category", "hamlet"):
            if name in data:
                queryset = queryset.filter(**{name: data[name]})
        return search_folded(queryset, data.get("q", ""))


class ModerationForm(forms.Form):
    """Staff's decision on a post."""

    action = forms.ChoiceField(
        choices=[
            ("publish", _("Publish")),
            (ListingStatus.REJECTED, _("Reject")),
            (ListingStatus.HIDDEN, _("Hide")),
            ("dismiss", _("Keep it and close the reports")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason sent to the poster"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject or hide a post. Written to the poster by e-mail."),
    )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if (
            action in (ListingStatus.REJECTED, ListingStatus.HIDDEN)
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error(
                "reason",
                forms.ValidationError(
                    _("Tell the poster why: the reason is sent to them."), code="no_reason"
                ),
            )
        return cleaned
