"""The admin's forms of a draw: preparing it, its quotas, and each later step."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

import sortition
from mprc_cms.communes import communes_for_user, subtree_condition
from participation.api import Source
from sortition.publication import canonical_randomness_of

from .models import Category, Draw, MicroParliamentPage, ParliamentMember
from .models.draws import SOURCE_CATEGORY


def micro_parliaments_for(user):
    """The micro-parliament pages a user's draws may belong to: those under the user's
    communes, and the shared ones that serve one of them."""
    communes = communes_for_user(user)
    condition = Q(communes__in=communes) | subtree_condition(
        communes.values_list("path", flat=True)
    )
    return MicroParliamentPage.objects.filter(condition).distinct().order_by("title")


def serves(parliament, commune):
    """Whether a micro-parliament serves a commune (True when either is not chosen yet)."""
    if parliament is None or commune is None:
        return True
    return commune.pk in {c.pk for c in parliament.specific.served_communes()}


class DrawAdminForm(WagtailAdminModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories to balance"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The panel will have about the pool's share of each value of these categories. "
            "Only the answers people gave are used; “not given” is a value of its own."
        ),
    )

    class Meta:
        model = Draw
        fields = [
            "commune",
            "micro_parliament",
            "title",
            "panel_size",
            "include_volunteer_list",
            "pools",
            "categories",
            "cap_highest",
        ]
        widgets = {"pools": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = kwargs.get("for_user")
        if user is not None:
            self.fields["micro_parliament"].queryset = micro_parliaments_for(user)
        for source in (Source.VOLUNTEER_LIST, Source.ELECTORAL_ROLL, Source.LAND_REGISTER):
            name = f"seats_{source.value}"
            self.fields[name] = forms.IntegerField(
                label=_("Seats for: %(source)s") % {"source": source.label},
                required=False,
                min_value=0,
                max_value=500,
                initial=(self.instance.seats_per_source or {}).get(source.value),
                help_text=_("Leave empty to let seats go to any source."),
            )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        pools = cleaned.get("pools")
        parliament = cleaned.get("micro_parliament")
        if commune is not None and any(pool.commune_id != commune.pk for pool in pools or []):
            self.add_error("pools", _("Choose lists of the draw's commune only."))
        if not serves(parliament, commune):
            self.add_error(
                "micro_parliament",
                _("This micro-parliament does not serve the commune of the draw."),
            )
        if not cleaned.get("include_volunteer_list") and not pools:
            self.add_error(
                None, _("Choose the volunteer list, a list imported from a file, or both.")
            )
        seats = {}
        for source in (Source.VOLUNTEER_LIST, Source.ELECTORAL_ROLL, Source.LAND_REGISTER):
            value = cleaned.get(f"seats_{source.value}")
            if value is not None:
                seats[source.value] = value
        used = set()
        if cleaned.get("include_volunteer_list"):
            used.add(Source.VOLUNTEER_LIST.value)
        used |= {pool.source for pool in pools or []}
        unused = [s for s, n in seats.items() if n and s not in used]
        if unused:
            self.add_error(
                None,
                _("Seats are set for “%(source)s”, but no list of this source is chosen.")
                % {"source": Source(unused[0]).label},
            )
        size = cleaned.get("panel_size")
        if seats and size is not None and sum(seats.values()) != size:
            self.add_error(
                None,
                _(
                    "The seats per source add up to %(total)s, but %(size)s seats are to be "
                    "drawn. Fill them in for every source used, or leave them all empty."
                )
                % {"total": sum(seats.values()), "size": size},
            )
        self.seats_per_source = seats
        return cleaned

    def save(self, commit=True):
        self.instance.seats_per_source = getattr(self, "seats_per_source", {})
        # Quotas proposed before were for the old settings.
        if self.instance.pk and self.has_changed():
            self.instance.quotas = []
        return super().save(commit=commit)


class QuotaForm(forms.Form):
    """The minimum and maximum of every value, beside its count in the pool."""

    def __init__(self, *args, rows, panel_size, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.panel_size = panel_size
        for index, row in enumerate(rows):
            fixed = row["category"] == SOURCE_CATEGORY
            for bound in ("min", "max"):
                label = _("Minimum") if bound == "min" else _("Maximum")
                self.fields[f"{bound}_{index}"] = forms.IntegerField(
                    label=f"{label} — {row['category_label']} : {row['value_label']}",
                    min_value=0,
                    max_value=panel_size,
                    initial=row[bound],
                    disabled=fixed,
                    error_messages={
                        "required": _("Give a number (0 if none)."),
                        "invalid": _("Give a whole number."),
                    },
                )
            row["min_field"] = self[f"min_{index}"]
            row["max_field"] = self[f"max_{index}"]

    def clean(self):
        cleaned = super().clean()
        quotas = []
        for index, row in enumerate(self.rows):
            low, high = cleaned.get(f"min_{index}"), cleaned.get(f"max_{index}")
            if low is None or high is None:
                continue
            if low > high:
                self.add_error(
                    f"max_{index}",
                    _("The maximum (%(max)s) is below the minimum (%(min)s).")
                    % {"max": high, "min": low},
                )
            if low > row["count"]:
                self.add_error(
                    f"min_{index}",
                    _("Only %(count)s people of the pool have this value.")
                    % {"count": row["count"]},
                )
            quotas.append(
                {"category": row["category"], "value": row["value"], "min": low, "max": high}
            )
        self.quotas = quotas
        return cleaned


RANDOMNESS_KINDS = [
    (
        "loto",
        _("Loto (FDJ): 5 numbers from 1 to 49, then the chance number from 1 to 10"),
    ),
    (
        "euromillions",
        _("EuroMillions: 5 numbers from 1 to 50, then 2 stars from 1 to 12"),
    ),
    (
        "eurodreams",
        _("EuroDreams: 6 numbers from 1 to 40, then the dream number from 1 to 5"),
    ),
    ("keno", _("Keno (FDJ): 20 numbers from 1 to 70")),
    ("dice", _("Dice thrown one after the other at a public meeting")),
]


class PublishForm(forms.Form):
    """The public randomness the draw commits to: which public draw (or dice), and when."""

    randomness_kind = forms.ChoiceField(
        label=_("Public randomness"),
        choices=RANDOMNESS_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the public randomness.")},
    )
    dice = forms.IntegerField(
        label=_("Number of throws (dice with six faces)"),
        required=False,
        min_value=sortition.randomness.DICE_MIN,
        max_value=sortition.randomness.DICE_MAX,
        help_text=_(
            "Only for dice: how many throws, one after the other, each giving a number from 1 "
            "to 6. Ten throws or more are recommended."
        ),
    )
    randomness_source = forms.CharField(
        label=_("Which draw, when and where"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "E.g. “the Loto draw of Saturday 12 December 2026” or “dice thrown at the public "
            "meeting of 5 December 2026 at the town hall, by two residents”."
        ),
    )
    reviewed = forms.BooleanField(
        label=_("I have read what will be public, above."),
        error_messages={"required": _("Tick the box once you have read what will be public.")},
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("randomness_kind")
        if kind == "dice" and cleaned.get("dice") is None and "dice" not in self.errors:
            self.add_error("dice", _("Give the number of throws."))
        return cleaned

    @property
    def randomness_format(self):
        kind = self.cleaned_data["randomness_kind"]
        if kind == "dice":
            return sortition.dice_format(self.cleaned_data["dice"])
        return sortition.public_draw_format(kind)


class RandomnessForm(forms.Form):
    """The outcome of the announced public randomness, parsed against its committed format."""

    randomness = forms.CharField(
        label=_("The result of the public draw"),
        max_length=sortition.randomness.MAX_TEXT,
    )
    confirm = forms.BooleanField(
        label=_(
            "I have checked it against the public source: the draw is final and cannot be redone."
        ),
        error_messages={"required": _("Tick the box to confirm the randomness.")},
    )

    def __init__(self, *args, lottery, **kwargs):
        super().__init__(*args, **kwargs)
        self.lottery = lottery
        spec = lottery.get("randomness_format")
        if spec:
            self.fields["randomness"].help_text = _(
                "Expected: %(format)s, for instance “%(example)s”. Spaces, commas or dashes "
                "between the numbers: any spelling gives the same panel."
            ) % {
                "format": sortition.describe_format(spec),
                "example": sortition.randomness.example(spec),
            }

    def clean_randomness(self):
        value = self.cleaned_data["randomness"]
        try:
            self.canonical = canonical_randomness_of(self.lottery, value)
        except sortition.SortitionError as error:
            raise forms.ValidationError(str(error)) from error
        return value


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the public draw page if the draw was published, and kept in the history."
        ),
    )


class UnreachableForm(forms.Form):
    """Someone invited could not be reached: the last day they may still answer."""

    answer_by = forms.DateField(
        label=_("May answer until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("After this day, the seat goes to the next alternate."),
        error_messages={"required": _("Give the last day to answer.")},
    )


class ParliamentMemberAdminForm(WagtailAdminModelForm):
    class Meta:
        model = ParliamentMember
        fields = [
            "commune",
            "micro_parliament",
            "name",
            "role",
            "organisation",
            "show_name",
            "joined_on",
            "left_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = kwargs.get("for_user")
        if user is not None:
            self.fields["micro_parliament"].queryset = micro_parliaments_for(user)

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        parliament = cleaned.get("micro_parliament")
        if not serves(parliament, commune):
            self.add_error(
                "micro_parliament",
                _("This micro-parliament does not serve the member's commune."),
            )
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("A member cannot leave before joining."))
        return cleaned
