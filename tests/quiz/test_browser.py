"""The whole self-paced quiz on a 360 px phone in headless Chromium, the projector following."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.quiz.test_services import pure

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 10_000
SHOTS = Path("/tmp/shots")


def test_phone_plays_the_whole_quiz_and_sees_its_profile(live_server, browser):
    from playwright.sync_api import expect

    token = live_server.organiser_token()
    headers = {"Authorization": f"Bearer {token}"}
    event = requests.post(f"{live_server.url}/api/v1/events", json={"title": "Forum brise-glace"}, headers=headers,
                          timeout=10).json()
    requests.put(f"{live_server.url}/api/v1/events/{event['id']}/phase", json={"phase": "icebreaker"},
                 headers=headers, timeout=10).raise_for_status()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(event["projector_url"])
    expect(projector.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)

    phone.goto(event["join_url"])
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.get_by_text("Question 1 sur 6")).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)
    phone.screenshot(path=str(SHOTS / "quiz-phone-question.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    from barcamp.quiz.content import load_quizzes

    quiz = load_quizzes()["style-innovation"]
    for index, choice in pure("¿").items():
        expect(phone.get_by_text(f"Question {index + 1} sur 6")).to_be_visible(timeout=WAIT_MS)
        phone.get_by_role("button", name=quiz.questions[index].answers[choice].text).click()

    expect(phone.get_by_role("heading", name="Votre style d'innovation")).to_be_visible(timeout=WAIT_MS)
    expect(phone.get_by_role("heading", name="Une majorité de « Usages »")).to_be_visible()
    expect(phone.get_by_text("La maîtrise d'usage")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "quiz-phone-profile.png"), full_page=True)

    # a reload lands on the profile again (answers are stored, not kept in the page)
    phone.reload()
    expect(phone.get_by_role("heading", name="Une majorité de « Usages »")).to_be_visible(timeout=WAIT_MS)

    # the projector's room distribution followed without a reload
    projector.evaluate("window.__same = true")
    usages = projector.locator(".quiz-bar").filter(has_text="Usages").locator(".quiz-bar-value")
    expect(usages).to_have_text("1", timeout=WAIT_MS)
    assert projector.evaluate("window.__same") is True
    projector.screenshot(path=str(SHOTS / "quiz-projector-room.png"))
