"""The example module's processing of personal data: its idea box (proves that a module's
processings plug into the privacy policy from its ModuleInfo alone)."""

from mprc_cms.privacy import CONSENT, Processing


class IdeaBox(Processing):
    key = "idea-box"
    title = "Boîte à idées"
    purpose = "Recueillir les idées des habitants."
    legal_bases = ((CONSENT, ""),)
    data = ("Nom, adresse électronique, année de naissance",)
    recipients = ("Le personnel de la mairie",)

    def has_data(self):
        from .models import ExampleRecord

        return ExampleRecord.objects.filter(commune=self.commune).exists()

    def retention(self):
        return ["Un an après le dépôt de l'idée."]
