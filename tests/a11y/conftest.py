"""Accessibility fixtures: one real server holding a forum in every state, one Chromium, axe-core.

Everything here is module-scoped so that the page × width matrix of test_axe.py reuses one server,
one browser and one page per role (a fresh server and browser per case would cost a minute).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server
from tests.workshops.forum_2017 import build_forum_2017

AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
#: the WCAG levels RGAA 4.1 AA maps to
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WAIT_MS = 10_000


class Api:
    """The JSON API of a real server, as one organiser."""

    def __init__(self, server):
        self.base = f"{server.url}/api/v1"
        self.headers = {"Authorization": f"Bearer {server.organiser_token()}"}

    def __call__(self, method: str, path: str, json=None, headers=None):
        r = requests.request(method, self.base + path, json=json, headers=headers or self.headers, timeout=30)
        assert r.ok, (method, path, r.status_code, r.text)
        return r.json() if r.content else None

    def event(self, title: str, phase: str, topics=(), themes=(), voting=None, **extra) -> dict:
        """Create a forum, seed its topics during the proposals phase and move it to `phase`."""
        body = {"title": title, "themes": list(themes), **extra}
        if voting:
            body["voting"] = voting
        event = self("POST", "/events", body)
        path = {"icebreaker": ["icebreaker"], "proposals": ["proposals"], "voting": ["proposals", "voting"],
                "closed": ["proposals", "voting", "closed"]}[phase]
        theme_ids = [t["id"] for t in event["themes"]]
        for step in path:
            self("PUT", f"/events/{event['id']}/phase", {"phase": step})
            if step == "proposals":
                event["topic_ids"] = [
                    self("POST", f"/events/{event['id']}/proposals",
                         {"title": t, **({"theme_id": theme_ids[i % len(theme_ids)]} if theme_ids else {})})["id"]
                    for i, t in enumerate(topics)]
        return event


@dataclass
class Site:
    """The server, its forums by role, and logged-in browser pages."""

    server: object
    api: Api
    forums: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)


def inject_axe(page) -> None:
    """Load the vendored axe-core from the server's own static files (the CSP allows 'self' only)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        origin = page.evaluate("location.origin")
        page.add_script_tag(url=f"{origin}/static/vendor/axe-core/axe.min.js")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return the violations, short."""
    inject_axe(page)
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})); }",
        AXE_TAGS)
    return result


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)[:6000]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the whole module (overrides the per-test browser of tests/conftest.py)."""
    import os

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("Debian's Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("a11y"))
    yield server
    server.stop()


def join_in(page, server, event: dict, name: str = "") -> None:
    """Join a forum in this page's browser context through its join page."""
    page.goto(event["join_url"])
    if name:
        page.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill(name)
    page.get_by_role("button", name="Rejoindre").click()
    page.wait_for_url(f"{server.url}/e/{event['id']}**")


def login(page, server) -> None:
    page.goto(f"{server.url}/organiser/login")
    page.get_by_label("E-mail").fill(server.organiser_email)
    page.get_by_label("Mot de passe").fill(server.organiser_password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server.url}/organiser/**")


@pytest.fixture(scope="module")
def site(a11y_server, browser) -> Site:
    """A forum in every state the participant and the projector can see, built through the API."""
    server, api = a11y_server, Api(a11y_server)
    s = Site(server, api)
    topics = ("Des guichets numériques accessibles", "Covoiturage rural", "Tiers-lieux en montagne")
    s.forums["proposals"] = api.event("Forum recensement", "proposals", topics[:2], themes=["Numérique", "Mobilités"])
    s.forums["dots"] = api.event("Forum gommettes", "voting", topics, voting={"mode": "dots", "dots": 3,
                                                                              "max_per_proposal": 2})
    s.forums["approval"] = api.event("Forum approbation", "voting", topics, voting={"mode": "approval"})
    s.forums["majority"] = api.event("Forum jugement majoritaire", "voting", topics, voting={"mode": "majority"})
    s.forums["quiz"] = api.event("Forum brise-glace", "icebreaker")
    live = api("POST", "/events", {"title": "Forum quiz en direct"})
    api("PUT", f"/events/{live['id']}/quiz/settings", {"mode": "live"})
    api("PUT", f"/events/{live['id']}/phase", {"phase": "icebreaker"})
    s.forums["quiz_live"] = live

    built = build_forum_2017(None, api.headers, base_url=server.url, phase="workshops")
    eid = built["event_id"]
    forum = api("GET", f"/events/{eid}")
    forum = forum.get("event", forum)
    forum.update(built)
    base = f"/events/{eid}"
    for name, capacity in (("Salle du conseil", 30), ("Salle Verte", 12)):
        api("POST", f"{base}/rooms", {"name": name, "capacity": capacity})
    for a, b in (("09:00", "10:00"), ("10:30", "11:30")):
        api("POST", f"{base}/slots", {"starts_at": f"2026-11-24T{a}:00", "ends_at": f"2026-11-24T{b}:00"})
    forum["grid"] = api("POST", f"{base}/schedule/auto")
    api("PUT", f"{base}/schedule/published", {"published": True})
    forum["public_url"] = api("POST", f"{base}/restitution/publication")["public_url"]
    s.forums["2017"] = forum

    fr = {"locale": "fr-FR"}
    s.pages["anon"] = browser.new_context(**fr).new_page()
    phone = browser.new_context(**fr, has_touch=True).new_page()
    for key in ("proposals", "dots", "approval", "majority", "quiz", "quiz_live", "2017"):
        join_in(phone, server, s.forums[key], "Camille")
    s.pages["phone"] = phone
    organiser = browser.new_context(**fr).new_page()
    login(organiser, server)
    s.pages["organiser"] = organiser
    # new cards fade in on the projector; axe would catch one mid-fade (a transient, not a failure):
    # the screen honours prefers-reduced-motion, which the projector context asks for
    s.pages["projector"] = browser.new_context(**fr, reduced_motion="reduce").new_page()
    yield s
    for page in s.pages.values():
        page.context.close()
