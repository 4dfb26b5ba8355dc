"""Following a page by e-mail (mprc_cms/following.py): double opt-in, one-click stop, the
«each news» e-mails and the weekly digest grouped by address. The core alone declares no
followable page type: these tests declare the commune's standard pages followable, their
«module» on while the commune's news page is live."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from home.factories import StandardPageFactory
from home.models import NewsIndexPage, StandardPage
from mprc_cms import following, french
from mprc_cms.models import Follower, FollowFrequency, FollowUpdate, RateLimitHit
from mprc_cms.modules import Module, ModuleInfo

pytestmark = pytest.mark.usefixtures("french")

MODULE = Module(
    ModuleInfo(
        key="newsfollow",
        label="Test",
        description="",
        invitation="",
        index_page_model="home.NewsIndexPage",
        followable_pages=("home.StandardPage",),
    ),
    "home",
)


@pytest.fixture(autouse=True)
def followable(monkeypatch):
    monkeypatch.setattr(following, "followable_models", lambda: {StandardPage: MODULE})


@pytest.fixture
def page(commune_a):
    return StandardPageFactory(parent=commune_a, title="Le lavoir")


@pytest.fixture
def other_page(commune_a):
    return StandardPageFactory(parent=commune_a, title="La halle")


def follow_url(page):
    return reverse("following:follow", args=[page.pk])


def post_follow(client, page, email="ana@example.org", frequency="weekly", **extra):
    return client.post(follow_url(page), {"email": email, "frequency": frequency, **extra})


def links(message):
    return re.findall(r"https?://\S+", message.body)


def link_path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def confirm(client, follower_or_message):
    message = follower_or_message
    url = next(link for link in links(message) if "/suivre/confirmer/" in link)
    return client.post(link_path(url))


def confirmed(page, email="ana@example.org", frequency=FollowFrequency.WEEKLY, days_ago=30):
    when = timezone.now() - timedelta(days=days_ago)
    follower = Follower.objects.create(
        page=page, email=email, frequency=frequency, confirmed_at=when
    )
    Follower.objects.filter(pk=follower.pk).update(created_at=when)
    follower.refresh_from_db()
    return follower


def text(response):
    return " ".join(response.content.decode().split())


def says(message, msgid, **values):
    """The e-mail's body holds the translation of ``msgid`` (spaces compared loosely)."""
    return " ".join((gettext(msgid) % values).split()) in " ".join(message.body.split())


def signed_by(message, commune):
    signature = french.contract(
        gettext("The town hall of %(commune)s") % {"commune": commune.title}, commune.title
    )
    return message.body.rstrip().endswith(" ".join(signature.split()))


def main(response):
    """The page's main content, without the tokens that change with every answer."""
    content = text(response)
    content = content[content.index("<main") : content.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)


# --- The form and the double opt-in -------------------------------------------------------


def test_page_shows_the_form(client, page):
    response = client.get(follow_url(page))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="email"' in content
    assert 'value="each"' in content
    assert 'name="website"' in content  # the honeypot


def test_the_tag_renders_a_form_posting_to_the_view(rf, page):
    from django.template import Context, Template

    rendered = Template("{% load following %}{% follow_form page %}").render(
        Context({"page": page, "request": rf.get("/")})
    )
    assert f'action="{follow_url(page)}"' in rendered
    assert 'method="post"' in rendered


def test_the_tag_renders_nothing_for_a_page_not_followable(rf, commune_a):
    from django.template import Context, Template

    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    rendered = Template("{% load following %}{% follow_form page %}").render(
        Context({"page": news_index, "request": rf.get("/")})
    )
    assert rendered.strip() == ""


