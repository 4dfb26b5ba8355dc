"""The review screen of a template proposal: what it changes against the current version,
field by field, the words taken out and put in marked."""

import html
import re

import pytest
from django.utils.text import capfirst
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import strategies as st

from project_catalog.comparison import word_diff
from project_catalog.models import ProjectPage, ProjectTemplatePage, TemplateProposal
from tests.project_catalog.test_sharing import (
    NEW,
    VERSION,
    completed_project,
    propose,
    publish_as,
    review_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(projects_a, template):
    return completed_project(
        projects_a, slug="potager-adopte", source_template=template, source_version=1
    )


def label(name):
    return html.escape(capfirst(ProjectTemplatePage._meta.get_field(name).verbose_name))


def changed_row(response, name):
    """The cells (current, proposed) of a changed field's row, or None."""
    page = response.content.decode()
    found = re.search(
        rf'<tr>\s*<th scope="row">{re.escape(label(name))}</th>(.*?)</tr>', page, re.S
    )
    if found is None:
        return None
    return re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)


def unchanged_labels(response):
    page = response.content.decode()
    unchanged = html.escape(gettext("unchanged"))
    return re.findall(rf"<dt>([^<]*) — <em>{re.escape(unchanged)}</em></dt>", page)


def marked(cell, tag):
    """The words inside the cell's ``tag`` elements, without the screen reader's words."""
    runs = re.findall(rf"<{tag}>(.*?)</{tag}>", cell, re.S)
    sr_only = r'<span class="w-sr-only"[^>]*>.*?</span>'
    return [html.unescape(re.sub(sr_only, "", run).replace("<br>", "\n")) for run in runs]


def reword_pitfalls(template, user, pitfalls):
    """An unpublished change of the template (the draft the proposal will build on)."""
    draft = ProjectTemplatePage.objects.get(pk=template.pk).get_latest_revision_as_object()
    draft.pitfalls = pitfalls
    draft.save_revision(user=user)


def test_a_new_version_shows_the_words_taken_out_and_put_in(
    coordinator_client, coordinator, adopted, editor_a, template
):
    reword_pitfalls(template, coordinator, "Vouloir tout prévoir avant de tester")
    proposal = propose(
        ProjectPage.objects.get(pk=adopted.pk),  # its template as it is now
        editor_a,
        kind=VERSION,
        pitfalls="Oublier l'arrosage l'été",
        success_factors="Les parents d'élèves",
    )

    response = coordinator_client.get(review_url(proposal))
    assert response.status_code == 200
    current, proposed = changed_row(response, "pitfalls")
    assert "".join(marked(current, "del")) == "d'essayer"
    assert [run.strip() for run in marked(proposed, "ins")] == [
        "de tester\nOublier l'arrosage l'été"
    ]
    assert marked(current, "ins") == []
    assert marked(proposed, "del") == []
    # Each mark is announced to screen readers.
    assert html.escape(gettext("deleted:")) in current
    assert html.escape(gettext("added:")) in proposed
    # The success factors the commune wrote, added to the template's.
    current, proposed = changed_row(response, "success_factors")
    assert marked(current, "del") == []
    assert "Les parents d'élèves" in "".join(marked(proposed, "ins"))
    # The headings name the versions.
    text = html.unescape(response.content.decode())
    assert gettext("Version %(number)s (current)") % {"number": 1} in text
    assert gettext("Proposed version %(number)s") % {"number": 2} in text


def test_unchanged_fields_are_marked_unchanged(coordinator_client, adopted, editor_a):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")
    response = coordinator_client.get(review_url(proposal))

    unchanged = unchanged_labels(response)
    for name in ("title", "category", "summary", "problem", "steps", "roles", "resources"):
        assert label(name) in unchanged
        assert changed_row(response, name) is None
    for name in ("pitfalls", "version_note"):
        assert label(name) not in unchanged
        assert changed_row(response, name) is not None


def test_the_comparison_shows_what_the_commune_proposed_not_later_edits(
    coordinator_client, coordinator, adopted, editor_a, template
):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")
    reword_pitfalls(template, coordinator, "Rien")

    _current, proposed = changed_row(coordinator_client.get(review_url(proposal)), "pitfalls")
    assert "Oublier l'arrosage l'été" in html.unescape(proposed)
    assert "Rien" not in proposed


