"""The staff's forms on needs: moderating one, answering it publicly, deciding its outcome,
and typing a need a resident handed in on paper, by phone or at the counter. Every answer
is kept as plain text."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mprc_cms.channels import STAFF_CHANNELS
from mprc_cms.communes import subtree_condition
from mprc_cms.printing import LetterAddressForm
from mprc_cms.text import plain_text
from parliament.api import ParliamentPriority, micro_parliaments_serving

from .models import CallForNeedsPage, Need, NeedKind, NeedStatus, Outcome

PUBLISH = "publish"
ANSWER = "answer"


class ModerationForm(forms.Form):
    """Staff's decision on a need: publish it, or reject or hide it with a reason."""

    action = forms.ChoiceField(
        choices=[
            (PUBLISH, _("Publish")),
            (NeedStatus.REJECTED, _("Reject")),
            (NeedStatus.HIDDEN, _("Hide")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason sent to the author"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to reject or hide a need. Written to the author by e-mail when they gave one."
        ),
    )

    def clean_reason(self):
        return plain_text(self.cleaned_data.get("reason"), multiline=True)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in (NeedStatus.REJECTED, NeedStatus.HIDDEN) and not cleaned.get("reason"):
            self.add_error(
                "reason",
                forms.ValidationError(
                    _("Tell the author why: the reason is sent to them."), code="no_reason"
                ),
            )
        return cleaned


class StaffAnswerForm(forms.Form):
    """The town hall's public answer, shown under the need."""

    staff_answer = forms.CharField(
        label=_("The town hall's answer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Public: shown under the need. Sent to the author by e-mail when they asked to "
            "know what becomes of it. Leave blank to remove the answer."
        ),
    )

    def clean_staff_answer(self):
        return plain_text(self.cleaned_data.get("staff_answer"), multiline=True)


def priority_choices(need):
    """The priorities a need may be kept for: those of the call's micro-parliament when it
    serves the need's commune, otherwise those of every micro-parliament serving it. Never
    a priority of a micro-parliament that does not serve the commune."""
    serving = micro_parliaments_serving([need.commune]).get(need.commune_id, [])
    pages = [page for page in serving if page.pk == need.call.micro_parliament_id] or serving
    return (
        ParliamentPriority.objects.filter(page__in=[page.pk for page in pages])
        .select_related("page")
        .order_by("page__title", "sort_order", "pk")
    )


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.page.title}"


