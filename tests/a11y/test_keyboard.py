"""Keyboard only, at 320 px: join → quiz → propose → vote → sign-up with Tab, Shift+Tab, Enter and Space.

Every element the focus passes must show it (a computed outline or box-shadow); the page never
scrolls sideways at 320 px (WCAG 1.4.10 reflow); live updates from another client are announced in
a polite live region and never move the focus or wipe what is being typed.
"""
from __future__ import annotations

import pytest

from tests.a11y.conftest import WAIT_MS, Api
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.server]

#: the element holding the focus: its accessible name (roughly), and whether the focus shows
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const name = (el.labels && el.labels.length ? el.labels[0].textContent
                : el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
  return {tag: el.tagName.toLowerCase(), id: el.id, name: name.slice(0, 80),
          visible: outline || cs.boxShadow !== 'none'};
}"""


#: where the self-paced quiz is: "Question N sur 6", or "result" once the profile shows (never waits)
QUIZ_STEP = """() => {
  if (document.getElementById('quiz-result')) return 'result';
  const n = [...document.querySelectorAll('[data-quiz-root] .eyebrow')]
    .find(e => /^Question \\d sur 6$/.test(e.textContent.trim()));
  return n ? n.textContent.trim() : '';
}"""


class Keyboard:
    """Move the focus with Tab / Shift+Tab only, checking on every stop that the focus is visible."""

    def __init__(self, page):
        self.page = page
        self.stops = 0
        self.invisible: list[dict] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, selector: str, text: str = "", backwards: bool = False, limit: int = 80) -> dict:
        """Press Tab (or Shift+Tab) until the focused element matches `selector` and contains `text`."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            info = self.focused()
            if info is None:
                continue
            self.stops += 1
            if not info["visible"]:
                self.invisible.append(info)
            if text in info["name"] and self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return info
        raise AssertionError(f"no {selector!r} {text!r} within {limit} Tab presses")

    def assert_no_sideways_scroll(self) -> None:
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 320, self.page.url


def _wait_phase(page, kb: Keyboard, heading: str) -> None:
    """After a phase change, the page reloads itself (or offers a banner, which we press with Enter)."""
    from playwright.sync_api import expect

    target = page.get_by_role("heading", name=heading)
    banner = page.locator("[data-phase-banner]")
    expect(target.or_(banner.filter(visible=True)).first).to_be_visible(timeout=WAIT_MS)
    if not target.is_visible():
        kb.tab_to("[data-phase-banner]")
        page.keyboard.press("Enter")
    expect(target).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    kb.assert_no_sideways_scroll()


