from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitHit(models.Model):
    """One use of a rate-limited public action (see mprc_cms.ratelimit).

    ``key`` is a keyed hash of what is limited (an IP address, an e-mail address), never
    the value itself; hits older than their window are deleted as new ones arrive.
    """

    scope = models.CharField(_("scope"), max_length=60)
    key = models.CharField(_("key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("rate-limit hit")
        verbose_name_plural = _("rate-limit hits")
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self):
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"