class OutcomeForm(forms.Form):
    """What became of a need: kept for one of the micro-parliament's priorities, not kept
    (with the public reason), or still under consideration."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    priority = PriorityChoiceField(
        label=_("Priority of the micro-parliament"),
        queryset=ParliamentPriority.objects.none(),
        required=False,
        empty_label=_("Choose…"),
        help_text=_("Required when the need is kept."),
    )
    outcome_note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Public: shown on the need's page. Required when it is not kept (why); when "
            "kept, what was done."
        ),
    )

    def __init__(self, *args, need, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need
        self.fields["priority"].queryset = priority_choices(need)

    def clean_outcome_note(self):
        return plain_text(self.cleaned_data.get("outcome_note"), multiline=True)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if (
            outcome == Outcome.KEPT
            and cleaned.get("priority") is None
            and "priority" not in (self.errors)
        ):
            self.add_error(
                "priority",
                forms.ValidationError(
                    _("Choose the priority the need was kept for."), code="no_priority"
                ),
            )
        if outcome == Outcome.NOT_KEPT and not cleaned.get("outcome_note"):
            self.add_error(
                "outcome_note",
                forms.ValidationError(
                    _("Say why it was not kept: the reason is public."), code="no_reason"
                ),
            )
        if outcome != Outcome.KEPT:
            cleaned["priority"] = None
        return cleaned


def open_calls(communes, today=None):
    """The calls open today in ``communes`` (a queryset of CommunePage)."""
    today = today or timezone.localdate()
    paths = list(communes.values_list("path", flat=True))
    return (
        CallForNeedsPage.objects.live()
        .filter(subtree_condition(paths))
        .filter(opens_on__lte=today, closes_on__gte=today)
        .order_by("title")
    )


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        commune = obj.commune
        return f"{obj.title} — {commune.title}" if commune is not None else obj.title


class StaffEntryForm(forms.ModelForm):
    """A need a resident without internet handed in: typed by staff, published at once
    (no e-mail confirmation). The resident's first name is kept only when they agreed to
    see it shown."""

    call = CallChoiceField(
        label=_("Call for needs"), queryset=CallForNeedsPage.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=NeedKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), min_length=3, max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The resident's words. Plain text; 1,500 characters at most."),
    )
    hamlet = forms.CharField(
        label=_("Hamlet or part of the commune"),
        required=False,
        max_length=100,
        help_text=_("One of the call's hamlets, or blank."),
    )
    first_name = forms.CharField(
        label=_("Resident's first name"),
        required=False,
        max_length=60,
        help_text=_("Kept only if the resident agrees to see it shown under the need."),
    )
    show_first_name = forms.BooleanField(
        label=_("First name shown"),
        required=False,
        help_text=_("The resident agreed that their first name appears under the need."),
    )
    email = forms.EmailField(
        label=_("Resident's e-mail"),
        required=False,
        help_text=_(
            "Optional. Given: the resident receives their personal link by e-mail, and news "
            "of the need if they wish."
        ),
    )
    wants_outcome = forms.BooleanField(
        label=_("The resident wants to know what becomes of it"), required=False, initial=True
    )
    channel = forms.ChoiceField(label=_("Received"), choices=STAFF_CHANNELS)
    consent = forms.BooleanField(
        label=_(
            "The person agreed that the town hall records their need and publishes it on the "
            "call's page."
        ),
        required=True,
    )

    class Meta:
        model = Need
        fields = ["call", "kind", "title", "description", "theme", "hamlet", "email"]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = open_calls(communes)
        self.fields["theme"].empty_label = _("Other")
        self.fields["theme"].help_text = _("One of the call's themes, or «Other».")
        self.order_fields(
            [
                "call",
                "kind",
                "title",
                "description",
                "theme",
                "hamlet",
                "first_name",
                "show_first_name",
                "email",
                "wants_outcome",
                "channel",
                "consent",
            ]
        )

    def clean_title(self):
        title = plain_text(self.cleaned_data.get("title"))
        if len(title) < 3:
            raise forms.ValidationError(_("Give the need a title."), code="short")
        return title

    def clean_description(self):
        return plain_text(self.cleaned_data.get("description"), multiline=True)

    def clean_hamlet(self):
        return plain_text(self.cleaned_data.get("hamlet"))

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_first_name(self):
        return plain_text(self.cleaned_data.get("first_name"))

    def clean(self):
        cleaned = super().clean()
        call = cleaned.get("call")
        if call is None:
            return cleaned
        theme = cleaned.get("theme")
        if theme is not None and theme not in call.theme_choices():
            self.add_error(
                "theme",
                forms.ValidationError(_("This theme is not one of the call's."), code="theme"),
            )
        hamlet = cleaned.get("hamlet")
        if hamlet:
            known = {name.casefold(): name for name in call.hamlet_choices()}
            if known and hamlet.casefold() not in known:
                self.add_error(
                    "hamlet",
                    forms.ValidationError(
                        _("Choose one of the call's hamlets: %(hamlets)s."),
                        params={"hamlets": ", ".join(known.values())},
                        code="hamlet",
                    ),
                )
            elif known:
                cleaned["hamlet"] = known[hamlet.casefold()]
        return cleaned

    def fill(self, user, now=None):
        """Set on the unsaved need what staff typing it implies."""
        now = now or timezone.now()
        need = self.instance
        cleaned = self.cleaned_data
        need.commune = cleaned["call"].commune
        need.first_name = cleaned["first_name"] if cleaned.get("show_first_name") else ""
        need.wants_outcome = bool(cleaned.get("wants_outcome") and cleaned.get("email"))
        need.channel = cleaned["channel"]
        need.entered_by = user
        need.status = NeedStatus.PUBLISHED
        need.created_at = need.confirmed_at = need.published_at = now
        return need


class LetterForm(LetterAddressForm):
    """The letter's recipient and postal address: printed, never stored."""

    recipient = forms.CharField(label=_("Name on the letter"), required=False, max_length=120)

    field_order = ["recipient", "address"]

    def recipient_and_lines(self):
        if not self.is_valid():
            return "", []
        return plain_text(self.cleaned_data["recipient"]), self.lines()
