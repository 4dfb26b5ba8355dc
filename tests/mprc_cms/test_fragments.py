"""Fragments of pages kept for anonymous visitors (mprc_cms/page_cache.py ``fragment``,
the ``{% fragment %}`` tag): rendered once, rendered again as soon as the data they show
changes, never shared with signed-in users, previews, another language or another site."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mprc_cms import page_cache

pytestmark = pytest.mark.django_db


def anonymous(host="testserver"):
    request = RequestFactory().get("/", HTTP_HOST=host)
    request.user = AnonymousUser()
    return request


class Renders:
    """A render function that counts its calls and shows ``data``."""

    def __init__(self, data=None):
        self.calls = 0
        self.data = data if data is not None else {"text": "v1"}

    def __call__(self):
        self.calls += 1
        return f"<p>{self.data['text']}</p>"


def test_a_fragment_is_rendered_once_for_anonymous_visitors(network_home):
    render = Renders()
    assert page_cache.fragment(anonymous(), "card", [1], render) == "<p>v1</p>"
    assert page_cache.fragment(anonymous(), "card", [1], render) == "<p>v1</p>"
    assert render.calls == 1
    # Another value of what it depends on is another fragment.
    page_cache.fragment(anonymous(), "card", [2], render)
    assert render.calls == 2


def test_a_change_of_its_commune_renders_it_again(commune_a, commune_b):
    render = Renders()
    page_cache.fragment(anonymous(), "card", [1], render, communes=[commune_a.pk])
    # Another commune's change leaves it.
    page_cache.changed(commune_b)
    page_cache.fragment(anonymous(), "card", [1], render, communes=[commune_a.pk])
    assert render.calls == 1
    render.data["text"] = "v2"
    page_cache.changed(commune_a)
    assert page_cache.fragment(anonymous(), "card", [1], render, communes=[commune_a]) == (
        "<p>v2</p>"
    )
    # A change of the network's data too.
    render.data["text"] = "v3"
    page_cache.changed_everywhere()
    assert page_cache.fragment(anonymous(), "card", [1], render, communes=[commune_a]) == (
        "<p>v3</p>"
    )


def test_without_communes_any_change_renders_it_again(commune_a, commune_b):
    render = Renders()
    page_cache.fragment(anonymous(), "card", [], render)
    render.data["text"] = "v2"
    page_cache.changed(commune_b)
    assert page_cache.fragment(anonymous(), "card", [], render) == "<p>v2</p>"
    # An unknown commune (None) is the same.
    render.data["text"] = "v3"
    page_cache.changed(commune_a)
    assert page_cache.fragment(anonymous(), "card", [], render, communes=[None]) == "<p>v3</p>"


def test_signed_in_users_and_previews_get_it_rendered(network_home, superuser):
    render = Renders()
    request = anonymous()
    request.user = superuser
    page_cache.fragment(request, "card", [], render)
    page_cache.fragment(request, "card", [], render)
    assert render.calls == 2
    preview = anonymous()
    preview.is_preview = True
    page_cache.fragment(preview, "card", [], render)
    page_cache.fragment(preview, "card", [], render)
    assert render.calls == 4
    # Nothing they saw was kept for the others.
    page_cache.fragment(anonymous(), "card", [], render)
    assert render.calls == 5


def test_the_language_and_the_site_are_part_of_the_key(network_home):
    render = Renders()
    with translation.override("fr"):
        page_cache.fragment(anonymous(), "card", [], render)
    with translation.override("en"):
        page_cache.fragment(anonymous(), "card", [], render)
    page_cache.fragment(anonymous("aubigny.example"), "card", [], render)
    assert render.calls == 3


def test_a_fragment_with_a_csrf_token_is_never_kept(network_home):
    calls = []

    def render():
        calls.append(1)
        return '<input type="hidden" name="csrfmiddlewaretoken" value="secret">'

    page_cache.fragment(anonymous(), "form", [], render)
    page_cache.fragment(anonymous(), "form", [], render)
    assert len(calls) == 2


def test_what_the_render_said_about_the_page_is_said_again(network_home, commune_b):
    tomorrow = page_cache.next_midnight() + timedelta(hours=10)

    def render():
        request = current[0]
        page_cache.valid_until(request, tomorrow)
        page_cache.depends_on(request, [page_cache.commune_scope(commune_b)])
        return "<p>meeting</p>"

    current = [anonymous()]
    page_cache.fragment(current[0], "meeting", [], render)
    second = anonymous()
    current[0] = None  # a render now would fail: the memo is used
    assert page_cache.fragment(second, "meeting", [], render) == "<p>meeting</p>"
    assert second.page_cache_until == tomorrow
    assert second.page_cache_extra_scopes == {page_cache.commune_scope(commune_b)}


def test_a_fragment_valid_until_later_today_is_not_kept(network_home):
    soon = timezone.now() + timedelta(seconds=1)
    calls = []

    def render():
        calls.append(1)
        page_cache.valid_until(request, soon)
        return "<p>starts soon</p>"

    request = anonymous()
    page_cache.fragment(request, "meeting", [], render)
    request = anonymous()
    page_cache.fragment(request, "meeting", [], render)
    assert len(calls) == 2
    assert request.page_cache_until == soon


def test_a_fragment_keeps_its_own_effects_whatever_the_page_said_before(network_home, commune_b):
    """The page had already said more (a sooner limit, the same extra scope, never cache)
    when the fragment was first rendered: the fragment still records what it said itself,
    so that a later page using the memo says it too, and a same-day limit is not kept."""
    tomorrow = page_cache.next_midnight() + timedelta(hours=10)
    soon = timezone.now() + timedelta(seconds=30)
    scope = page_cache.commune_scope(commune_b)

    def render():
        request = current[0]
        page_cache.valid_until(request, tomorrow)
        page_cache.depends_on(request, [scope])
        page_cache.exempt(request)
        return "<p>meeting</p>"

    first = anonymous()
    page_cache.valid_until(first, soon)
    page_cache.depends_on(first, [scope])
    page_cache.exempt(first)
    current = [first]
    page_cache.fragment(first, "meeting", [], render)
    # The page's own sooner limit stays; nothing it said is lost.
    assert first.page_cache_until == soon
    assert first.page_cache_extra_scopes == {scope}
    assert first.page_cache_exempt is True

    second = anonymous()
    current[0] = None  # a render now would fail: the memo is used
    assert page_cache.fragment(second, "meeting", [], render) == "<p>meeting</p>"
    assert second.page_cache_until == tomorrow
    assert second.page_cache_extra_scopes == {scope}
    assert second.page_cache_exempt is True


def test_a_same_day_limit_is_not_kept_even_after_a_sooner_one(network_home):
    soon = timezone.now() + timedelta(seconds=30)
    later = timezone.now() + timedelta(seconds=60)
    if later >= page_cache.next_midnight():
        pytest.skip("too close to midnight for a same-day limit")
    calls = []

    def render():
        calls.append(1)
        page_cache.valid_until(current[0], later)
        return "<p>starts later</p>"

    first = anonymous()
    page_cache.valid_until(first, soon)
    current = [first]
    page_cache.fragment(first, "meeting", [], render)
    current[0] = second = anonymous()
    page_cache.fragment(second, "meeting", [], render)
    assert len(calls) == 2
    assert second.page_cache_until == later


def test_the_template_tag_keys_on_its_arguments_and_its_object(commune_a, commune_b):
    template = Template(
        '{% load fragments %}{% fragment "t" level of=page %}{{ page.title }}/{{ level }}'
        "/{{ extra }}{% endfragment %}"
    )

    def render(page, level, extra):
        return template.render(
            Context({"request": anonymous(), "page": page, "level": level, "extra": extra})
        )

    a, b = commune_a.title, commune_b.title
    assert render(commune_a, 2, "x") == f"{a}/2/x"
    assert render(commune_b, 2, "x") == f"{b}/2/x"
    assert render(commune_a, 3, "x") == f"{a}/3/x"
    # What is not an argument is not part of the key: kept from the first render.
    assert render(commune_a, 2, "y") == f"{a}/2/x"
    commune_a.title = "Aubigny-en-Plaine"
    commune_a.save_revision().publish()
    assert render(commune_a, 2, "y") == "Aubigny-en-Plaine/2/y"
    assert render(commune_b, 2, "y") == f"{b}/2/x"  # another commune's change


def test_a_fragment_of_nothing_is_rendered_and_not_kept(network_home):
    """An error page has no ``page``: the layout's fragments of it are rendered each time,
    and an address made up by a visitor fills no memo."""
    template = Template('{% load fragments %}{% fragment "t" of=page %}{{ n }}{% endfragment %}')
    for n in (1, 2):
        assert template.render(Context({"request": anonymous(), "n": n})) == str(n)


def test_the_layout_is_the_pages_own_on_every_address(client, commune_a, commune_b):
    """The header and the footer are fragments per address: each page's menu marks itself,
    the footer's language form returns to the address visited, and a 404 has neither
    another page's header nor its footer."""
    from home.factories import StandardPageFactory

    first = StandardPageFactory(parent=commune_a, title="Horaires", show_in_menus=True)
    second = StandardPageFactory(parent=commune_a, title="Salle des fêtes", show_in_menus=True)
    for page in (first, second, first):
        body = client.get(page.url + "?tri=nom").content.decode()
        assert f'href="{page.url}" aria-current="page"' in body
        assert f'name="next" type="hidden" value="{page.url}?tri=nom"' in body
    missing = client.get(commune_a.url + "nulle-part/")
    assert missing.status_code == 404
    assert 'aria-current="page"' not in missing.content.decode()
    assert f'value="{commune_a.url}nulle-part/"' in missing.content.decode()


