"""Phones on a board at 360 px: live cards, cards that survive a lost acknowledgement or a dead connection."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 10_000
#: socket.io gives up to 5 s between reconnection attempts
RECONNECT_MS = 15_000
SHOTS = Path("/tmp/shots")
#: Socket.IO's endpoint (WebSocket and long-polling), not the /static/vendor/socket.io/ script
ENGINE = re.compile(r"^[a-z]+://[^/]+/socket\.io/\?")


def workshop_forum(live_server) -> tuple[dict, dict, dict]:
    """A forum in the workshops phase with one workshop: (event, workshop, organiser headers)."""
    headers = {"Authorization": f"Bearer {live_server.organiser_token()}"}
    api = f"{live_server.url}/api/v1"
    event = requests.post(f"{api}/events", json={"title": "Forum ateliers"}, headers=headers, timeout=10).json()
    for phase in ("proposals", "voting", "closed", "workshops"):
        requests.put(f"{api}/events/{event['id']}/phase", json={"phase": phase}, headers=headers,
                     timeout=10).raise_for_status()
    workshop = requests.post(f"{api}/events/{event['id']}/workshops", json={"title": "Transition numérique"},
                             headers=headers, timeout=10).json()
    return event, workshop, headers


def phone_context(browser):
    return browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True,
                               has_touch=True)


def open_board(live_server, context, event, name: str):
    """Join the forum as `name`, join the workshop and wait for the live board."""
    from playwright.sync_api import expect

    phone = context.new_page()
    phone.goto(event["join_url"])
    phone.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill(name)
    phone.get_by_role("button", name="Rejoindre").click()
    phone.goto(f"{live_server.url}/e/{event['id']}/workshops")
    phone.get_by_role("button", name="Rejoindre cet atelier").click()
    expect(phone.get_by_role("heading", name="Transition numérique", level=1)).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    return phone


def add_card(phone, text: str, section: str = "constat") -> None:
    phone.get_by_label("Rubrique", exact=True).select_option(section)
    phone.get_by_label("Votre carte").fill(text)
    phone.get_by_role("button", name="Ajouter", exact=True).click()


def stored_texts(live_server, workshop, headers) -> list[str]:
    board = requests.get(f"{live_server.url}/api/v1/workshops/{workshop['id']}", headers=headers, timeout=10).json()
    return [card["text"] for section in board["sections"] for card in section["cards"]]


def test_two_phones_see_each_others_cards(live_server, browser):
    from playwright.sync_api import expect

    event, workshop, headers = workshop_forum(live_server)
    alice, bob = (open_board(live_server, phone_context(browser), event, name) for name in ("Alice", "Bob"))

    add_card(alice, "Le numérique, c'est le parcours du combattant")
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
    assert requests.get(f"{live_server.url}/api/v1/workshops/{workshop['id']}", headers=headers, timeout=10).json()[
        "workshop"]["cards"] == 2


class SocketTap:
    """Stand between a page and the server's WebSocket: record card_add, lose an ack, cut the line."""

    def __init__(self, context):
        self.sent: list[dict] = []  # card_add payloads, as the page sent them
        self.drop_next_card_ack = False
        self.blocked = False
        self.refused = 0  # connection attempts made while the line was cut
        self.current = None
        context.route_web_socket(ENGINE, self._route)
        # no long-polling fallback while the line is cut (the socket.io script itself still loads)
        context.route(ENGINE, lambda route: route.abort() if self.blocked
                      else route.continue_())

    def _route(self, ws):
        server = ws.connect_to_server()
        if self.blocked:  # the handshake never reaches the page: the attempt hangs until socket.io gives up
            self.refused += 1
            server.on_message(lambda _message: server.close())
            return
        self.current = (ws, server)

        def to_server(message):
            if isinstance(message, str) and message.startswith("42/live,") and '"card_add"' in message:
                self.sent.append(json.loads(message[message.index("["):])[1])
            server.send(message)

        def to_page(message):
            if (self.drop_next_card_ack and isinstance(message, str) and message.startswith("43/live,")
                    and '"card":{' in message):
                self.drop_next_card_ack = False  # the card is stored, its acknowledgement never arrives
                self.cut()
                return
            ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)

    def cut(self) -> None:
        ws, server = self.current
        server.close()
        ws.close()


