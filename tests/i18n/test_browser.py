"""A visitor switches the interface French → English → French with the header's links, in Chromium."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from barcamp.common.db import write_transaction
from barcamp.extensions import db

pytestmark = pytest.mark.browser
WAIT_MS = 10_000


@pytest.fixture
def served(app):
    """The test app behind a real HTTP server in a thread (no migrations: the app fixture created the tables)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_visitor_switches_language_and_back(served, browser, app, make_event, make_participant, make_proposal):
    from playwright.sync_api import expect

    event = make_event()
    make_proposal(event, title="Un hackathon sur l'open data")
    page = browser.new_page(locale="fr-FR", viewport={"width": 360, "height": 740})
    page.goto(served + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Code du forum")).to_be_visible(timeout=WAIT_MS)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=WAIT_MS)
    expect(page.get_by_label("Forum code")).to_be_visible()
    expect(page.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")

    # the choice sticks while browsing: the library speaks English too
    page.goto(served + "/ressources?section=moocs")
    expect(page.get_by_role("heading", name="Resource library")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="8 resources")).to_be_visible()

    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="8 ressources")).to_be_visible()
    assert page.url.endswith("/ressources?section=moocs")  # back on the same page
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_glossary_term_opens_in_place_on_tap(served, browser, app, make_event, make_participant, make_proposal):
    """The marked term is a disclosure button with JavaScript (a link to the glossary without)."""
    from playwright.sync_api import expect

    event = make_event()
    participant = make_participant(event, "Alice")
    make_proposal(event, participant, title="Un hackathon citoyen")
    page = browser.new_page(locale="fr-FR", viewport={"width": 360, "height": 740}, has_touch=True)
    # join through the real page, so the session cookie is the browser's
    page.goto(f"{served}/")
    page.get_by_label("Code du forum").fill(event["join_code"])
    page.get_by_role("button", name="Rejoindre").click()
    page.get_by_role("button", name="Rejoindre").click()
    term = page.get_by_role("button", name="hackathon", exact=True)
    expect(term).to_have_attribute("aria-expanded", "false", timeout=WAIT_MS)
    definition = page.locator(".glossary-def").first
    expect(definition).to_be_hidden()
    term.tap()
    expect(term).to_have_attribute("aria-expanded", "true")
    expect(definition).to_contain_text("Type d'événement, initialement lié au développement informatique")
    term.tap()
    expect(definition).to_be_hidden()
