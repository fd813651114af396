"""In headless Chromium at 360 px: typing a title shows similar topics; one tap supports one of them."""
from __future__ import annotations

import pytest

from tests.conftest import api as _api

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 10_000


def test_typing_a_title_suggests_similar_topics_and_support_posts_no_duplicate(live_server, browser):
    from playwright.sync_api import expect

    token = live_server.organiser_token()
    event = _api(live_server, "POST", "/events", token, json={"title": "Forum", "themes": ["Numérique", "Mobilités"]})
    _api(live_server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "proposals"})
    themes = {t["name"]: t["id"] for t in _api(live_server, "GET", f"/events/{event['id']}", token)["themes"]}
    for title, theme in [("Télétravail des agents", "Numérique"), ("Covoiturage des agents", "Mobilités"),
                         ("Budget vert", None)]:
        _api(live_server, "POST", f"/events/{event['id']}/proposals", token,
             json={"title": title, "theme_id": themes.get(theme)})

    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="fr-FR")
    phone.goto(f"{live_server.url}/j/{event['join_code']}")
    phone.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill("Léa")
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.get_by_text("Vous êtes Léa")).to_be_visible(timeout=WAIT_MS)

    # topics grouped under their theme, filterable
    expect(phone.locator(".theme-heading")).to_have_text(["Numérique", "Mobilités", "Sans thème"], timeout=WAIT_MS)
    phone.locator(".theme-filter").get_by_role("button", name="Mobilités").click()
    expect(phone.locator(".topic-list .topic:visible .topic-title")).to_have_text(["Covoiturage des agents"])
    phone.locator(".theme-filter").get_by_role("button", name="Tous").click()

    phone.get_by_label("Titre du sujet").fill("Le teletravail pour les agents")
    suggestions = phone.locator("[data-suggestions] .suggestion")
    expect(suggestions).to_have_count(1, timeout=WAIT_MS)
    expect(phone.get_by_role("heading", name="Ce sujet existe peut-être déjà")).to_be_visible()
    expect(suggestions.first).to_contain_text("Télétravail des agents")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    suggestions.first.get_by_role("button", name="Je soutiens celui-ci").click()
    expect(phone.get_by_text("Vous soutenez « Télétravail des agents »")).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator(".topic").filter(has_text="Télétravail des agents")).to_contain_text("avec Léa")
    topics = _api(live_server, "GET", f"/events/{event['id']}/proposals", token)["proposals"]
    assert [t["title"] for t in topics] == ["Télétravail des agents", "Covoiturage des agents", "Budget vert"]
    assert topics[0]["coproposers"] == ["Léa"]
