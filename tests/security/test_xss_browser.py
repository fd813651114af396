"""XSS payloads in every user field stay inert text on the phone, the projector and the dashboard."""
from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.timeout(300)]

WAIT_MS = 10_000
#: each one would run a dialog, add an element or navigate if it were inserted as HTML
PAYLOADS = {
    "event": 'Forum <img src=x id=xss-event onerror="alert(1)">',
    "theme": '<svg id=xss-theme onload="alert(2)">Thème',
    "name": '<script id=xss-name>alert(3)</script>',
    "title": '"><img src=x id=xss-title onerror=alert(4)>',
    "description": "<iframe id=xss-desc src=javascript:alert(5)></iframe>",
    "live_title": "<b id=xss-live>gras</b><img src=x onerror=alert(6)>",
    "tag": "<i id=xss-tag>t</i>",
}


def _api(server, method: str, path: str, token: str, **kw):
    r = requests.request(method, f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                         timeout=10, **kw)
    assert r.status_code < 300, r.text
    return r.json() if r.content else None


def _watch(page, dialogs: list, csp: list):
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)


def test_xss_payloads_are_inert_in_pages_and_live_updates(live_server, browser):
    from playwright.sync_api import expect

    token = live_server.organiser_token()
    event = _api(live_server, "POST", "/events", token, json={"title": PAYLOADS["event"],
                                                              "themes": [PAYLOADS["theme"]]})
    _api(live_server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "proposals"})
    dialogs: list[str] = []
    csp: list[str] = []

    phone = browser.new_page(viewport={"width": 360, "height": 740}, locale="fr-FR")
    _watch(phone, dialogs, csp)
    phone.goto(f"{live_server.url}/j/{event['join_code']}")
    phone.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill(PAYLOADS["name"])
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    author = requests.post(f"{live_server.url}/api/v1/join", json={"code": event["join_code"],
                                                                   "name": PAYLOADS["name"]}, timeout=10).json()
    themes = _api(live_server, "GET", f"/events/{event['id']}", token)["themes"]
    _api(live_server, "POST", f"/events/{event['id']}/proposals", author["token"],
         json={"title": PAYLOADS["title"], "description": PAYLOADS["description"], "theme_id": themes[0]["id"],
               "tags": [PAYLOADS["tag"]]})

    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    _watch(projector, dialogs, csp)
    projector.goto(event["projector_url"])
    expect(projector.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    dashboard = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    _watch(dashboard, dialogs, csp)
    dashboard.goto(f"{live_server.url}/organiser/login")
    dashboard.get_by_label("E-mail").fill(live_server.organiser_email)
    dashboard.get_by_label("Mot de passe").fill(live_server.organiser_password)
    dashboard.get_by_role("button", name="Se connecter").click()
    dashboard.goto(f"{live_server.url}/organiser/events/{event['id']}")
    expect(dashboard.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    # a topic that reaches the three open pages through the live channel only
    _api(live_server, "POST", f"/events/{event['id']}/proposals", author["token"],
         json={"title": PAYLOADS["live_title"], "description": PAYLOADS["description"]})
    for page in (phone, projector, dashboard):
        expect(page.get_by_text(PAYLOADS["live_title"], exact=True).first).to_be_visible(timeout=WAIT_MS)

    pages = {"phone": phone, "projector": projector, "dashboard": dashboard}
    for when in ("live", "reloaded"):
        for name, page in pages.items():
            if when == "reloaded":
                page.reload()
                expect(page.get_by_text(PAYLOADS["live_title"], exact=True).first).to_be_visible(timeout=WAIT_MS)
            # the literal text is shown, and no element of the payloads exists
            expect(page.get_by_text(PAYLOADS["title"], exact=True).first).to_be_visible(timeout=WAIT_MS)
            injected = page.locator("#xss-event, #xss-theme, #xss-name, #xss-title, #xss-desc, #xss-live, #xss-tag, "
                                    "img[src=x], iframe")
            assert injected.count() == 0, (when, name)
    assert PAYLOADS["event"] in phone.title() or phone.get_by_text(PAYLOADS["event"]).count() >= 1
    assert dashboard.get_by_text(PAYLOADS["event"]).count() >= 1
    assert dialogs == []
    assert csp == []  # our own pages never trip the Content-Security-Policy
