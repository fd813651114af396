"""A phone joins, proposes and votes while the projector follows live, in real headless Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import api as _api

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 10_000
SHOTS = Path("/tmp/shots")


def test_phone_proposes_and_votes_while_projector_follows_live(live_server, browser):
    from playwright.sync_api import expect

    token = live_server.organiser_token()
    event = _api(live_server, "POST", "/events", token, json={
        "title": "Forum de l'innovation publique", "place": "Hôtel de région",
        "themes": ["Numérique", "Mobilités"], "voting": {"mode": "dots", "dots": 3, "max_per_proposal": 2}})
    _api(live_server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "proposals"})
    SHOTS.mkdir(parents=True, exist_ok=True)

    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(event["projector_url"])
    expect(projector.locator(".join-code")).to_have_text(event["join_code"], timeout=WAIT_MS)
    expect(projector.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    # the phone joins by typing the code on the home page, then picks a name
    phone.goto(live_server.url + "/")
    phone.get_by_label("Code du forum").fill(event["join_code"].lower())
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.get_by_role("heading", name=event["title"])).to_be_visible(timeout=WAIT_MS)
    phone.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill("Camille")
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.get_by_text("Vous êtes Camille")).to_be_visible(timeout=WAIT_MS)

    # ... proposes a topic; the counter follows the typing
    title = "Des guichets <b>numériques</b> accessibles"
    phone.get_by_label("Titre du sujet").fill(title)
    expect(phone.locator("[data-counter-for=title]")).to_have_text(f"{len(title)} / 120")
    phone.get_by_label("Description (facultatif)").fill("Pour les personnes éloignées du numérique.")
    phone.get_by_label("Thème", exact=True).select_option(label="Numérique")
    phone.get_by_role("button", name="Proposer ce sujet").click()
    phone_topic = phone.locator(".topic-list .topic").filter(has_text=title)
    expect(phone_topic).to_be_visible(timeout=WAIT_MS)
    expect(phone_topic.get_by_role("link", name="Modifier")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # the projector shows it without reloading (user text stays text)
    projector.evaluate("window.__sameDocument = true")
    card = projector.locator(".wall-card").filter(has_text=title)
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card.locator("b")).to_have_count(0)
    assert projector.evaluate("window.__sameDocument") is True
    phone.screenshot(path=str(SHOTS / "phone-proposals.png"), full_page=True)
    projector.screenshot(path=str(SHOTS / "projector-proposals.png"))

    # the organiser opens the vote: both screens switch to the voting layout by themselves
    _api(live_server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "voting"})
    expect(phone.get_by_text("Il vous reste 3 gommettes")).to_be_visible(timeout=WAIT_MS)
    expect(projector.locator(".bar-row").filter(has_text=title)).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    phone_topic = phone.locator(".topic-list .topic").filter(has_text=title)
    phone_topic.locator('[data-step="1"]').click()
    expect(phone_topic.locator("[data-slot=value]")).to_have_text("1", timeout=WAIT_MS)
    expect(phone.get_by_text("Il vous reste 2 gommettes")).to_be_visible(timeout=WAIT_MS)

    # the projector's bar follows the vote live
    projector.evaluate("window.__sameDocument = true")
    row = projector.locator(".bar-row").filter(has_text=title)
    expect(row.locator("[data-slot=score]")).to_have_text("1", timeout=WAIT_MS)
    assert projector.evaluate("window.__sameDocument") is True
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # at the per-topic maximum « + » is disabled and says why
    plus = phone_topic.locator('[data-step="1"]')
    plus.click()
    expect(phone_topic.locator("[data-slot=value]")).to_have_text("2", timeout=WAIT_MS)
    expect(plus).to_be_disabled()
    expect(plus).to_have_attribute("title", "Ce sujet a déjà le maximum de gommettes.")
    # a vote the server refuses anyway (a page out of date) shows the server's message inline
    plus.evaluate("button => { button.disabled = false; }")
    plus.click()
    expect(phone_topic.locator("[data-slot=vote-error]")).to_have_text("Au plus 2 gommette(s) par sujet.",
                                                                      timeout=WAIT_MS)
    phone.screenshot(path=str(SHOTS / "phone-voting.png"), full_page=True)
    projector.screenshot(path=str(SHOTS / "projector-voting.png"))
