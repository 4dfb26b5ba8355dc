"""Under the English interface, the interface's own words on the volunteer sign-up page
are marked English, and what the editors wrote (title, introduction, consent text) stays
French (WCAG 3.1.2, language of parts): ``<main>`` is marked with the content's language."""

import pytest

from tests.parliament.test_interface_lang import (
    assert_languages,
    english,
    english_path,
    headings_of,
    language_of,
)

pytestmark = pytest.mark.django_db


def test_the_signup_page_marks_its_headings(client, signup_page):
    main, headings = headings_of(client, english_path(signup_page.url))
    interface = english("About you", "Your consent")
    assert_languages(headings, interface, {signup_page.title})
    assert language_of(main.select_one("p.eligibility")) == "en"
    form = main.find("form", class_="form")
    assert language_of(form) == "en"
    assert language_of(form.find("button", type="submit")) == "en"
    assert language_of(main.select_one("#consent-text")) == "fr"
    assert language_of(main.select_one(".lead")) == "fr"