def test_double_opt_in(client, page, mailoutbox):
    response = post_follow(client, page)
    assert response.status_code == 200
    follower = Follower.objects.get()
    assert follower.confirmed_at is None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana@example.org"]
    assert signed_by(message, page.get_parent().specific)
    assert "List-Unsubscribe" in message.extra_headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The link's GET only shows a button (mail scanners open links).
    url = next(link for link in links(message) if "/suivre/confirmer/" in link)
    assert client.get(link_path(url)).status_code == 200
    follower.refresh_from_db()
    assert follower.confirmed_at is None
    response = client.post(link_path(url))
    assert response.status_code == 200
    follower.refresh_from_db()
    assert follower.confirmed_at is not None


def test_no_second_email_to_an_unconfirmed_address(client, page, mailoutbox):
    first = post_follow(client, page)
    second = post_follow(client, page, email="ANA@example.org")
    assert len(mailoutbox) == 1
    assert Follower.objects.count() == 1
    assert main(first) == main(second)


def test_an_unconfirmed_address_is_mailed_once_whatever_the_pages(
    client, page, other_page, mailoutbox
):
    """A stranger asking to follow page after page for someone else's address sends it one
    confirmation e-mail; confirming it confirms the other follows asked that week."""
    post_follow(client, page)
    post_follow(client, other_page, email="Ana@example.org")
    assert len(mailoutbox) == 1
    assert Follower.objects.filter(confirmed_at=None).count() == 2
    response = confirm(client, mailoutbox[0])
    assert response.status_code == 200
    assert not Follower.objects.filter(confirmed_at=None).exists()
    assert other_page.title in text(response)


def test_an_expired_request_may_ask_again(client, page, mailoutbox):
    post_follow(client, page)
    Follower.objects.update(created_at=timezone.now() - timedelta(days=8))
    post_follow(client, page)
    assert len(mailoutbox) == 2
    assert Follower.objects.count() == 1


def test_same_answer_whether_or_not_the_address_follows(client, page, other_page, mailoutbox):
    confirmed(page)
    known = post_follow(client, page)
    unknown = post_follow(client, other_page, email="bob@example.org")
    assert known.status_code == unknown.status_code == 200
    sent = gettext(
        "Check your e-mail: we have sent you a link to confirm. Nothing is sent before you confirm."
    )
    assert " ".join(sent.split()) in text(known)
    known, unknown = (re.sub(r'(href|action)="[^"]*"', "", main(r)) for r in (known, unknown))
    assert known.replace("Le lavoir", "X") == unknown.replace("La halle", "X")
    assert [message.to for message in mailoutbox] == [["bob@example.org"]]


def test_honeypot_stores_nothing(client, page, mailoutbox):
    response = post_follow(client, page, website="http://spam.example")
    assert response.status_code == 200
    assert not Follower.objects.exists()
    assert mailoutbox == []


def test_rate_limit(client, page, settings, mailoutbox):
    settings.MPRC_RATE_LIMITS = {"following.follow.ip": (1, 3600)}
    post_follow(client, page)
    response = post_follow(client, page, email="bob@example.org")
    assert response.status_code == 429
    assert Follower.objects.count() == 1


def test_a_confirmation_link_too_old_is_refused(client, page, mailoutbox):
    post_follow(client, page)
    follower = Follower.objects.get()
    old = following.tokens.make_token(
        follower.public_id,
        following.CONFIRM_SALT,
        timestamped=True,
        now=timezone.now().timestamp() - 8 * 86400,
    )
    response = client.post(reverse("following:confirm", args=[old]))
    assert response.status_code == 404
    follower.refresh_from_db()
    assert follower.confirmed_at is None


# --- Which pages may be followed ------------------------------------------------------------


def test_a_draft_page_cannot_be_followed(client, page):
    page.unpublish()
    assert client.get(follow_url(page)).status_code == 404
    assert post_follow(client, page).status_code == 404
    assert not Follower.objects.exists()


def test_a_page_of_a_module_switched_off_cannot_be_followed(client, page, commune_a):
    NewsIndexPage.objects.child_of(commune_a).get().unpublish()
    assert client.get(follow_url(page)).status_code == 404
    assert post_follow(client, page).status_code == 404


