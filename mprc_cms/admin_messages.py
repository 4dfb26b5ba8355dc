"""The admin's words about a record, with the article and agreement of its name.

Wagtail's generic views (listing, add, edit, delete) put the model's name into messages
that cannot know its grammatical gender: the French catalogue has to write «Ajouter
un(e) personne», «Personne « Camille Martin » créé(e).», «Êtes-vous sûr(e) de vouloir
supprimer ce(tte) personne ?». Here every such message has an English msgid with a
context per gender of the name in the translation (``"masculine noun"``, ``"feminine
noun"``, ``"masculine plural noun"``, ``"feminine plural noun"``), which the French
catalogue translates with the right words: «Ajouter une personne», «Personne « Camille
Martin » créée.», «Voulez-vous vraiment supprimer cette personne ?».

Each viewset of the project declares the gender of its model's name in French, the
language the platform is written for (``noun_gender = FEMININE`` for «personne»), and
inherits :class:`ModelMessagesMixin` (``CommuneScopedViewSet`` does). The translated
message is then elided where the name starts with a vowel sound («L’annonce n’a pas pu
être créée», «cet atelier»; ``mprc_cms.french.elide``), before the record's own text is
put in. A viewset that declares no gender keeps Wagtail's messages.
"""

from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import npgettext, pgettext_lazy
from wagtail.admin.ui.side_panels import StatusSidePanel

from mprc_cms import french

MASCULINE = "masculine"
FEMININE = "feminine"
MASCULINE_PLURAL = "masculine plural"
FEMININE_PLURAL = "feminine plural"
GENDERS = (MASCULINE, FEMININE, MASCULINE_PLURAL, FEMININE_PLURAL)

# The name is %(model_name)s: the model's verbose_name, never its plural.
MESSAGES = {
    # The listing's button.
    "add": {
        MASCULINE: pgettext_lazy("masculine noun", "Add %(model_name)s"),
        FEMININE: pgettext_lazy("feminine noun", "Add %(model_name)s"),
        MASCULINE_PLURAL: pgettext_lazy("masculine plural noun", "Add %(model_name)s"),
        FEMININE_PLURAL: pgettext_lazy("feminine plural noun", "Add %(model_name)s"),
    },
    # The title of the add form (and its breadcrumb).
    "new": {
        MASCULINE: pgettext_lazy("masculine noun", "New %(model_name)s"),
        FEMININE: pgettext_lazy("feminine noun", "New %(model_name)s"),
        MASCULINE_PLURAL: pgettext_lazy("masculine plural noun", "New %(model_name)s"),
        FEMININE_PLURAL: pgettext_lazy("feminine plural noun", "New %(model_name)s"),
    },
    "created": {
        MASCULINE: pgettext_lazy("masculine noun", "%(model_name)s “%(object)s” created."),
        FEMININE: pgettext_lazy("feminine noun", "%(model_name)s “%(object)s” created."),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "%(model_name)s “%(object)s” created."
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "%(model_name)s “%(object)s” created."
        ),
    },
    "not_created": {
        MASCULINE: pgettext_lazy(
            "masculine noun", "The %(model_name)s could not be created due to errors."
        ),
        FEMININE: pgettext_lazy(
            "feminine noun", "The %(model_name)s could not be created due to errors."
        ),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "The %(model_name)s could not be created due to errors."
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "The %(model_name)s could not be created due to errors."
        ),
    },
    "updated": {
        MASCULINE: pgettext_lazy("masculine noun", "%(model_name)s “%(object)s” updated."),
        FEMININE: pgettext_lazy("feminine noun", "%(model_name)s “%(object)s” updated."),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "%(model_name)s “%(object)s” updated."
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "%(model_name)s “%(object)s” updated."
        ),
    },
    "not_saved": {
        MASCULINE: pgettext_lazy(
            "masculine noun", "The %(model_name)s could not be saved due to errors."
        ),
        FEMININE: pgettext_lazy(
            "feminine noun", "The %(model_name)s could not be saved due to errors."
        ),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "The %(model_name)s could not be saved due to errors."
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "The %(model_name)s could not be saved due to errors."
        ),
    },
    "confirm_delete": {
        MASCULINE: pgettext_lazy(
            "masculine noun", "Are you sure you want to delete this %(model_name)s?"
        ),
        FEMININE: pgettext_lazy(
            "feminine noun", "Are you sure you want to delete this %(model_name)s?"
        ),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "Are you sure you want to delete this %(model_name)s?"
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "Are you sure you want to delete this %(model_name)s?"
        ),
    },
    "deleted": {
        MASCULINE: pgettext_lazy("masculine noun", "%(model_name)s “%(object)s” deleted."),
        FEMININE: pgettext_lazy("feminine noun", "%(model_name)s “%(object)s” deleted."),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "%(model_name)s “%(object)s” deleted."
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "%(model_name)s “%(object)s” deleted."
        ),
    },
    # On the delete confirmation, when other records use this one.
    "protected": {
        MASCULINE: pgettext_lazy(
            "masculine noun",
            "One or more references to this %(model_name)s prevent it from being deleted.",
        ),
        FEMININE: pgettext_lazy(
            "feminine noun",
            "One or more references to this %(model_name)s prevent it from being deleted.",
        ),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun",
            "One or more references to this %(model_name)s prevent it from being deleted.",
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun",
            "One or more references to this %(model_name)s prevent it from being deleted.",
        ),
    },
    # The listing, when a search or filter finds nothing.
    "no_match": {
        MASCULINE: pgettext_lazy("masculine noun", "No %(model_name)s matches your search."),
        FEMININE: pgettext_lazy("feminine noun", "No %(model_name)s matches your search."),
        MASCULINE_PLURAL: pgettext_lazy(
            "masculine plural noun", "No %(model_name)s matches your search."
        ),
        FEMININE_PLURAL: pgettext_lazy(
            "feminine plural noun", "No %(model_name)s matches your search."
        ),
    },
    # The listing, when there is nothing yet.
    "empty": {
        MASCULINE: pgettext_lazy("masculine noun", "There is no %(model_name)s yet."),
        FEMININE: pgettext_lazy("feminine noun", "There is no %(model_name)s yet."),
        MASCULINE_PLURAL: pgettext_lazy("masculine plural noun", "There is no %(model_name)s yet."),
        FEMININE_PLURAL: pgettext_lazy("feminine plural noun", "There is no %(model_name)s yet."),
    },
}


