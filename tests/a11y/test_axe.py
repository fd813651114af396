"""axe-core (vendored, injected by Playwright) finds no WCAG 2.1 A/AA violation on any page, in any state.

Each case opens one page of a forum built through the API (tests/a11y/conftest.py::site) at
360 px (phone) and 1280 px (desktop), waits for its live connection when it has one, and runs axe
with the tags RGAA 4.1 AA maps to. "Live" cases run axe again after another client changed the
forum, so that what the JavaScript inserts is checked too.
"""
from __future__ import annotations

import json
import os

import pytest

from tests.a11y.conftest import WAIT_MS, axe_violations, describe
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]

#: evaluated from Python (Playwright's wait_for_function needs eval, which the CSP forbids)
FINITE_ANIMATIONS_DONE = ("document.getAnimations().every(a => a.playState !== 'running'"
                          " || a.effect.getComputedTiming().iterations === Infinity)")
#: the element showing this text is fully opaque and nothing animates any more
SETTLED = """t => {
  const node = [...document.querySelectorAll('[data-slot=title]')].find(e => e.textContent.includes(t));
  const card = node && (node.closest('li, article') || node);
  return !!card && getComputedStyle(card).opacity === '1'
    && document.getAnimations().every(a => a.playState !== 'running');
}"""
WIDTHS = {"360": (360, 740), "1280": (1280, 900)}


def _wait_live(page) -> None:
    from playwright.sync_api import expect

    if page.evaluate("document.documentElement.hasAttribute('data-live')"):
        expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)


def _goto(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    _wait_live(page)


def _new_topic(site, page):
    """Another client proposes a topic; wait until this page shows it."""
    from playwright.sync_api import expect

    event = site.forums["proposals"]
    title = f"Sujet arrivé en direct {len(site.forums)}-{page.viewport_size['width']}"
    site.api("POST", f"/events/{event['id']}/proposals", {"title": title})
    expect(page.get_by_text(title).first).to_be_visible(timeout=WAIT_MS)
    # the projector fades the new card in: measure colours once it is fully painted
    wait_for(lambda: page.evaluate(SETTLED, title), timeout=WAIT_MS / 1000)


def _other_vote(mode: str, value: int, shown: str | None = None):
    """Another participant votes in the forum of this mode; wait until this page's score shows it.

    shown: the score text expected (majority: the grade); None: the running total of these votes."""

    def change(site, page):
        from playwright.sync_api import expect

        event = site.forums[mode]
        event["live_votes"] = event.get("live_votes", 0) + value
        other = site.api("POST", "/join", {"code": event["join_code"]}, headers={})
        topic = event["topic_ids"][2]
        site.api("PUT", f"/events/{event['id']}/votes/{topic}", {"value": value},
                 headers={"Authorization": f"Bearer {other['token']}"})
        expected = shown or str(event["live_votes"])
        expect(page.locator(f"#proposal-{topic} [data-slot=score]")).to_have_text(expected, timeout=WAIT_MS)

    return change


def _live_question(site, page):
    """The organiser opens the live quiz's next question; wait until this page shows it."""
    from playwright.sync_api import expect

    event = site.forums["quiz_live"]
    state = site.api("GET", f"/events/{event['id']}/quiz")
    if state.get("state", state).get("status") != "open":
        site.api("POST", f"/events/{event['id']}/quiz/control", {"action": "open"})
    expect(page.get_by_text("Question 1 sur")).to_be_visible(timeout=WAIT_MS)


def _live_results(site, page):
    from playwright.sync_api import expect

    event = site.forums["quiz_live"]
    site.api("POST", f"/events/{event['id']}/quiz/control", {"action": "results"})
    page.wait_for_timeout(300)
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)