def test_a_page_type_not_declared_cannot_be_followed(client, commune_a):
    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    assert client.get(follow_url(news_index)).status_code == 404


def test_a_private_page_cannot_be_followed(client, page):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert client.get(follow_url(page)).status_code == 404


def test_a_page_of_a_draft_commune_cannot_be_followed(client, page, commune_a):
    commune_a.unpublish()
    assert client.get(follow_url(page)).status_code == 404


def test_an_unknown_page(client, db):
    assert client.get(reverse("following:follow", args=[999999])).status_code == 404


# --- Stopping --------------------------------------------------------------------------------


def test_one_click_stop(page, mailoutbox):
    from django.test import Client

    follower = confirmed(page)
    url = reverse("following:stop", args=[following.stop_token(follower)])
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.get(url)
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert Follower.objects.exists()
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follower.objects.exists()
    assert csrf_client.post(url).status_code == 404


def test_stop_everything(client, page, other_page):
    follower = confirmed(page)
    confirmed(other_page, email="ANA@example.org")
    keep = confirmed(other_page, email="bob@example.org")
    url = reverse("following:stop_all", args=[following.stop_all_token(follower)])
    assert client.post(url).status_code == 200
    assert list(Follower.objects.all()) == [keep]


def test_a_forged_stop_link(client, page):
    follower = confirmed(page)
    forged = following.stop_token(follower)[:-3] + "abc"
    assert client.post(reverse("following:stop", args=[forged])).status_code == 404
    assert Follower.objects.exists()


# --- Announcements ---------------------------------------------------------------------------


def test_each_news_is_sent_at_once(page, mailoutbox):
    confirmed(page, frequency=FollowFrequency.EACH)
    confirmed(page, email="weekly@example.org")
    Follower.objects.create(page=page, email="pending@example.org", frequency="each")
    update = following.announce(page, "Les travaux commencent", text="Lundi.")
    assert update is not None
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]
    message = mailoutbox[0]
    assert "Les travaux commencent" in message.subject
    assert "Lundi." in message.body
    assert says(message, "You receive this e-mail because you asked to follow this page.")
    assert signed_by(message, page.get_parent().specific)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/suivre/arreter/" in message.extra_headers["List-Unsubscribe"]


def test_nothing_is_recorded_without_followers(page):
    assert following.announce(page, "Personne") is None
    assert not FollowUpdate.objects.exists()


def test_weekly_digest_grouped_per_address(page, other_page, mailoutbox):
    confirmed(page)
    confirmed(other_page, email="Ana@Example.org")
    confirmed(page, email="bob@example.org")
    following.announce(page, "Nouvelle étape")
    following.announce(other_page, "Réunion publique")
    assert mailoutbox == []
    sent = following.run_digests()
    assert sent == 2
    by_address = {message.to[0].lower(): message for message in mailoutbox}
    ana = by_address["ana@example.org"]
    assert "Nouvelle étape" in ana.body
    assert "Réunion publique" in ana.body
    assert ana.body.count("/suivre/arreter/") == 2  # one link per page
    assert "/suivre/arreter-tout/" in ana.body
    assert says(ana, "You receive this e-mail because you asked to follow these pages.")
    assert signed_by(ana, page.get_parent().specific)
    assert "/suivre/arreter-tout/" in ana.extra_headers["List-Unsubscribe"]
    assert ana.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Réunion publique" not in by_address["bob@example.org"].body
    # One digest a week at most per address.
    following.announce(page, "Encore du nouveau")
    assert following.run_digests() == 0
    assert following.run_digests(timezone.now() + timedelta(days=7, minutes=1)) == 2
    assert "Nouvelle étape" not in mailoutbox[-1].body


def test_no_digest_without_news(page, mailoutbox):
    confirmed(page)
    assert following.run_digests() == 0
    assert mailoutbox == []


