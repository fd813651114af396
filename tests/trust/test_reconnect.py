"""Reconnect: a phone cut off while others vote converges to the server's state when it comes back;
a live update never wipes what someone is typing."""
from __future__ import annotations

import random
import time

import pytest
import requests
import socketio

from tests.conftest import fire_concurrently, start_server

pytestmark = pytest.mark.server
NS = "/live"
CUT_SECONDS = 10  # the issue asks for 10-60 s; 10 keeps CI short


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start_server(tmp_path_factory.mktemp("reconnect"))
    yield live
    live.stop()


def api(server, method, path, headers=None, expect=200, **kw):
    response = requests.request(method, f"{server.url}/api/v1{path}", headers=headers, timeout=30, **kw)
    assert response.status_code == expect, response.text
    return response.json() if response.content else None


def voting_forum(server, topics=6):
    organiser = {"Authorization": f"Bearer {server.organiser_token()}"}
    event = api(server, "post", "/events", organiser, 201,
                json={"title": "Forum coupé", "voting": {"mode": "dots", "dots": 3, "max_per_proposal": 2}})
    api(server, "put", f"/events/{event['id']}/phase", organiser, json={"phase": "proposals"})
    ids = [api(server, "post", f"/events/{event['id']}/proposals", organiser, 201,
               json={"title": f"Sujet coupé {n}"})["id"] for n in range(topics)]
    api(server, "put", f"/events/{event['id']}/phase", organiser, json={"phase": "voting"})
    return event, organiser, ids


def join(server, event):
    body = api(server, "post", "/join", json={"code": event["join_code"]}, expect=201)
    return {**body, "headers": {"Authorization": f"Bearer {body['token']}"}}


def connect(server, token):
    client = socketio.Client(reconnection=False)
    client.connect(server.url, namespaces=[NS], auth={"token": token}, transports=["websocket"], wait_timeout=10)
    return client


def test_phone_cut_off_during_a_hundred_votes_converges_on_reconnect(server):
    event, organiser, topics = voting_forum(server)
    me = join(server, event)
    phone = connect(server, me["token"])
    state = phone.call("join", {"event_id": event["id"]}, namespace=NS, timeout=10)["state"]
    assert phone.call("vote", {"proposal_id": topics[0], "value": 2}, namespace=NS, timeout=10)["ok"] is True

    phone.disconnect()  # the phone loses the network
    cut_started = time.monotonic()
    voters = [join(server, event) for _ in range(40)]
    rng = random.Random(7)
    plan = []  # 100 votes: each voter spends its dots on distinct topics (absolute values)
    for voter in voters:
        chosen = rng.sample(topics, 3)
        plan += [(voter, chosen[0], 1), (voter, chosen[1], 1)] + ([(voter, chosen[2], 1)] if len(plan) % 5 else [])
    plan = plan[:100]
    assert len(plan) == 100
    statuses = fire_concurrently([
        (lambda v=v, t=t, val=val: requests.put(f"{server.url}/api/v1/events/{event['id']}/votes/{t}",
                                                json={"value": val}, headers=v["headers"], timeout=60).status_code)
        for v, t, val in plan], workers=10)
    assert statuses == [200] * 100
    time.sleep(max(0.0, CUT_SECONDS - (time.monotonic() - cut_started)))

    phone = connect(server, me["token"])  # the network is back: live.js joins again on connect
    rejoined = phone.call("join", {"event_id": event["id"]}, namespace=NS, timeout=10)
    phone.disconnect()

    assert rejoined["ok"] is True
    now = rejoined["state"]
    assert now["version"] >= state["version"]
    assert now["tally"] == api(server, "get", f"/events/{event['id']}/results", organiser)
    assert sum(r["score"] for r in now["tally"]["ranking"]) == 2 + 100
    assert now["me"]["votes"] == {str(topics[0]): 2}
    assert now["me"]["remaining"] == 1
    listed = api(server, "get", f"/events/{event['id']}/proposals", me["headers"])["proposals"]
    assert now["proposals"] == listed


def _page_api(server, method, path, token, **kw):
    r = requests.request(method, f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                         timeout=10, **kw)
    r.raise_for_status()
    return r.json() if r.content else None


@pytest.mark.browser
def test_live_updates_never_wipe_what_a_phone_is_typing(server, browser):
    from playwright.sync_api import expect

    token = server.organiser_token()
    event = _page_api(server, "POST", "/events", token, json={"title": "Forum en saisie"})
    _page_api(server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "proposals"})
    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone.goto(f"{server.url}/j/{event['join_code']}")
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=10_000)
    title = phone.get_by_label("Titre du sujet")
    title.click()
    title.type("Un guichet unique pour les agents")
    phone.get_by_label("Description (facultatif)").fill("Texte en cours de saisie, pas encore envoyé.")
    title.focus()
    phone.evaluate("window.__sameDocument = true")

    other = _page_api(server, "POST", "/join", "", json={"code": event["join_code"]})["token"]
    for n in range(3):  # someone else proposes while the phone types
        _page_api(server, "POST", f"/events/{event['id']}/proposals", other, json={"title": f"Sujet d'un autre {n}"})
    expect(phone.locator(".topic-list .topic")).to_have_count(3, timeout=10_000)
    title.type(" et les usagers")

    assert title.input_value() == "Un guichet unique pour les agents et les usagers"
    assert phone.get_by_label("Description (facultatif)").input_value() == "Texte en cours de saisie, pas encore envoyé."
    assert phone.evaluate("document.activeElement && document.activeElement.id") == "title"
    assert phone.evaluate("window.__sameDocument") is True

    # the organiser opens the vote: the page offers to reload instead of wiping the draft
    _page_api(server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "voting"})
    expect(phone.locator("[data-phase-banner]")).to_be_visible(timeout=10_000)
    assert phone.evaluate("window.__sameDocument") is True
    assert title.input_value() == "Un guichet unique pour les agents et les usagers"
