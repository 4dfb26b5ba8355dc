from django import forms
from django.utils.translation import gettext_lazy as _

from mprc_cms.communes import communes_for_user
from mprc_cms.sizes import file_size

from .reading import too_large_message

ENCODING_CHOICES = [
    ("utf-8", _("UTF-8 (LibreOffice, recent Excel “CSV UTF-8”, most programs)")),
    ("cp1252", _("Windows-1252 (older Excel on Windows, “CSV (semicolon separated)”)")),
]
ACCEPT = ",".join(
    [
        ".csv",
        ".xlsx",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    commune = forms.ModelChoiceField(
        queryset=None,
        label=_("Commune"),
        help_text=_("Every row of the file is added to this commune."),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=ENCODING_CHOICES,
        initial="utf-8",
        widget=forms.RadioSelect,
        help_text=_("Only for CSV files: an Excel workbook (.xlsx) needs no choice."),
    )

    def __init__(self, *args, user, definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.definition = definition
        self.single_commune = None
        self.fields["file"].help_text = _(
            "A CSV file or an Excel workbook (.xlsx), up to %(size)s."
        ) % {"size": file_size(definition.max_file_size)}
        self.options = definition.options
        if self.options is not None:
            self.fields.update(self.options.get_fields(user))
        if not definition.commune_scoped or getattr(self.options, "decides_commune", False):
            del self.fields["commune"]
            return
        communes = communes_for_user(user).order_by("title")
        field = self.fields["commune"]
        field.queryset = communes
        if len(communes[:2]) == 1:
            self.single_commune = communes.first()
            field.initial = self.single_commune.pk
            field.widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        cleaned["options"] = {}
        if self.options is None or self.errors:
            return cleaned
        try:
            cleaned["options"] = self.options.clean(cleaned, self.user)
        except forms.ValidationError as error:
            self.add_error(None, error)
            return cleaned
        if self.options.decides_commune:
            commune = self.options.get_commune(cleaned["options"])
            if commune is None or not communes_for_user(self.user).filter(pk=commune.pk).exists():
                self.add_error(None, _("You do not manage the commune of this choice."))
            cleaned["commune"] = commune
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = self.definition.max_file_size
        if upload.size > limit:
            raise forms.ValidationError(too_large_message(upload.size, limit))
        return upload
