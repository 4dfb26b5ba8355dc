"""The admin's forms of a draw: preparing it, its quotas, and each later step."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from mprc_cms.communes import communes_for_user, subtree_condition

from .choices import Source
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


class PublishForm(forms.Form):
    randomness_source = forms.CharField(
        label=_("Public source of randomness"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Draw._meta.get_field("randomness_source").help_text,
    )


class RandomnessForm(forms.Form):
    randomness = forms.CharField(
        label=_("The randomness, exactly as published"),
        max_length=500,
        help_text=_("E.g. “7 19 23 38 44” for the numbers of a lottery draw, in the order drawn."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I have checked it against the public source: the draw is final and cannot be redone."
        ),
        error_messages={"required": _("Tick the box to confirm the randomness.")},
    )


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
