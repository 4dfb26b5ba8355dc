from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MprcCmsConfig(AppConfig):
    name = "mprc_cms"
    verbose_name = _("MPRC platform")

    def ready(self):
        from . import checks
        from .modules import require_dependencies

        # A module running without one it requires stops the start-up at once, whatever
        # the command; the other declaration errors are system checks (mprc_cms/checks.py).
        require_dependencies()
        checks.register()

        # A follower stopped or erased: the e-mails queued for the address go too.
        from django.db.models.signals import post_delete

        from .erasure import erase_traces
        from .models import Follower

        post_delete.connect(erase_traces, sender=Follower, dispatch_uid="mprc_cms.follower.erase")

        # Every change of what a public page shows purges it from the page cache.
        from . import page_cache

        page_cache.connect()
        # Wagtail's .public() asks the database for the view restrictions on each call;
        # the page cache keeps them as a memo of every change.
        from wagtail.query import PageQuerySet

        PageQuerySet.private_q = page_cache.private_q
