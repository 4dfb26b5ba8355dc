"""Helpers shared by the browser tests."""

import re
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

EDIT_URL = re.compile(r"/admin/pages/(\d+)/edit/$")

_axe = None
SERIOUS = frozenset({"serious", "critical"})
# axe-core leaves WCAG 2.2's target-size rule (tagged wcag22aa) off unless asked; the public
# site keeps to it: every link or control is 24 by 24 CSS pixels, or spaced as large.
PUBLIC_RULES = {"target-size": {"enabled": True}}


def _violations(page, impacts, within=None, rules=None):
    """axe-core's violations of ``impacts`` (None: every impact) on the page or ``within``."""
    global _axe
    if _axe is None:
        _axe = Axe()
    options = {"resultTypes": ["violations"]}
    if rules:
        options["rules"] = rules
    results = _axe.run(page, context=within, options=options)
    violations = results.response.get("violations", [])
    return [v for v in violations if impacts is None or v.get("impact") in impacts]


def _fail(violations, context):
    lines = [f"axe-core: violations on {context}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation.get("nodes", [])[:10]:
            lines.append(f"    {node.get('target')}  {node.get('failureSummary', '')!r}")
    pytest.fail("\n".join(lines), pytrace=False)


def assert_accessible(page, context="", impacts=SERIOUS):
    """Fail when axe-core, with the target-size rule on, finds violations of ``impacts``
    (serious or critical ones unless told; None: any) on the public page as it is."""
    violations = _violations(page, impacts, rules=PUBLIC_RULES)
    if violations:
        _fail(violations, context or page.url)


def assert_admin_accessible(page, context, ours=None):
    """The Wagtail admin is not ours to make axe-clean everywhere: no critical violation on
    the page, and (``ours``: a selector of what our templates or forms add) no serious one
    there."""
    violations = _violations(page, {"critical"})
    if ours:
        violations += _violations(page, {"serious"}, within=ours)
    if violations:
        _fail(violations, context)


def admin_login(page, live_site, username):
    """Log in through the Wagtail admin login form; the page ends on the dashboard."""
    page.goto(live_site.url("/admin/login/"))
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', live_site.password)
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()
    page.wait_for_url(lambda url: not url.rstrip("/").endswith("/admin/login"))


def publish_in_editor(page):
    """Click “Publish” in Wagtail's page editor and wait to leave the editor.

    Wagtail 8: "Publier" sits in the dropdown of the editor footer's action menu.
    """
    footer = page.locator("footer").filter(has=page.locator('button[name="action-publish"]'))
    publish = footer.locator('button[name="action-publish"]')
    if not publish.is_visible():
        footer.locator("[data-w-dropdown-target='toggle'], .dropdown-toggle").first.click()
    expect(publish).to_be_visible()
    publish.click()
    # Publishing sends the editor back to the explorer, with a confirmation.
    page.wait_for_url(lambda url: not EDIT_URL.search(urlsplit(url).path))


# Django's file e-mail backend ends every message it writes with this line.
_MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def newest_email(mail_dir, to):
    """The newest e-mail to ``to`` that Django's file backend wrote into ``mail_dir``.

    The backend writes one ``.log`` file per connection, each holding one or more
    messages; the newest file (then the last message in it) that is addressed to ``to``
    wins. Returns an ``email.message.EmailMessage``; ``get_content()`` gives the body.
    """
    files = sorted(
        Path(mail_dir).glob("*.log"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True
    )
    for path in files:
        chunks = [chunk for chunk in path.read_bytes().split(_MAIL_SEPARATOR) if chunk.strip()]
        for chunk in reversed(chunks):
            message = message_from_bytes(chunk, policy=policy.default)
            if to.casefold() in str(message.get("To", "")).casefold():
                return message
    pytest.fail(f"No e-mail to {to} in {mail_dir} ({len(files)} files).", pytrace=False)


def assert_errors_tied_to_fields(page, form, expected, may_be_invalid=frozenset()):
    """After a submission with errors: a summary above the form, and the ``expected``
    fields (plus perhaps ``may_be_invalid`` ones) marked ``aria-invalid``, each described
    by its visible error and able to take the focus."""
    summary = page.locator("main .form-errors[role='alert']")
    expect(summary).to_have_count(1)
    expect(summary).to_be_visible()
    expect(summary).not_to_have_text(re.compile(r"^\s*$"))

    invalid = form.locator("[aria-invalid='true']")
    names = {invalid.nth(i).get_attribute("name") for i in range(invalid.count())}
    assert expected <= names, f"not marked aria-invalid: {sorted(expected - names)}"
    wrong = names - expected - set(may_be_invalid)
    assert not wrong, f"wrongly marked: {sorted(wrong)}"
    for i in range(invalid.count()):
        field = invalid.nth(i)
        name = field.get_attribute("name")
        described_by = (field.get_attribute("aria-describedby") or "").split()
        assert described_by, f"{name}: aria-invalid but no aria-describedby"
        for ref in described_by:
            expect(page.locator(f"[id='{ref}']"), f"{name}: #{ref}").to_have_count(1)
        errors = page.locator(", ".join(f"[id='{ref}'].field-error" for ref in described_by))
        expect(errors, f"{name}: no error among {described_by}").to_have_count(1)
        expect(errors).to_be_visible()
        expect(errors).not_to_have_text(re.compile(r"^\s*$"))
        field.focus()
        expect(field, f"{name} cannot take the focus").to_be_focused()
