from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MprcCmsConfig(AppConfig):
    name = "mprc_cms"
    verbose_name = _("MPRC platform")
