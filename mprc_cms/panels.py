"""Editing panels of the project's pages and records."""

from wagtail.admin import panels


class InlinePanel(panels.InlinePanel):
    """Wagtail's InlinePanel, whose button names the item to add with its article:
    ``add_label=_("Add a stage")`` (French «Ajouter une étape»), where Wagtail writes
    «Ajouter un(e) Étape» from the panel's ``label``."""

    def __init__(self, *args, add_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(panels.InlinePanel.BoundPanel):
        template_name = "mprc_cms/panels/inline_panel.html"
