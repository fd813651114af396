"""Votes survive the Wi-Fi: tapped offline, kept on the phone (across a reload), sent once it is back."""
from __future__ import annotations

import pytest

from tests.conftest import api as _api
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 15_000


def _forum(server) -> tuple[dict, str, list[int]]:
    token = server.organiser_token()
    event = _api(server, "POST", "/events", token, json={
        "title": "Forum hors ligne", "voting": {"mode": "dots", "dots": 3, "max_per_proposal": 2}})
    _api(server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "proposals"})
    topics = [_api(server, "POST", f"/events/{event['id']}/proposals", token, json={"title": title})["id"]
              for title in ("Covoiturage rural", "Guichets accessibles", "Tiers-lieux")]
    _api(server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "voting"})
    return event, token, topics


def _join(browser, event):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale="fr-FR")
    phone = context.new_page()
    phone.goto(event["join_url"])
    phone.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill("Camille")
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.get_by_text("Il vous reste 3 gommettes")).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    return context, phone


def _ballots(server, event, token) -> dict[int, int]:
    """The forum's scores as the results API gives them (poll at most 10 a second: API_READ_LIMIT is 20)."""
    results = _api(server, "GET", f"/events/{event['id']}/results", token)
    return {entry["proposal_id"]: entry["score"] for entry in results["ranking"] if entry["score"]}


def _cut(context, phone) -> None:
    """The Wi-Fi drops: the browser is offline and its live connection goes down."""
    from playwright.sync_api import expect

    context.set_offline(True)
    phone.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(phone.locator("html")).to_have_attribute("data-live", "offline", timeout=WAIT_MS)


def test_three_votes_tapped_offline_reach_the_server_and_the_projector_once_back(live_server, browser):
    from playwright.sync_api import expect

    event, token, topics = _forum(live_server)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(event["projector_url"])
    expect(projector.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    context, phone = _join(browser, event)

    _cut(context, phone)
    status = phone.locator("[data-live-status]")
    for topic in topics:  # three taps, one on each topic
        phone.locator(f'form[data-vote][data-proposal-id="{topic}"] [data-step="1"]').click()
    expect(status).to_be_visible()
    expect(status).to_contain_text("Hors ligne : vos votes partiront dès le retour du réseau.")
    expect(status).to_contain_text("3 votes en attente.")
    expect(phone.get_by_text("Il vous reste 0 gommette")).to_be_visible()  # the pending votes count
    for topic in topics:  # nothing left: « + » is disabled, and says why
        plus = phone.locator(f'form[data-vote][data-proposal-id="{topic}"] [data-step="1"]')
        expect(plus).to_be_disabled()
        expect(plus).to_have_attribute("title", "Plus de gommette : retirez-en une d'un sujet pour voter ailleurs.")
    assert _ballots(live_server, event, token) == {}  # nothing reached the server
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    context.set_offline(False)
    expect(phone.get_by_text("Il vous reste 0 gommette")).to_be_visible(timeout=WAIT_MS)
    expect(status).to_be_hidden(timeout=WAIT_MS)
    assert wait_for(lambda: _ballots(live_server, event, token) == {t: 1 for t in topics} or None,
                    timeout=15, interval=0.1)
    for topic in topics:  # the projector shows exactly those three votes
        expect(projector.locator(f'[data-proposal-id="{topic}"] [data-slot=score]')).to_have_text("1",
                                                                                                 timeout=WAIT_MS)
    context.close()


def test_votes_tapped_offline_survive_a_reload_and_go_once_back(live_server, browser):
    from playwright.sync_api import expect

    event, token, topics = _forum(live_server)
    context, phone = _join(browser, event)

    _cut(context, phone)
    plus = phone.locator(f'form[data-vote][data-proposal-id="{topics[0]}"] [data-step="1"]')
    plus.click()
    expect(phone.locator(f'form[data-vote][data-proposal-id="{topics[0]}"] [data-slot=value]')).to_have_text("1")
    plus.click()  # the same topic twice: one action, value 2
    expect(phone.locator("[data-live-status]")).to_contain_text("1 vote en attente.")
    expect(plus).to_be_disabled()  # 2 is the most one topic may get
    expect(plus).to_have_attribute("title", "Ce sujet a déjà le maximum de gommettes.")

    context.set_offline(False)  # back, but the phone reloads before its socket is up again
    phone.reload()
    expect(phone.locator(f'form[data-vote][data-proposal-id="{topics[0]}"] [data-slot=value]')).to_have_text(
        "2", timeout=WAIT_MS)
    expect(phone.get_by_text("Il vous reste 1 gommette")).to_be_visible(timeout=WAIT_MS)
    assert wait_for(lambda: _ballots(live_server, event, token) == {topics[0]: 2} or None,
                    timeout=15, interval=0.1)
    assert phone.evaluate("localStorage.length") == 0  # the outbox is empty once answered
    context.close()
