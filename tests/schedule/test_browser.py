"""The grid in real headless Chromium: the organiser drags a session, the phone and the projector follow live."""
from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 10_000


def _api(server, method: str, path: str, token: str, **kw):
    r = requests.request(method, f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                         timeout=10, **kw)
    assert r.ok, r.text
    return r.json() if r.content else None


def _closed_forum(server, token: str, *titles: str) -> tuple[dict, dict[str, int]]:
    """A forum whose vote is closed, with these topics (title -> id)."""
    event = _api(server, "POST", "/events", token, json={
        "title": "Forum des ateliers", "voting": {"mode": "dots", "dots": 3, "max_per_proposal": 2}})
    base = f"/events/{event['id']}"
    _api(server, "PUT", f"{base}/phase", token, json={"phase": "proposals"})
    topics = {t: _api(server, "POST", f"{base}/proposals", token, json={"title": t})["id"] for t in titles}
    for phase in ("voting", "closed"):
        _api(server, "PUT", f"{base}/phase", token, json={"phase": phase})
    return event, topics


def test_drag_and_drop_moves_a_session_and_phones_and_projector_follow(live_server, browser):
    from playwright.sync_api import expect

    token = live_server.organiser_token()
    event, topics = _closed_forum(live_server, token, "Guichet numérique", "Covoiturage rural", "Tiers-lieux",
                                  "Budget participatif")
    base = f"/events/{event['id']}"
    rooms = [_api(live_server, "POST", f"{base}/rooms", token, json={"name": n, "capacity": c})["id"]
             for n, c in (("Salle du conseil", 30), ("Salle Verte", 12))]
    for a, b in (("09:00", "10:00"), ("10:30", "11:30")):
        _api(live_server, "POST", f"{base}/slots", token,
             json={"starts_at": f"2026-11-24T{a}:00", "ends_at": f"2026-11-24T{b}:00"})
    grid = _api(live_server, "POST", f"{base}/schedule/auto", token)
    _api(live_server, "PUT", f"{base}/schedule/published", token, json={"published": True})
    sessions = {s["proposal_id"]: s for s in grid["sessions"]}
    moving = sessions[topics["Guichet numérique"]]
    target = next(s for s in grid["sessions"] if s["slot_id"] == moving["slot_id"] and s["id"] != moving["id"])

    # a phone joins and signs up (the form posts, the page comes back with its status)
    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="fr-FR")
    phone.goto(f"{live_server.url}/j/{event['join_code']}")
    phone.get_by_role("button", name="Rejoindre").click()
    phone.goto(f"{live_server.url}/e/{event['id']}/programme")
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    card = phone.locator(f"#session-{moving['id']}")
    card.get_by_role("button", name="M'inscrire").click()
    expect(phone.get_by_text("Inscription confirmée.")).to_be_visible(timeout=WAIT_MS)
    expect(card.get_by_text("Vous êtes inscrit(e).")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    projector.goto(event["projector_url"] + "/grille")
    expect(projector.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    projector_card = projector.locator(f"#session-{moving['id']}")
    free = moving["capacity"] - 1
    expect(projector_card.locator("[data-slot=seats]")).to_have_text(
        f"{free} place(s) libre(s) sur {moving['capacity']}", timeout=WAIT_MS)

    # the organiser drags the session onto the other room of its slot: the two swap
    organiser = browser.new_page(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    organiser.goto(f"{live_server.url}/organiser/login")
    organiser.get_by_label("E-mail").fill(live_server.organiser_email)
    organiser.get_by_label("Mot de passe").fill(live_server.organiser_password)
    organiser.get_by_role("button", name="Se connecter").click()
    organiser.goto(f"{live_server.url}/organiser/events/{event['id']}/grille")
    organiser.drag_and_drop(f"article[data-session-id='{moving['id']}'] h3",
                            f"td[data-room-id='{target['room_id']}'][data-slot-id='{target['slot_id']}']")
    expect(organiser.get_by_text("Session mise à jour.")).to_be_visible(timeout=WAIT_MS)

    after = {s["id"]: s for s in _api(live_server, "GET", f"{base}/schedule", token)["sessions"]}
    assert after[moving["id"]]["room_id"] == target["room_id"]
    assert after[target["id"]]["room_id"] == moving["room_id"]
    new_room = "Salle du conseil" if target["room_id"] == rooms[0] else "Salle Verte"
    # phone and projector reload on their own and show the new room; the sign-up is kept
    expect(phone.locator(f"#session-{moving['id']} .grid-session-meta")).to_contain_text(new_room, timeout=WAIT_MS)
    expect(phone.locator(f"#session-{moving['id']}").get_by_text("Vous êtes inscrit(e).")).to_be_visible()
    expect(projector.locator(f"#session-{moving['id']} .grid-session-meta")).to_contain_text(new_room,
                                                                                            timeout=WAIT_MS)


def test_a_waiting_phone_hears_it_got_a_seat_when_the_seated_participant_is_erased(live_server, browser):
    from playwright.sync_api import expect

    token = live_server.organiser_token()
    event, _ = _closed_forum(live_server, token, "Tiers-lieux")
    base = f"/events/{event['id']}"
    _api(live_server, "POST", f"{base}/rooms", token, json={"name": "Atelier", "capacity": 1})
    _api(live_server, "POST", f"{base}/slots", token,
         json={"starts_at": "2026-11-24T09:00:00", "ends_at": "2026-11-24T10:00:00"})
    session = _api(live_server, "POST", f"{base}/schedule/auto", token)["sessions"][0]
    _api(live_server, "PUT", f"{base}/schedule/published", token, json={"published": True})
    seated = requests.post(f"{live_server.url}/api/v1/join", json={"code": event["join_code"]}, timeout=10).json()
    _api(live_server, "PUT", f"/sessions/{session['id']}/signup", seated["token"])

    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="fr-FR")
    phone.goto(f"{live_server.url}/j/{event['join_code']}")
    phone.get_by_role("button", name="Rejoindre").click()
    phone.goto(f"{live_server.url}/e/{event['id']}/programme")
    phone.get_by_role("button", name="M'inscrire en liste d'attente").click()
    card = phone.locator(f"#session-{session['id']}")
    expect(card.get_by_text("Liste d'attente : n° 1")).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    phone.evaluate("window.sameDocument = true")

    _api(live_server, "DELETE", f"{base}/me", seated["token"])  # "effacer ma participation"

    expect(phone.get_by_role("region", name="Mon programme").get_by_role("status")).to_have_text(
        "Une place s'est libérée : vous êtes inscrit(e) à « Tiers-lieux ».", timeout=WAIT_MS)
    expect(card.get_by_text("Vous êtes inscrit(e).")).to_be_visible()
    expect(phone.locator(f"[data-mine-status='{session['id']}']")).to_have_text("inscrit(e)")
    expect(card.locator("[data-slot=seats]")).to_have_text("Complet — 0 en attente")
    assert phone.evaluate("window.sameDocument") is True  # told in place: a reload would lose the announcement
