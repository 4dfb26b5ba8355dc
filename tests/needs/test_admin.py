"""The staff side of the call for needs: the listing and its export, moderating a need,
the town hall's answer, the outcome, a need typed for a resident without internet and its
letter, the dashboard — and that the staff of one commune never reach another's needs."""

import csv
import html
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from mprc_cms.modules import get_module
from needs import calls, dashboard
from needs.models import Need, NeedStatus, Outcome, Support
from tests.needs.helpers import soup_of
from tests.needs.staff_helpers import *  # noqa: F403 - the fixtures
from tests.needs.staff_helpers import make_call, make_need, make_parliament

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

INDEX = "needs_list:index"


def text_of(response):
    return " ".join(html.unescape(response.content.decode()).split())


def listed(client, **params):
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return [need.title for need in response.context["object_list"]]


def export_text(client, export_format, **params):
    response = client.get(reverse(INDEX), {"export": export_format, **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)


@pytest.fixture
def can_add(commune_a, commune_b, needs_on):
    """The commune editors may type needs (``needs.add_need`` among the module's editor
    permissions)."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(content_type__app_label="needs", codename="add_need")
    for commune in (commune_a, commune_b):
        commune.editors_group.permissions.add(permission)


@pytest.fixture
def needs(call_a, call_b):
    """Commune A: a published need with supports, one waiting for approval. Commune B:
    one whose words and author are B's secrets."""
    published = make_need(call_a, title="Un abri pour l'arrêt de car")
    for number in range(3):
        Support.objects.create(
            need=published, email=f"voisin{number}@example.org", confirmed_at=timezone.now()
        )
    Support.objects.create(need=published, email="pas-confirme@example.org")
    pending = make_need(
        call_a,
        title="Un banc au lavoir",
        status=NeedStatus.PENDING,
        published_at=None,
        email="paul@example.org",
        first_name="Paul",
    )
    secret_b = make_need(
        call_b,
        title="Garde de chats à Bellecombe",
        description="Secret-de-Bellecombe",
        first_name="Bénédicte",
        email="benedicte@bellecombe.example",
        status=NeedStatus.PENDING,
        published_at=None,
    )
    return {"published": published, "pending": pending, "secret_b": secret_b}


B_SECRETS = ("Garde de chats", "Secret-de-Bellecombe", "Bénédicte", "benedicte@")


# Scoping ---------------------------------------------------------------------------------


def test_the_module_asks_for_the_right_to_type_needs():
    assert "needs.add_need" in get_module("needs").editor_permissions


@pytest.mark.parametrize(
    "name",
    ["moderate", "answer", "outcome", "edit", "delete", "history", "entered", "letter"],
)
def test_another_communes_need_is_not_found(client_a, needs, name):
    url = reverse(f"needs_list:{name}", args=[needs["secret_b"].pk])
    assert client_a.get(url).status_code == 404
    response = client_a.post(
        url, {"action": "hidden", "reason": "x", "outcome": "not_kept", "outcome_note": "x"}
    )
    assert response.status_code == 404
    secret = Need.objects.get(pk=needs["secret_b"].pk)
    assert secret.status == NeedStatus.PENDING
    assert secret.outcome == Outcome.OPEN
    assert len(mail.outbox) == 0


def test_the_listing_and_exports_hold_own_communes_only(client_a, needs):
    assert set(listed(client_a)) == {"Un abri pour l'arrêt de car", "Un banc au lavoir"}
    for export_format in ("csv", "xlsx"):
        text = export_text(client_a, export_format)
        assert "Un banc au lavoir" in text
        for secret in B_SECRETS:
            assert secret not in text


@pytest.mark.parametrize("query", ["chats", "Secret", "benedicte"])
def test_search_finds_nothing_of_another_commune(client_a, needs, query):
    response = client_a.get(reverse(INDEX), {"q": query})
    assert list(response.context["object_list"]) == []


def test_the_export_says_what_was_asked_never_who(client_a, needs, parliament_a):
    need = needs["published"]
    _page, priorities = parliament_a
    need.outcome, need.priority, need.outcome_note = Outcome.KEPT, priorities[0], "Voté."
    need.save()
    rows = list(csv.reader(io.StringIO(export_text(client_a, "csv"))))
    header = rows[0]
    row = next(r for r in rows if r[0] == need.title)
    assert "3" in row  # the confirmed supports only
    assert "Mobilités douces" in row
    assert "Voté." in row
    assert str(Outcome.KEPT.label) in row
    text = "\n".join(",".join(r) for r in rows)
    for personal in ("odile@", "Odile", "paul@", "Paul"):
        assert personal not in text
    assert len(header) == 12


def test_needs_waiting_for_approval_come_first(client_a, needs, call_a):
    make_need(call_a, title="Le plus récent", created_at=timezone.now())
    assert listed(client_a)[0] == "Un banc au lavoir"


def test_the_decision_filter(client_a, needs, call_a):
    decided = make_need(call_a, title="Déjà décidé", outcome_decided_at=timezone.now())
    titles = listed(client_a, decision=dashboard.TO_DECIDE)
    assert decided.title not in titles
    assert set(titles) == {"Un abri pour l'arrêt de car", "Un banc au lavoir"}


def test_the_support_count_costs_no_query_per_row(client_a, needs, call_a):
    client_a.get(reverse(INDEX))
    with CaptureQueriesContext(connection) as few:
        client_a.get(reverse(INDEX))
    for number in range(6):
        need = make_need(call_a, title=f"Besoin {number}")
        Support.objects.create(need=need, email="x@example.org", confirmed_at=timezone.now())
    client_a.get(reverse(INDEX))  # the memos of every change (the site…) warm again
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(reverse(INDEX))
    assert len(many) == len(few)
    assert "3" in [str(getattr(n, "support_count", "")) for n in response.context["object_list"]]


# Moderation ------------------------------------------------------------------------------


def test_publishing_a_need_tells_its_author(client_a, needs):
    pending = needs["pending"]
    url = reverse("needs_list:moderate", args=[pending.pk])
    response = client_a.post(url, {"action": "publish", "reason": ""})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == NeedStatus.PUBLISHED
    assert pending.published_at is not None
    assert [m.to for m in mail.outbox] == [["paul@example.org"]]
    body = mail.outbox[0].body
    assert f"/besoin/{pending.pk}/" in body
    assert "/gerer/" in body
    assert ModelLogEntry.objects.filter(action="mprc.need_published").count() == 1


def test_staff_e_mails_to_residents_are_rate_limited(client_a, needs, settings):
    """Moderation changed back and forth never floods a resident: past the staff member's
    limit, the decision is refused and nothing changes or is sent."""
    settings.MPRC_RATE_LIMITS = {"needs.staff_mail.user": (1, 3600)}
    pending = needs["pending"]
    url = reverse("needs_list:moderate", args=[pending.pk])
    client_a.post(url, {"action": "publish", "reason": ""})
    assert len(mail.outbox) == 1
    response = client_a.post(url, {"action": "hidden", "reason": "Hors sujet"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == NeedStatus.PUBLISHED
    assert len(mail.outbox) == 1


def test_rejecting_needs_a_reason(client_a, needs):
    pending = needs["pending"]
    url = reverse("needs_list:moderate", args=[pending.pk])
    response = client_a.post(url, {"action": "rejected", "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    pending.refresh_from_db()
    assert pending.status == NeedStatus.PENDING
    assert mail.outbox == []

    client_a.post(url, {"action": "rejected", "reason": "Ce n'est pas du ressort de la commune."})
    pending.refresh_from_db()
    assert pending.status == NeedStatus.REJECTED
    assert pending.moderation_note == "Ce n'est pas du ressort de la commune."
    assert len(mail.outbox) == 1
    assert "Ce n'est pas du ressort de la commune." in mail.outbox[0].body


def test_hiding_a_need_without_an_email_sends_nothing(client_a, needs):
    need = needs["published"]
    need.email = ""
    need.save()
    url = reverse("needs_list:moderate", args=[need.pk])
    response = client_a.post(url, {"action": "hidden", "reason": "Propos injurieux."}, follow=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.HIDDEN
    assert need.closed_at is not None
    assert mail.outbox == []
    assert response.status_code == 200


def test_an_unknown_action_changes_nothing(client_a, needs):
    pending = needs["pending"]
    url = reverse("needs_list:moderate", args=[pending.pk])
    response = client_a.post(url, {"action": "delete-everything", "reason": "x"})
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == NeedStatus.PENDING


def test_the_moderation_screen_shows_the_need(client_a, needs):
    response = client_a.get(reverse("needs_list:moderate", args=[needs["pending"].pk]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Un banc au lavoir" in text
    assert "paul@example.org" in text


# The town hall's answer ------------------------------------------------------------------


def test_the_answer_is_public_and_sent_when_asked(client_a, needs):
    need = needs["published"]
    url = reverse("needs_list:answer", args=[need.pk])
    client_a.post(url, {"staff_answer": "Le conseil en parle le 12 mars."})
    need.refresh_from_db()
    assert need.staff_answer == "Le conseil en parle le 12 mars."
    assert need.staff_answer_at is not None
    assert len(mail.outbox) == 1
    assert "Le conseil en parle le 12 mars." in mail.outbox[0].body
    body = " ".join(mail.outbox[0].body.split())
    why = gettext(
        "You receive this e-mail because you asked to know what becomes of your need. "
        "To stop, open your personal link."
    )
    assert " ".join(why.split()) in body
    token = re.search(r"/gerer/([^/\s]+)/", body)[1]
    assert calls.need_to_manage(need.call.specific, token) == need
    # The same answer again sends nothing more.
    client_a.post(url, {"staff_answer": "Le conseil en parle le 12 mars."})
    assert len(mail.outbox) == 1


def test_the_answer_is_not_sent_to_who_did_not_ask(client_a, needs):
    need = needs["published"]
    need.wants_outcome = False
    need.save()
    client_a.post(reverse("needs_list:answer", args=[need.pk]), {"staff_answer": "Merci."})
    need.refresh_from_db()
    assert need.staff_answer == "Merci."
    assert mail.outbox == []


# The outcome -----------------------------------------------------------------------------


def test_keeping_a_need_for_a_priority(client_a, needs, parliament_a):
    need = needs["published"]
    _page, priorities = parliament_a
    response = client_a.get(reverse("needs_list:moderate", args=[need.pk]))
    offered = set(response.context["outcome_form"].fields["priority"].queryset)
    assert offered == set(priorities)
    client_a.post(
        reverse("needs_list:outcome", args=[need.pk]),
        {"outcome": Outcome.KEPT, "priority": priorities[1].pk, "outcome_note": ""},
    )
    need.refresh_from_db()
    assert need.outcome == Outcome.KEPT
    assert need.priority == priorities[1]
    assert need.outcome_decided_at is not None
    assert ModelLogEntry.objects.filter(action="mprc.need_outcome").count() == 1


def test_a_forged_priority_is_refused(client_a, needs, parliament_a, parliament_b):
    need = needs["published"]
    _page_b, priorities_b = parliament_b
    response = client_a.post(
        reverse("needs_list:outcome", args=[need.pk]),
        {"outcome": Outcome.KEPT, "priority": priorities_b[0].pk},
    )
    assert response.status_code == 200
    assert response.context["outcome_form"].errors["priority"]
    need.refresh_from_db()
    assert need.outcome == Outcome.OPEN
    assert need.priority is None
    assert need.outcome_decided_at is None


def test_the_calls_micro_parliament_offers_its_priorities_only(client_a, needs, commune_a):
    make_parliament(commune_a, [("Commune à deux", None)])
    own, own_priorities = make_parliament(commune_a, [("Propre à la commune", None)])
    call = needs["published"].call
    call.micro_parliament = own
    call.save_revision().publish()
    response = client_a.get(reverse("needs_list:moderate", args=[needs["published"].pk]))
    offered = set(response.context["outcome_form"].fields["priority"].queryset)
    assert offered == set(own_priorities)


def test_not_kept_needs_a_public_reason(client_a, needs):
    need = needs["published"]
    url = reverse("needs_list:outcome", args=[need.pk])
    response = client_a.post(url, {"outcome": Outcome.NOT_KEPT, "outcome_note": ""})
    assert response.context["outcome_form"].errors["outcome_note"]
    need.refresh_from_db()
    assert need.outcome_decided_at is None
    client_a.post(
        url, {"outcome": Outcome.NOT_KEPT, "outcome_note": "Déjà prévu par le département."}
    )
    need.refresh_from_db()
    assert need.outcome == Outcome.NOT_KEPT
    assert need.outcome_note == "Déjà prévu par le département."
    # Nothing is sent before the micro-parliament publishes (needs/outcomes.py).
    assert mail.outbox == []


def test_under_consideration_is_a_decision_too(client_a, needs):
    need = needs["published"]
    client_a.post(reverse("needs_list:outcome", args=[need.pk]), {"outcome": Outcome.OPEN})
    need.refresh_from_db()
    assert need.outcome == Outcome.OPEN
    assert need.outcome_decided_at is not None


# A need typed by staff -------------------------------------------------------------------


def entry(call, **fields):
    return {
        "call": call.pk,
        "kind": "need",
        "title": "Une boîte à livres",
        "description": "Dite au guichet par une habitante de la Croix.",
        "theme": "",
        "hamlet": "",
        "first_name": "Jeanne",
        "email": "",
        "wants_outcome": "on",
        "channel": "counter",
        "consent": "on",
        **fields,
    }


def test_a_need_typed_with_an_email_past_the_limit_is_not_recorded(
    client_a, can_add, call_a, settings
):
    settings.MPRC_RATE_LIMITS = {"needs.staff_mail.user": (1, 3600)}
    client_a.post(reverse("needs_list:add"), entry(call_a, email=" Jeanne@Example.org "))
    assert Need.objects.get().email == "jeanne@example.org"
    assert len(mail.outbox) == 1
    response = client_a.post(
        reverse("needs_list:add"), entry(call_a, title="Un banc", email="odile@example.org")
    )
    assert response.status_code == 200
    assert Need.objects.count() == 1
    assert len(mail.outbox) == 1
    # Without an address (and with a printed letter), it is recorded.
    client_a.post(reverse("needs_list:add"), entry(call_a, title="Un banc"))
    assert Need.objects.count() == 2


def test_a_need_typed_without_an_email(client_a, can_add, call_a, editor_a):
    response = client_a.post(reverse("needs_list:add"), entry(call_a))
    need = Need.objects.get(title="Une boîte à livres")
    assert response.status_code == 302
    assert response["Location"] == reverse("needs_list:entered", args=[need.pk])
    assert need.status == NeedStatus.PUBLISHED
    assert need.entered_by == editor_a
    assert need.channel == "counter"
    assert need.commune_id == call_a.commune.pk
    assert need.confirmed_at is not None
    assert need.published_at is not None
    assert need.first_name == ""  # not shown: not kept
    assert need.email == ""
    assert mail.outbox == []
    page = client_a.get(response["Location"])
    assert page.status_code == 200
    assert reverse("needs_list:letter", args=[need.pk]) in page.content.decode()


def test_a_need_typed_with_an_email_sends_the_link_once(client_a, can_add, call_a):
    data = entry(call_a, email="jeanne@example.org", show_first_name="on")
    response = client_a.post(reverse("needs_list:add"), data)
    need = Need.objects.get(title="Une boîte à livres")
    assert need.first_name == "Jeanne"
    assert [m.to for m in mail.outbox] == [["jeanne@example.org"]]
    token = re.search(r"/gerer/([^/\s]+)/", mail.outbox[0].body)[1]
    assert calls.need_to_manage(call_a, token) == need
    page = client_a.get(response["Location"])
    assert "jeanne@example.org" in text_of(page)
    assert len(mail.outbox) == 1


def test_only_open_calls_of_own_communes_are_offered(client_a, can_add, call_a, call_b, commune_a):
    closed = make_call(commune_a, closed=True)
    response = client_a.get(reverse("needs_list:add"))
    assert response.status_code == 200
    offered = set(response.context["form"].fields["call"].queryset)
    assert offered == {call_a}
    for other in (call_b, closed):
        response = client_a.post(reverse("needs_list:add"), entry(other))
        assert response.status_code == 200
        assert response.context["form"].errors["call"]
    assert not Need.objects.exists()


def test_a_typed_need_needs_consent_and_a_channel(client_a, can_add, call_a):
    data = entry(call_a)
    del data["consent"]
    data["channel"] = "online"
    response = client_a.post(reverse("needs_list:add"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"consent", "channel"}
    assert not Need.objects.exists()


def test_a_hamlet_not_of_the_call_is_refused(client_a, can_add, commune_a, needs_on):
    call = make_call(commune_a, hamlets="Le Bourg\nLa Croix")
    response = client_a.post(reverse("needs_list:add"), entry(call, hamlet="Ailleurs"))
    assert response.context["form"].errors["hamlet"]
    client_a.post(reverse("needs_list:add"), entry(call, hamlet="la croix"))
    assert Need.objects.get().hamlet == "La Croix"


def test_the_letter_holds_the_personal_link(client_a, can_add, call_a):
    client_a.post(reverse("needs_list:add"), entry(call_a))
    need = Need.objects.get()
    letter = reverse("needs_list:letter", args=[need.pk])
    # The name and address travel by POST, never in a web address (which logs keep).
    assert client_a.get(letter, {"recipient": "Mme Jeanne Martin"}).status_code == 302
    response = client_a.post(
        letter, {"recipient": "Mme Jeanne Martin", "address": "3 rue du Lavoir\n71250 Aubigny"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    content = text_of(response)
    assert "Mme Jeanne Martin" in content
    assert "3 rue du Lavoir" in content
    token = re.search(r"/gerer/([^/<\s]+)/", content)[1]
    assert calls.need_to_manage(call_a, token) == need
    assert "<svg" in content
    # The address is never stored.
    assert "Lavoir" not in str(Need.objects.values().get())


def test_the_need_screen_offers_the_letter_form_for_a_published_need_typed_by_staff(
    client_a, can_add, call_a
):
    client_a.post(reverse("needs_list:add"), entry(call_a))
    need = Need.objects.get()
    letter_url = reverse("needs_list:letter", args=[need.pk])
    page = client_a.get(reverse("needs_list:moderate", args=[need.pk]))
    forms = [f for f in soup_of(page).select("form") if f.get("action") == letter_url]
    assert len(forms) == 1
    assert forms[0]["method"] == "post"
    assert forms[0].select("[name=recipient]")
    assert forms[0].select("[name=address]")
    assert not soup_of(page).select(f"a[href='{letter_url}']")


@pytest.mark.parametrize(("online", "status"), [(True, "published"), (False, "hidden")])
def test_no_letter_for_an_online_or_unpublished_need(client_a, call_a, online, status):
    need = make_need(call_a, status=status, channel="online" if online else "counter")
    letter_url = reverse("needs_list:letter", args=[need.pk])
    page = client_a.get(reverse("needs_list:moderate", args=[need.pk]))
    assert page.status_code == 200
    assert letter_url not in page.content.decode()
    assert client_a.post(letter_url, {"recipient": "Odile"}).status_code == 404
    if online:
        # Nor the screen that hands a resident their private link.
        assert client_a.get(reverse("needs_list:entered", args=[need.pk])).status_code == 404
    assert not ModelLogEntry.objects.filter(action="mprc.need_letter").exists()


# Random input ----------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ["", " ", "kept", "not_kept", "open", "1", "-1", "9999999999999999999"]
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(outcome=TEXT, priority=TEXT, note=TEXT)
def test_random_outcomes_never_fail(client_a, needs, outcome, priority, note):
    need = Need.objects.get(pk=needs["published"].pk)
    response = client_a.post(
        reverse("needs_list:outcome", args=[need.pk]),
        {"outcome": outcome, "priority": priority, "outcome_note": note},
    )
    assert response.status_code in (200, 302)
    stored = Need.objects.get(pk=need.pk)
    if response.status_code == 200:
        assert stored.outcome_decided_at == need.outcome_decided_at
        assert stored.priority_id == need.priority_id
    else:
        assert stored.outcome in Outcome.values
        if stored.outcome != Outcome.KEPT:
            assert stored.priority_id is None


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=TEXT,
    kind=TEXT,
    channel=TEXT,
    email=TEXT,
    hamlet=TEXT,
    call=st.sampled_from(["own", "other", "", "x"]),
    consent=st.booleans(),
)
def test_random_entries_never_fail(
    client_a, can_add, call_a, call_b, title, kind, channel, email, hamlet, call, consent
):
    before = Need.objects.count()
    data = entry(
        {"own": call_a, "other": call_b}.get(call, call_a),
        title=title,
        kind=kind,
        channel=channel,
        email=email,
        hamlet=hamlet,
    )
    if call not in ("own", "other"):
        data["call"] = call
    if not consent:
        del data["consent"]
    response = client_a.post(reverse("needs_list:add"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Need.objects.count() == before
    else:
        need = Need.objects.latest("pk")
        assert need.call_id == call_a.pk
        assert "\x00" not in need.title
        need.delete()
    mail.outbox.clear()


# The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_lines(needs, commune_a, commune_b, editor_a, call_a):
    closed = make_call(commune_a, closed=True)
    make_need(closed, title="Oublié")
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        items = dashboard.items([commune_a, commune_b], editor_a, today)
    texts = [" ".join(str(item.text).split()) for item in items[commune_a.pk]]
    assert len(queries) <= 4
    assert texts[0].startswith("1 ")
    labels = [str(item.label) for item in items[commune_a.pk]]
    assert labels == [
        gettext("Needs to approve"),
        gettext("Needs without an outcome"),
        gettext("Call for needs"),
    ]
    assert items[commune_a.pk][1].links[0].text == "Oublié"
    assert call_a.title in texts[2]


def test_the_dashboard_costs_the_same_for_more_communes(needs, commune_a, commune_b, editor_a):
    today = timezone.localdate()
    dashboard.items([commune_a], editor_a, today)  # the user's permissions, cached
    with CaptureQueriesContext(connection) as one:
        dashboard.items([commune_a], editor_a, today)
    with CaptureQueriesContext(connection) as two:
        dashboard.items([commune_a, commune_b], editor_a, today)
    assert len(one) == len(two)


def test_an_unconfirmed_need_takes_no_decision(client_a, call_a):
    need = make_need(call_a, status=NeedStatus.UNCONFIRMED, published_at=None)
    for name, data in (
        ("moderate", {"action": "publish"}),
        ("answer", {"staff_answer": "Bonjour."}),
        ("outcome", {"outcome": Outcome.NOT_KEPT, "outcome_note": "Non."}),
    ):
        response = client_a.post(reverse(f"needs_list:{name}", args=[need.pk]), data)
        assert response.status_code == 302
    stored = Need.objects.get(pk=need.pk)
    assert stored.status == NeedStatus.UNCONFIRMED
    assert stored.staff_answer == ""
    assert stored.outcome_decided_at is None
    assert mail.outbox == []
