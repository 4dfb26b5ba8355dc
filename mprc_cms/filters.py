"""The filters of a public list: in the URL (GET), so that a filtered list can be shared
and works without JavaScript. Render with ``includes/filter_form.html``.

A value that makes no sense (an unknown category, a word too long…) is reported next to
its field and ignored, never an error page.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


class FilterForm(forms.Form):
    """Words to look for; subclasses add their own filters and ``apply`` them."""

    q = forms.CharField(label=_("Words to look for"), required=False, max_length=MAX_QUERY_LENGTH)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def valid_data(self):
        """The values that are valid; the others are reported on their field and ignored."""
        self.is_valid()
        for name in self.errors:
            if name in self.fields:
                # The error is shown next to the field under this id (filter_form.html);
                # Django's default reference ("id_<name>_error") would point at nothing.
                self.fields[name].widget.attrs["aria-describedby"] = f"filter-{name}-error"
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}

    def apply(self, queryset, data):
        return queryset


def query_string_without_page(request):
    """The list's filters as a query string, for the links to its other pages."""
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return query_string.urlencode()