#: case id → (role whose page opens it, URL builder, optional live change applied after loading)
CASES = {
    "home": ("anon", lambda s: "/", None),
    "join": ("anon", lambda s: f"/j/{s.forums['proposals']['join_code']}", None),
    "login": ("anon", lambda s: "/organiser/login", None),
    "statement": ("anon", lambda s: "/accessibilite", None),
    "propose": ("phone", lambda s: f"/e/{s.forums['proposals']['id']}", None),
    "propose-live": ("phone", lambda s: f"/e/{s.forums['proposals']['id']}", _new_topic),
    "vote-dots": ("phone", lambda s: f"/e/{s.forums['dots']['id']}", None),
    "vote-dots-live": ("phone", lambda s: f"/e/{s.forums['dots']['id']}", _other_vote("dots", 1)),
    "vote-approval": ("phone", lambda s: f"/e/{s.forums['approval']['id']}", None),
    "vote-approval-live": ("phone", lambda s: f"/e/{s.forums['approval']['id']}", _other_vote("approval", 1)),
    "vote-majority": ("phone", lambda s: f"/e/{s.forums['majority']['id']}", None),
    "vote-majority-live": ("phone", lambda s: f"/e/{s.forums['majority']['id']}",
                           _other_vote("majority", 4, "Très prioritaire")),
    "quiz-self-paced": ("phone", lambda s: f"/e/{s.forums['quiz']['id']}", None),
    "quiz-live-waiting": ("phone", lambda s: f"/e/{s.forums['quiz_live']['id']}", None),
    "quiz-live-question": ("phone", lambda s: f"/e/{s.forums['quiz_live']['id']}", _live_question),
    "workshops-list": ("phone", lambda s: f"/e/{s.forums['2017']['id']}/workshops", None),
    "workshop-board": ("phone", lambda s: f"/e/{s.forums['2017']['id']}/workshops/"
                                          f"{s.forums['2017']['workshops'][0]['id']}", None),
    "grid-signup": ("phone", lambda s: f"/e/{s.forums['2017']['id']}/programme", None),
    "library": ("phone", lambda s: f"/e/{s.forums['2017']['id']}/ressources", None),
    "glossary": ("phone", lambda s: f"/e/{s.forums['2017']['id']}/glossaire", None),
    "library-public": ("anon", lambda s: "/ressources", None),
    "glossary-public": ("anon", lambda s: "/glossaire", None),
    "privacy": ("phone", lambda s: f"/e/{s.forums['2017']['id']}/donnees", None),
    "restitution-public": ("anon", lambda s: s.forums["2017"]["public_url"], None),
    "dashboard": ("organiser", lambda s: f"/organiser/events/{s.forums['proposals']['id']}", None),
    "dashboard-2017": ("organiser", lambda s: f"/organiser/events/{s.forums['2017']['id']}", None),
    "dashboard-list": ("organiser", lambda s: "/organiser/", None),
    "new-forum": ("organiser", lambda s: "/organiser/events/new", None),
    "quiz-organiser": ("organiser", lambda s: f"/organiser/events/{s.forums['quiz_live']['id']}/quiz", None),
    "workshops-manage": ("organiser", lambda s: f"/organiser/events/{s.forums['2017']['id']}/workshops", None),
    "grid-organiser": ("organiser", lambda s: f"/organiser/events/{s.forums['2017']['id']}/grille", None),
    "restitution-editor": ("organiser", lambda s: f"/organiser/events/{s.forums['2017']['id']}/restitution", None),
    "regroupement": ("organiser", lambda s: f"/organiser/events/{s.forums['proposals']['id']}/regroupement", None),
    "resources-organiser": ("organiser", lambda s: f"/organiser/events/{s.forums['2017']['id']}/ressources", None),
    "projector-proposals": ("projector", lambda s: s.forums["proposals"]["projector_url"], None),
    "projector-proposals-live": ("projector", lambda s: s.forums["proposals"]["projector_url"], _new_topic),
    "projector-dots": ("projector", lambda s: s.forums["dots"]["projector_url"], None),
    "projector-majority": ("projector", lambda s: s.forums["majority"]["projector_url"], None),
    "projector-quiz": ("projector", lambda s: s.forums["quiz"]["projector_url"], None),
    "projector-quiz-live": ("projector", lambda s: s.forums["quiz_live"]["projector_url"], _live_question),
    "projector-quiz-results": ("projector", lambda s: s.forums["quiz_live"]["projector_url"], _live_results),
    "projector-grid": ("projector", lambda s: s.forums["2017"]["projector_url"] + "/grille", None),
    "projector-workshop": ("projector", lambda s: s.forums["2017"]["projector_url"] + "/workshops/"
                                                  f"{s.forums['2017']['workshops'][0]['id']}", None),
}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("case", list(CASES))
def test_axe_finds_no_violation(site, case, width):
    role, url, change = CASES[case]
    page = site.pages[role]
    w, h = WIDTHS[width]
    page.set_viewport_size({"width": w, "height": h})
    target = url(site)
    _goto(page, target if target.startswith("http") else site.server.url + target)
    if change:
        change(site, page)
    # axe measures colours as painted: let arrival animations (a new card fading in) finish first
    wait_for(lambda: page.evaluate(FINITE_ANIMATIONS_DONE), timeout=WAIT_MS / 1000)
    violations = axe_violations(page)
    if os.environ.get("A11Y_AXE_LOG"):  # docs/accessibility.md: the counts come from this log
        with open(os.environ["A11Y_AXE_LOG"], "a") as log:
            log.write(json.dumps({"case": case, "width": width, "violations": violations}) + "\n")
    assert violations == [], f"{case} at {width}px:\n{describe(violations)}"


#: pages a participant reads on a phone (the organiser's and the projector's are not meant for 320 px)
PARTICIPANT_CASES = [case for case, (role, _url, change) in CASES.items() if role in ("phone", "anon") and not change]


@pytest.mark.parametrize("case", PARTICIPANT_CASES)
def test_participant_page_reflows_at_320px(site, case):
    """WCAG 1.4.10: no horizontal scrolling at 320 CSS px."""
    role, url, _change = CASES[case]
    page = site.pages[role]
    page.set_viewport_size({"width": 320, "height": 640})
    target = url(site)
    _goto(page, target if target.startswith("http") else site.server.url + target)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


#: the QR code's own block (aside, section, card) must show the join code as text
QR_NEIGHBOURHOOD = """() => Array.from(document.querySelectorAll('img')).filter(i => /qr/i.test(i.src)).map(img => {
  const box = img.closest('aside, section, .card');
  return {alt: img.alt, text: box ? box.innerText : ''};
})"""


def test_qr_codes_always_have_the_code_in_text_beside_them(site):
    event = site.api("POST", "/events", {"title": "Forum quiz en attente"})
    site.api("PUT", f"/events/{event['id']}/quiz/settings", {"mode": "live"})
    site.api("PUT", f"/events/{event['id']}/phase", {"phase": "icebreaker"})
    screens = [("organiser", f"{site.server.url}/organiser/events/{site.forums['proposals']['id']}",
                site.forums["proposals"]["join_code"]),
               ("projector", site.forums["proposals"]["projector_url"], site.forums["proposals"]["join_code"]),
               ("projector", event["projector_url"], event["join_code"])]
    for role, url, code in screens:
        page = site.pages[role]
        page.set_viewport_size({"width": 1280, "height": 900})
        _goto(page, url)
        qrs = page.evaluate(QR_NEIGHBOURHOOD)
        assert len(qrs) == 1, (url, qrs)
        assert qrs[0]["alt"].startswith("QR code vers http"), qrs
        assert code in qrs[0]["text"].split(), (url, qrs[0]["text"])
    # the waiting screen of the live quiz (QR code, code, intro) passes axe too
    assert axe_violations(page) == []