def test_keyboard_only_join_quiz_propose_vote_signup(a11y_server, browser):
    from playwright.sync_api import expect

    api = Api(a11y_server)
    event = api.event("Forum au clavier", "icebreaker", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    eid = event["id"]
    page = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640}).new_page()
    kb = Keyboard(page)

    # join: name, then the button, Enter
    page.goto(event["join_url"])
    kb.assert_no_sideways_scroll()
    kb.tab_to("input", "pseudonyme")
    page.keyboard.type("Camille")
    kb.tab_to("button", "Rejoindre")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 1 sur 6")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    # the quiz: the first answer of each question, with Space (the page re-renders on each
    # acknowledgement, so wait for the next question before tabbing again)
    profile = page.get_by_role("heading", name="Votre style d'innovation")
    answered = 0
    while page.evaluate(QUIZ_STEP) != "result" and answered < 12:
        shown = page.evaluate(QUIZ_STEP)
        kb.assert_no_sideways_scroll()
        kb.tab_to("button.quiz-answer")
        page.keyboard.press("Space")
        answered += 1
        wait_for(lambda: page.evaluate(QUIZ_STEP) != shown, timeout=WAIT_MS / 1000)
        # the focus moves to what replaced the pressed button, not back to the top of the page
        wait_for(lambda: page.evaluate("document.activeElement.matches('.quiz-q-text, #quiz-result')"),
                 timeout=WAIT_MS / 1000)
    expect(profile).to_be_visible(timeout=WAIT_MS)
    assert page.locator("[data-quiz-root]").get_attribute("aria-live") == "polite"

    # propose: type a title; meanwhile another participant's topic arrives, announced politely,
    # and neither the focus nor the text being typed moves
    api("PUT", f"/events/{eid}/phase", {"phase": "proposals"})
    _wait_phase(page, kb, "Proposer un sujet")
    title_field = kb.tab_to("input", "Titre du sujet")
    page.keyboard.type("Des guichets accessibles")
    other = api("POST", "/join", {"code": event["join_code"], "name": "Alex"}, headers={})
    other_headers = {"Authorization": f"Bearer {other['token']}"}
    api("POST", f"/events/{eid}/proposals", {"title": "Covoiturage rural"}, headers=other_headers)
    announcer = page.locator("[data-announce]")
    expect(announcer).to_have_text("Nouveau sujet : Covoiturage rural", timeout=WAIT_MS)
    assert announcer.get_attribute("aria-live") == "polite"
    assert kb.focused()["id"] == title_field["id"] == "title"
    assert page.locator("#title").input_value() == "Des guichets accessibles"
    kb.tab_to("button", "Proposer ce sujet")
    page.keyboard.press("Enter")
    mine = page.locator(".topic-list .topic").filter(has_text="Des guichets accessibles")
    expect(mine).to_be_visible(timeout=WAIT_MS)
    kb.assert_no_sideways_scroll()

    # vote: Space on "+" of one topic; another participant's vote does not move the focus
    api("PUT", f"/events/{eid}/phase", {"phase": "voting"})
    _wait_phase(page, kb, "Votez pour les sujets prioritaires")
    plus = kb.tab_to('[data-step="1"]')
    page.keyboard.press("Space")
    expect(page.get_by_text("Il vous reste 2 gommettes")).to_be_visible(timeout=WAIT_MS)
    assert page.locator("[data-remaining]").get_attribute("aria-live") == "polite"
    before = page.evaluate("document.activeElement.outerHTML")
    topic_ids = [int(i) for i in page.locator("[data-topics] [data-proposal-id]").evaluate_all(
        "items => items.map(i => i.getAttribute('data-proposal-id'))")]
    api("PUT", f"/events/{eid}/votes/{topic_ids[-1]}", {"value": 2}, headers=other_headers)
    expect(page.locator(f'#proposal-{topic_ids[-1]} [data-slot="score"]')).to_have_text("2", timeout=WAIT_MS)
    assert page.evaluate("document.activeElement.outerHTML") == before
    assert kb.focused()["visible"] and plus["visible"]

    # sign-up: the organiser publishes the grid; the phone follows the link and signs up
    api("PUT", f"/events/{eid}/phase", {"phase": "closed"})
    _wait_phase(page, kb, "Classement final")
    api("POST", f"/events/{eid}/rooms", {"name": "Salle du conseil", "capacity": 30})
    api("POST", f"/events/{eid}/slots", {"starts_at": "2026-11-24T09:00:00", "ends_at": "2026-11-24T10:00:00"})
    api("POST", f"/events/{eid}/schedule/auto")
    api("PUT", f"/events/{eid}/schedule/published", {"published": True})
    page.reload()
    kb.tab_to("a", "Programme des ateliers")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    kb.assert_no_sideways_scroll()
    kb.tab_to("button", "M'inscrire")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Inscription confirmée.")).to_be_visible(timeout=WAIT_MS)
    # ... and Shift+Tab walks back up the page, focus still visible
    kb.tab_to("a", "Français", backwards=True)
    kb.assert_no_sideways_scroll()

    assert kb.invisible == [], kb.invisible
    assert kb.stops > 20
    page.context.close()


def test_live_quiz_update_from_another_phone_keeps_the_focus(a11y_server, browser):
    """The live quiz re-renders on every count update: the focused answer must stay focused."""
    from playwright.sync_api import expect

    api = Api(a11y_server)
    event = api("POST", "/events", {"title": "Quiz en direct au clavier"})
    api("PUT", f"/events/{event['id']}/quiz/settings", {"mode": "live"})
    api("PUT", f"/events/{event['id']}/phase", {"phase": "icebreaker"})
    page = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}).new_page()
    kb = Keyboard(page)
    page.goto(event["join_url"])
    kb.tab_to("button", "Rejoindre")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    api("POST", f"/events/{event['id']}/quiz/control", {"action": "open"})
    expect(page.get_by_text("Question 1 sur 6")).to_be_visible(timeout=WAIT_MS)
    kb.tab_to("button.quiz-answer")
    kb.tab_to("button.quiz-answer")  # the second answer
    focused = kb.focused()
    page.evaluate("""() => { window.__renders = 0;
      new MutationObserver(() => { window.__renders += 1; })
        .observe(document.querySelector('[data-quiz-root]'), {childList: true}); }""")

    other = api("POST", "/join", {"code": event["join_code"]}, headers={})
    api("PUT", f"/events/{event['id']}/quiz/answers/0", {"choice": 0},
        headers={"Authorization": f"Bearer {other['token']}"})
    wait_for(lambda: page.evaluate("window.__renders") > 0, timeout=WAIT_MS / 1000)
    after = kb.focused()
    assert after is not None and after["name"] == focused["name"] and after["tag"] == "button", (focused, after)
    assert page.evaluate("document.activeElement.classList.contains('quiz-answer')")
    assert kb.invisible == []
    page.context.close()
