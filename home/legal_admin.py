"""The admin screen of the sites' legal information (Settings › Legal information).

Each site (the network, each commune) has one :class:`~home.models.LegalInformation`,
created with it: nobody adds or deletes one. A commune's staff edit their communes' (a
guessed id answers 404, as for every commune's record), the network's coordinators the
network's and every commune's. Every field left empty shows, as its placeholder, the
default the public pages use instead.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface

from mprc_cms.admin_messages import FEMININE_PLURAL
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    communes_for_user,
    is_network_coordinator,
)

from .legal import SiteFacts
from .models import LegalInformation, NetworkHomePage


class LegalInformationPolicy(CommuneScopedPermissionPolicy):
    """Commune staff: their communes' legal information; coordinators: the network's too.
    Never added nor deleted by hand."""

    def __init__(self, model):
        super().__init__(model, commune_field="page")

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return super().user_has_permission(user, action)

    def _site_ids(self, user):
        ids = set(communes_for_user(user).values_list("pk", flat=True))
        if is_network_coordinator(user):
            ids |= set(NetworkHomePage.objects.values_list("pk", flat=True))
        return ids

    def scope(self, queryset, user):
        return queryset.filter(page_id__in=self._site_ids(user))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        return instance.page_id is not None and instance.page_id in self._site_ids(user)


# Fields whose placeholder shows the value used when they are left empty.
DEFAULTS = {
    "publisher_name": lambda facts: facts.publisher.name,
    "publisher_address": lambda facts: facts.publisher.address,
    "publisher_phone": lambda facts: facts.publisher.phone,
    "publisher_email": lambda facts: facts.publisher.email,
    "publication_director": lambda facts: facts.director,
    "host_name": lambda facts: facts.network.host_name if facts.is_commune else "",
    "host_address": lambda facts: facts.network.host_address if facts.is_commune else "",
    "host_phone": lambda facts: facts.network.host_phone if facts.is_commune else "",
    "dpo_name": lambda facts: facts.network.dpo_name if facts.is_commune else "",
    "dpo_email": lambda facts: facts.network.dpo_email if facts.is_commune else "",
    "dpo_address": lambda facts: facts.network.dpo_address if facts.is_commune else "",
    "accessibility_email": lambda facts: facts.accessibility_email,
    # mprc_cms.tasks.sender: the commune's or the network's name.
    "email_sender_name": lambda facts: facts.root.title,
}


class LegalInformationForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.page_id:
            return
        # What the public pages say when a field is left empty, computed without the
        # instance's own values.
        root = self.instance.page.specific
        facts = SiteFacts.of(root)
        facts.info = LegalInformation(page_id=root.pk)
        if facts.network.page_id == root.pk:
            facts.network = facts.info
        for name, default in DEFAULTS.items():
            value = default(facts)
            if name in self.fields and value:
                self.fields[name].widget.attrs["placeholder"] = value


class LegalInformationViewSet(CommuneScopedViewSet):
    model = LegalInformation
    noun_gender = FEMININE_PLURAL  # «informations légales»
    icon = "info-circle"
    menu_label = _("Legal information")
    add_to_settings_menu = True
    menu_order = 150
    list_display = ["__str__", "updated_at"]
    ordering = ["page__path"]
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("publisher_name"),
                            FieldPanel("publisher_address"),
                            FieldPanel("publisher_phone"),
                            FieldPanel("publisher_email"),
                            FieldPanel("publisher_registration"),
                            FieldPanel("publication_director"),
                        ],
                        heading=_("Publisher"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("host_name"),
                            FieldPanel("host_address"),
                            FieldPanel("host_phone"),
                        ],
                        heading=_("Host"),
                    ),
                    FieldPanel("legal_notice_text"),
                    MultiFieldPanel([FieldPanel("email_sender_name")], heading=_("E-mails")),
                ],
                heading=_("Legal notice"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("dpo_name"),
                            FieldPanel("dpo_email"),
                            FieldPanel("dpo_address"),
                        ],
                        heading=_("Data protection officer"),
                    ),
                    FieldPanel("privacy_text"),
                ],
                heading=_("Personal data"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("accessibility_audit_date"),
                            FieldPanel("accessibility_auditor"),
                            FieldPanel("accessibility_rate"),
                            FieldPanel("accessibility_sample"),
                            FieldPanel("accessibility_environment"),
                            FieldPanel("accessibility_tools"),
                            FieldPanel("accessibility_declared_on"),
                        ],
                        heading=_("Audit"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("accessibility_non_compliant"),
                            FieldPanel("accessibility_derogations"),
                            FieldPanel("accessibility_exempt"),
                        ],
                        heading=_("Content that is not accessible"),
                    ),
                    FieldPanel("accessibility_email"),
                    FieldPanel("accessibility_text"),
                ],
                heading=_("Accessibility"),
            ),
        ],
        base_form_class=LegalInformationForm,
    )