def _usage(gender, count):
    """“This person is referenced 2 times.”, on the delete confirmation."""
    if gender == MASCULINE:
        return npgettext(
            "masculine noun",
            "This %(model_name)s is referenced %(count)s time.",
            "This %(model_name)s is referenced %(count)s times.",
            count,
        )
    if gender == FEMININE:
        return npgettext(
            "feminine noun",
            "This %(model_name)s is referenced %(count)s time.",
            "This %(model_name)s is referenced %(count)s times.",
            count,
        )
    if gender == MASCULINE_PLURAL:
        return npgettext(
            "masculine plural noun",
            "This %(model_name)s is referenced %(count)s time.",
            "This %(model_name)s is referenced %(count)s times.",
            count,
        )
    return npgettext(
        "feminine plural noun",
        "This %(model_name)s is referenced %(count)s time.",
        "This %(model_name)s is referenced %(count)s times.",
        count,
    )


def _put(message, noun, **values):
    """``message`` with the name put in (and elided, in French), then ``values``; the
    first letter in capitals."""
    text = str(message).replace("%(model_name)s", str(noun))
    if french.active():
        text = french.elide(text)
    if values:
        text = text % values
    return capfirst(text)


def model_message(key, gender, model, **values):
    """The message ``key`` of ``MESSAGES`` about ``model``, whose name has ``gender``."""
    return _put(MESSAGES[key][gender], model._meta.verbose_name, **values)


def usage_message(gender, model, count):
    return _put(_usage(gender, count), model._meta.verbose_name, count=count)


class _GenderedView:
    noun_gender = None

    def _message(self, key, **values):
        return model_message(key, self.noun_gender, self.model, **values)


class _FormView(_GenderedView):
    def get_side_panels(self):
        """The status panel's usage count (“Used 2 times”) as a sentence that agrees."""
        side_panels = super().get_side_panels()
        for panel in side_panels:
            if isinstance(panel, StatusSidePanel):
                panel.get_usage_context = self._usage_context(panel.get_usage_context)
        return side_panels

    def _usage_context(self, get_usage_context):
        def usage_context():
            context = get_usage_context()
            context["usage_url_text"] = usage_message(
                self.noun_gender, self.model, context["usage_count"]
            )
            return context

        return usage_context


class IndexMessagesMixin(_GenderedView):
    @cached_property
    def add_item_label(self):
        return self._message("add")

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return self._message("no_match")
        return self._message("empty")


class CreateMessagesMixin(_FormView):
    def get_page_title(self):
        return self._message("new")

    def get_page_subtitle(self):
        return ""

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {**items[-1], "label": self.get_page_title()}]

    def get_success_message(self, instance):
        if self.success_message is None:
            return None
        return self._message("created", object=instance)

    def get_error_message(self):
        message = super().get_error_message()
        if message is None or self.expects_json_response:
            return message
        return self._message("not_created")


class EditMessagesMixin(_FormView):
    def get_success_message(self):
        if self.success_message is None:
            return None
        return self._message("updated", object=self.object)

    def get_error_message(self):
        message = super().get_error_message()
        if message is None or self.expects_json_response:
            return message
        return self._message("not_saved")


class DeleteMessagesMixin(_GenderedView):
    template_name = "mprc_cms/admin/confirm_delete.html"

    @property
    def confirmation_message(self):
        return self._message("confirm_delete")

    def get_success_message(self):
        if self.success_message is None:
            return None
        return self._message("deleted", object=self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "usage_count" in context:
            context["usage_message"] = usage_message(
                self.noun_gender, self.model, context["usage_count"]
            )
            context["protected_message"] = self._message("protected")
        return context


def _with(view_class, mixin, gender):
    return type(view_class.__name__, (mixin, view_class), {"noun_gender": gender})


class ModelMessagesMixin:
    """For a ModelViewSet: the messages of its views agree with ``noun_gender``, the
    grammatical gender of the model's name in French (one of ``GENDERS``)."""

    noun_gender = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.noun_gender is None:
            return
        if self.noun_gender not in GENDERS:
            raise ValueError(f"noun_gender must be one of {GENDERS}, not {self.noun_gender!r}")
        for name, mixin in (
            ("index_view_class", IndexMessagesMixin),
            ("add_view_class", CreateMessagesMixin),
            ("copy_view_class", CreateMessagesMixin),
            ("edit_view_class", EditMessagesMixin),
            ("delete_view_class", DeleteMessagesMixin),
        ):
            setattr(self, name, _with(getattr(self, name), mixin, self.noun_gender))
