from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import HeaderButton

from .registry import get_import, import_url_for_user


class ImportButtonMixin:
    """For a viewset's IndexView: “Import” (and “Export” for an exportable registration)
    buttons in the listing's header when the model is registered with ``register_import``
    and the user may import it."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        url = import_url_for_user(self.model, self.request.user)
        if url:
            buttons.append(HeaderButton(_("Import"), url=url, icon_name="upload", priority=20))
            export_url = get_import(self.model).get_export_url()
            if export_url:
                buttons.append(
                    HeaderButton(_("Export"), url=export_url, icon_name="download", priority=21)
                )
        return buttons