# --- Never stale, whatever the order of renders and changes ----------------------------------

SCOPES = ["a", "b", "network"]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("render"), st.sampled_from(["a", "b", None]), st.integers(0, 2)),
        st.tuples(st.just("change"), st.sampled_from(SCOPES), st.integers(0, 2)),
    ),
    max_size=25,
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_a_fragment_always_shows_the_current_data(commune_a, commune_b, steps):
    """A model of the network: the data of commune A, of commune B and of the network; a
    fragment shows one commune's data (or all of it: None) and the network's. After any
    sequence of renders and changes, each followed by ``changed`` as the model signals
    do, a fragment shows exactly what a render would."""
    # Each example starts from fresh data: nothing kept from the previous one.
    page_cache.backend().clear()
    page_cache.forget_local_memos()
    communes = {"a": commune_a, "b": commune_b}
    data = dict.fromkeys(SCOPES, 0)
    for step, scope, item in steps:
        if step == "change":
            data[scope] += 1
            if scope == "network":
                page_cache.changed_everywhere()
            else:
                page_cache.changed(communes[scope])
            continue

        def render(scope=scope, item=item):
            shown = [scope] if scope else ["a", "b"]
            return ",".join(f"{s}{data[s]}" for s in [*shown, "network"]) + f"#{item}"

        expected = render()
        shown = page_cache.fragment(
            anonymous(),
            "model",
            [scope, item],
            render,
            communes=[communes[scope].pk] if scope else None,
        )
        assert shown == expected
