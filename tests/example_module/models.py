from django.db import models
from wagtail.models import Page


class ExampleIndexPage(Page):
    parent_page_types = ["home.CommunePage"]
    max_count_per_parent = 1
    subpage_types = []
    template = "example_module/example_index_page.html"


class ExampleRecord(models.Model):
    """Private, per-commune data, as a real module's volunteers or listings would be."""

    commune = models.ForeignKey("home.CommunePage", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("nom", max_length=100)
    email = models.EmailField("e-mail", blank=True)
    birth_year = models.PositiveIntegerField("année de naissance", null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