def test_a_published_or_declined_version_keeps_its_comparison(
    coordinator_client, coordinator, adopted, editor_a, template
):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")
    publish_as(coordinator, template)
    proposal.refresh_from_db()
    assert proposal.status == TemplateProposal.Status.ACCEPTED
    _current, proposed = changed_row(coordinator_client.get(review_url(proposal)), "pitfalls")
    assert "Oublier l'arrosage l'été" in "".join(marked(proposed, "ins"))

    text = html.unescape(coordinator_client.get(review_url(proposal)).content.decode())
    assert gettext("Version %(number)s") % {"number": 1} in text
    assert gettext("Version %(number)s (current)") % {"number": 1} not in text

    adopted = ProjectPage.objects.get(pk=adopted.pk)  # its template at version 2
    second = propose(adopted, editor_a, kind=VERSION, pitfalls="Les limaces")
    coordinator_client.post(review_url(second), {"note": "Déjà dit."})
    second.refresh_from_db()
    assert second.status == TemplateProposal.Status.DECLINED
    response = coordinator_client.get(review_url(second))
    text = html.unescape(response.content.decode())
    assert gettext("Version %(number)s (current)") % {"number": 2} in text
    assert "Les limaces" in "".join(marked(changed_row(response, "pitfalls")[1], "ins"))


def test_a_new_template_from_an_adopted_project_is_compared_with_its_source(
    coordinator_client, adopted, editor_a, template
):
    proposal = propose(adopted, editor_a, kind=NEW, pitfalls="Oublier l'arrosage l'été")
    response = coordinator_client.get(review_url(proposal))
    text = html.unescape(response.content.decode())
    assert (
        gettext("The template “%(title)s” (version %(number)s)")
        % {"title": "Jardin partagé", "number": 1}
        in text
    )
    _current, proposed = changed_row(response, "title")
    assert "Potager des écoliers" in html.unescape("".join(marked(proposed, "ins")))
    assert label("steps") in unchanged_labels(response)


def test_a_new_template_from_nothing_shows_its_content(coordinator_client, projects_a, editor_a):
    project = completed_project(projects_a)
    proposal = propose(project, editor_a, kind=NEW, pitfalls="Commencer trop grand")
    response = coordinator_client.get(review_url(proposal))
    page = response.content.decode()
    assert (
        html.escape(gettext("A new template: there is no current version to compare it with."))
        in page
    )
    (proposed,) = changed_row(response, "pitfalls")
    assert "Commencer trop grand" in proposed
    assert "<del>" not in page
    assert "<ins>" not in page
    assert unchanged_labels(response) == []


def test_the_proposers_commune_sees_the_comparison(client_a, adopted, editor_a):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Oublier l'arrosage l'été")
    response = client_a.get(review_url(proposal))
    assert response.status_code == 200
    assert changed_row(response, "pitfalls") is not None


def test_another_communes_staff_do_not_see_the_comparison(client_b, adopted, editor_a):
    proposal = propose(adopted, editor_a, kind=VERSION, pitfalls="Un secret de la commune A")
    response = client_b.get(review_url(proposal))
    assert response.status_code == 404
    assert "Un secret de la commune A" not in response.content.decode()


def test_markup_in_the_proposal_is_escaped(coordinator_client, adopted, projects_a, editor_a):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    proposal = propose(
        adopted, editor_a, kind=VERSION, pitfalls=attack, success_factors="<b>gras</b>"
    )
    page = coordinator_client.get(review_url(proposal)).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>gras" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page

    fresh = completed_project(projects_a, title="<script>alert(2)</script>", slug="autre")
    proposal = propose(fresh, editor_a, kind=NEW, pitfalls=attack)
    page = coordinator_client.get(review_url(proposal)).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page


# The word diff itself

words = st.lists(
    st.sampled_from(["la", "mairie", "école", "<b>", "&", "l'été", "\n", " ", ",", "é"]),
    max_size=12,
).map("".join)


def _side(diff_html, tag):
    without_labels = re.sub(r'<span class="w-sr-only"[^>]*>.*?</span>', "", diff_html)
    text = re.sub(rf"</?{tag}>", "", without_labels).replace("<br>", "\n")
    assert "<" not in text  # every character of the texts is escaped
    return html.unescape(text)


@given(words, words)
def test_each_side_of_the_diff_is_its_text(current, proposed):
    current_html, proposed_html = word_diff(current, proposed)
    assert _side(current_html, "del") == current
    assert _side(proposed_html, "ins") == proposed
    assert "<ins>" not in current_html
    assert "<del>" not in proposed_html
    if current == proposed:
        assert "<del>" not in current_html
        assert "<ins>" not in proposed_html


def test_the_coordinators_notice_comes_from_the_network_by_name(
    adopted, editor_a, coordinator, network_home, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from home.models import LegalInformation

    settings.DEFAULT_FROM_EMAIL = "MPRC <ne-pas-repondre@reseau.example>"
    LegalInformation.objects.filter(page=network_home).update(
        email_sender_name="Réseau des micro-parlements"
    )
    with django_capture_on_commit_callbacks(execute=True):
        propose(adopted, editor_a, kind=VERSION)
    (message,) = mail.outbox
    assert message.from_email == "Réseau des micro-parlements <ne-pas-repondre@reseau.example>"