def test_news_before_the_confirmation_is_not_sent(page, mailoutbox):
    confirmed(page, email="bob@example.org")
    following.announce(page, "Ancienne nouvelle")
    FollowUpdate.objects.update(created_at=timezone.now() - timedelta(days=40))
    confirmed(page)
    assert following.run_digests() == 0


def test_the_digest_task_runs_through_the_backend(page, mailoutbox):
    confirmed(page)
    following.announce(page, "Nouvelle étape")
    result = following.send_digests.enqueue(timezone.now().isoformat())
    assert result.return_value == 1
    assert len(mailoutbox) == 1


def test_digest_queries_do_not_grow_with_followers(page, other_page, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def digest_for(start, count):
        for number in range(start, start + count):
            confirmed(page, email=f"resident{number}@example.org")
            confirmed(other_page, email=f"resident{number}@example.org")
        following.announce(page, "Nouvelle étape")
        following.announce(other_page, "Réunion")

    digest_for(0, 3)
    with CaptureQueriesContext(connection) as small:
        assert following.run_digests() == 3
    Follower.objects.all().delete()
    digest_for(100, 1000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert following.run_digests() == 1000


# --- The daily work ---------------------------------------------------------------------------


def test_daily_erases_unconfirmed_followers_and_old_updates(page, mailoutbox):
    confirmed(page, email="old@example.org")
    pending = Follower.objects.create(page=page, email="pending@example.org")
    Follower.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = Follower.objects.create(page=page, email="fresh@example.org")
    following.announce(page, "Ancienne")
    FollowUpdate.objects.update(created_at=timezone.now() - timedelta(days=61))
    following.announce(page, "Récente")
    call_command("daily", stdout=io.StringIO())
    emails = set(Follower.objects.values_list("email", flat=True))
    assert emails == {"old@example.org", fresh.email}
    assert list(FollowUpdate.objects.values_list("title", flat=True)) == ["Récente"]
    # The digest ran too.
    assert [message.to for message in mailoutbox] == [["old@example.org"]]


def test_forget_erases_every_follow_of_an_address(page, other_page):
    confirmed(page)
    confirmed(other_page, email="ANA@example.org")
    confirmed(other_page, email="bob@example.org")
    assert following.forget("ana@example.org") == 2
    assert Follower.objects.count() == 1


def test_privacy_policy_lists_following(client, commune_a):
    response = client.get(commune_a.url + commune_a.reverse_subpage("privacy"))
    assert gettext("Following pages by e-mail") in text(response)


def test_privacy_policy_without_followable_pages(client, commune_a, monkeypatch):
    monkeypatch.setattr(following, "followable_models", dict)
    response = client.get(commune_a.url + commune_a.reverse_subpage("privacy"))
    assert gettext("Following pages by e-mail") not in text(response)


# --- Any input ----------------------------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    email=st.one_of(st.text(max_size=300), st.emails()),
    frequency=st.one_of(st.sampled_from(["weekly", "each"]), st.text(max_size=20)),
)
def test_any_input_never_fails(client, page, email, frequency):
    email = email.replace("\x00", "")
    frequency = frequency.replace("\x00", "")
    RateLimitHit.objects.all().delete()
    before = Follower.objects.count()
    response = post_follow(client, page, email=email, frequency=frequency)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert Follower.objects.count() == before
    Follower.objects.all().delete()


# --- The demo ------------------------------------------------------------------------------------


def test_demo_followers_are_confirmed_and_idempotent(page, other_page):
    assert following.load_demo(per_type=1) == 2
    assert following.load_demo(per_type=1) == 0
    followers = Follower.objects.all()
    assert all(follower.confirmed_at is not None for follower in followers)
    assert all(follower.email.endswith("@example.org") for follower in followers)
    assert {follower.page_id for follower in followers} == {page.pk}