def test_a_card_resent_after_a_lost_ack_or_offline_is_stored_once(live_server, browser):
    from playwright.sync_api import expect

    event, workshop, headers = workshop_forum(live_server)
    context = phone_context(browser)
    tap = SocketTap(context)
    alice = open_board(live_server, context, event, "Alice")
    constat = alice.locator('[data-cards="constat"] .board-card-text')

    # the server stores the card, the acknowledgement is lost with the connection
    tap.drop_next_card_ack = True
    add_card(alice, "Les démarches en ligne excluent les plus fragiles")
    expect(alice.locator(".is-pending")).to_have_count(0, timeout=RECONNECT_MS)  # acknowledged at last
    expect(constat).to_have_text(["Les démarches en ligne excluent les plus fragiles"])
    keys = [payload["client_key"] for payload in tap.sent]
    assert len(keys) == 2 and keys[0] == keys[1], tap.sent  # sent again after reconnecting, same key
    assert re.fullmatch(r"[0-9a-f]{32}", keys[0])

    # offline: the card waits on the phone (a second tap on "Ajouter" is the same card), survives a reload
    tap.blocked = True
    tap.cut()
    expect(alice.locator("html")).to_have_attribute("data-live", "offline", timeout=WAIT_MS)
    add_card(alice, "Personne ne sait à qui s'adresser")
    add_card(alice, "Personne ne sait à qui s'adresser")
    expect(alice.locator('[data-cards="constat"] .is-pending .board-card-text')).to_have_text(
        ["Personne ne sait à qui s'adresser"])
    waiting = alice.evaluate("Object.entries(sessionStorage).filter(([k]) => k.startsWith('barcamp:pending-cards:'))"
                             ".map(([k, v]) => JSON.parse(v).map(e => e.key))")
    assert len(waiting) == 1 and len(waiting[0]) == 1, waiting
    for _ in range(100):  # this page's reconnection attempt hangs: only the reloaded page can send
        if tap.refused:
            break
        alice.wait_for_timeout(100)
    assert tap.refused
    tap.blocked = False
    alice.reload()
    expect(constat).to_have_text(["Les démarches en ligne excluent les plus fragiles",
                                  "Personne ne sait à qui s'adresser"], timeout=RECONNECT_MS)
    expect(alice.locator(".is-pending")).to_have_count(0)

    assert stored_texts(live_server, workshop, headers) == ["Les démarches en ligne excluent les plus fragiles",
                                                            "Personne ne sait à qui s'adresser"]
    assert [payload["client_key"] for payload in tap.sent[2:]] == waiting[0]  # from sessionStorage
    assert alice.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('barcamp:pending-cards:'))") == []


def test_a_report_from_the_page_reaches_the_queue_and_at_the_threshold_leaves_every_phone(live_server, browser):
    from playwright.sync_api import expect

    event, workshop, headers = workshop_forum(live_server)
    api = f"{live_server.url}/api/v1"
    alice, bob = (open_board(live_server, phone_context(browser), event, name) for name in ("Alice", "Bob"))
    add_card(alice, "Une carte hors sujet")
    card = bob.locator('[data-cards="constat"] .board-card').filter(has_text="Une carte hors sujet")
    expect(card).to_have_count(1, timeout=WAIT_MS)
    expect(alice.get_by_role("button", name="Signaler la carte « Une carte hors sujet »")).to_have_count(0)
    for _ in range(2):  # two other participants reported it already (the forum's threshold is 3)
        other = requests.post(f"{api}/join", json={"code": event["join_code"]}, timeout=10).json()
        requests.post(f"{api}/events/{event['id']}/cards/{card_id(live_server, workshop, headers)}/reports", json={},
                      headers={"Authorization": f"Bearer {other['token']}"}, timeout=10).raise_for_status()

    dialogs = []
    bob.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    card.get_by_role("button", name="Signaler la carte « Une carte hors sujet »").click()

    expect(bob.get_by_role("status").filter(has_text="Merci, l'équipe d'organisation a été prévenue.")).to_be_visible(
        timeout=WAIT_MS)
    assert dialogs and dialogs[0].startswith("Signaler cette carte à l’équipe d’organisation ?")
    for phone in (alice, bob):  # hidden pending review: gone from every board
        expect(phone.locator('[data-cards="constat"] .board-card')).to_have_count(0, timeout=WAIT_MS)
    queue = requests.get(f"{api}/events/{event['id']}/reports", headers=headers, timeout=10).json()
    assert [(c["text"], c["reports"], c["status"]) for c in queue["cards"]] == [("Une carte hors sujet", 3, "hidden")]


def card_id(live_server, workshop, headers) -> int:
    board = requests.get(f"{live_server.url}/api/v1/workshops/{workshop['id']}", headers=headers, timeout=10).json()
    return next(card["id"] for section in board["sections"] for card in section["cards"])


def test_an_open_board_follows_a_rename_and_says_when_the_workshop_is_deleted(live_server, browser):
    from playwright.sync_api import expect

    event, workshop, headers = workshop_forum(live_server)
    alice = open_board(live_server, phone_context(browser), event, "Alice")
    url = f"{live_server.url}/api/v1/workshops/{workshop['id']}"

    requests.patch(url, json={"title": "Numérique pour tous"}, headers=headers, timeout=10).raise_for_status()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Numérique pour tous", timeout=WAIT_MS)
    expect(alice).to_have_title(re.compile(r"^Numérique pour tous · Forum ateliers"))
    requests.delete(url, headers=headers, timeout=10).raise_for_status()

    expect(alice.get_by_role("status").filter(has_text="Cet atelier a été supprimé par l'équipe d'organisation.")
           ).to_be_visible(timeout=WAIT_MS)
    expect(alice.get_by_role("button", name="Ajouter", exact=True)).to_be_hidden()
    expect(alice.locator("[data-board]")).to_be_hidden()
