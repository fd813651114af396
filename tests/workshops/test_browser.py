"""Two phones on one board at 360 px: each adds a card and sees the other's without a reload."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 10_000
SHOTS = Path("/tmp/shots")


def test_two_phones_see_each_others_cards(live_server, browser):
    from playwright.sync_api import expect

    headers = {"Authorization": f"Bearer {live_server.organiser_token()}"}
    api = f"{live_server.url}/api/v1"
    event = requests.post(f"{api}/events", json={"title": "Forum ateliers"}, headers=headers, timeout=10).json()
    for phase in ("proposals", "voting", "closed", "workshops"):
        requests.put(f"{api}/events/{event['id']}/phase", json={"phase": phase}, headers=headers,
                     timeout=10).raise_for_status()
    workshop = requests.post(f"{api}/events/{event['id']}/workshops", json={"title": "Transition numérique"},
                             headers=headers, timeout=10).json()
    phones = []
    for name in ("Alice", "Bob"):
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True)
        phone = context.new_page()
        phone.goto(event["join_url"])
        phone.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill(name)
        phone.get_by_role("button", name="Rejoindre").click()
        phone.goto(f"{live_server.url}/e/{event['id']}/workshops")
        phone.get_by_role("button", name="Rejoindre cet atelier").click()
        expect(phone.get_by_role("heading", name="Transition numérique", level=1)).to_be_visible(timeout=WAIT_MS)
        expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
        phones.append(phone)
    alice, bob = phones

    alice.get_by_label("Rubrique", exact=True).select_option("constat")
    alice.get_by_label("Votre carte").fill("Le numérique, c'est le parcours du combattant")
    alice.get_by_role("button", name="Ajouter", exact=True).click()
    bob.get_by_label("Rubrique", exact=True).select_option("propositions")
    bob.get_by_label("Votre carte").fill("Créer le SANU")
    bob.get_by_label("Le gain (pour une proposition)").fill("Un accès plus rapide aux droits")
    bob.get_by_role("button", name="Ajouter", exact=True).click()

    for phone in (alice, bob):
        expect(phone.locator('[data-cards="constat"] .board-card-text')).to_have_text(
            ["Le numérique, c'est le parcours du combattant"], timeout=WAIT_MS)
        expect(phone.locator('[data-cards="propositions"] .board-card-text')).to_have_text(
            ["Créer le SANU"], timeout=WAIT_MS)
        expect(phone.locator('[data-cards="propositions"] [data-slot="gain"]')).to_have_text(
            ["Un accès plus rapide aux droits"])
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    alice.screenshot(path=str(SHOTS / "workshop-phone.png"), full_page=True)
    projector = browser.new_page(locale="fr-FR", viewport={"width": 1920, "height": 1080})
    projector.goto(f"{event['projector_url']}/workshops/{workshop['id']}")
    expect(projector.locator('[data-cards="propositions"] .board-card-text')).to_have_text(["Créer le SANU"])
    projector.screenshot(path=str(SHOTS / "workshop-projector.png"))
    assert requests.get(f"{api}/workshops/{workshop['id']}", headers=headers, timeout=10).json()[
        "workshop"]["cards"] == 2
