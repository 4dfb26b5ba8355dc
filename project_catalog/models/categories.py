from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectCategory(models.Model):
    """A family of projects (car-pooling, shared gardens…), shared by the whole network.

    The ten families of the MPRC guide are created by a migration; network coordinators
    add more in the admin.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The category's name in web addresses and import files."),
    )
    description = models.TextField(_("description"), blank=True, max_length=400)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")

    def __str__(self):
        return self.name
