"""Text that arrives live shows its glossary terms marked exactly as after a reload, and stays inert text."""
from __future__ import annotations

import pytest
import requests

from tests.a11y.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.timeout(300)]

WAIT_MS = 10_000

#: the slot's own node tree: tags, attributes (ids renamed in order of appearance, so a live id and a server id
#: compare equal when they link the same elements), hidden flags and texts
SHAPE = """(slot) => {
  const ids = {};
  const rename = (v) => (v in ids ? ids[v] : (ids[v] = "id-" + (Object.keys(ids).length + 1)));
  const linked = ["id", "data-glossary-for", "aria-controls"];
  const walk = (node) => node.nodeType === Node.TEXT_NODE ? {text: node.data} : {
    tag: node.tagName,
    attrs: Array.from(node.attributes).map((a) => [a.name, linked.includes(a.name) ? rename(a.value) : a.value]).sort(),
    hidden: node.hidden,
    children: Array.from(node.childNodes).map(walk),
  };
  return walk(slot);
}"""
#: the text a reader sees in a slot, definitions closed
SHOWN = "(slot) => { const c = slot.cloneNode(true); c.querySelectorAll('.glossary-def').forEach((d) => d.remove());" \
        " return c.textContent; }"


class Api:
    def __init__(self, server, token: str):
        self.base, self.headers = f"{server.url}/api/v1", {"Authorization": f"Bearer {token}"}

    def __call__(self, method: str, path: str, body=None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else self.headers
        r = requests.request(method, self.base + path, json=body, headers=headers, timeout=10)
        assert r.ok, (method, path, r.status_code, r.text)
        return r.json() if r.content else None


def watched_phone(browser, dialogs: list):
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="fr-FR", has_touch=True, is_mobile=True)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page


def join(page, event: dict, name: str) -> None:
    page.goto(event["join_url"])
    page.get_by_label("Votre prénom ou pseudonyme (facultatif)").fill(name)
    page.get_by_role("button", name="Rejoindre").click()


def wait_live(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=WAIT_MS)


def shapes(page, selectors: list[str]) -> dict:
    return {s: page.locator(s).evaluate(SHAPE) for s in selectors}


def test_a_topic_proposed_live_shows_its_terms_as_after_a_reload_and_stays_inert(live_server, browser):
    from playwright.sync_api import expect

    api = Api(live_server, live_server.organiser_token())
    event = api("POST", "/events", {"title": "Forum glossaire"})
    api("PUT", f"/events/{event['id']}/phase", {"phase": "proposals"})
    api("POST", f"/events/{event['id']}/glossary", {"term": "Gommette", "definition": "Un point de vote autocollant."})
    dialogs: list[str] = []
    phone = watched_phone(browser, dialogs)
    join(phone, event, "Alice")
    wait_live(phone)
    author = requests.post(f"{live_server.url}/api/v1/join", json={"code": event["join_code"], "name": "Bob"},
                           timeout=10).json()["token"]

    # Act: Bob proposes two topics while Alice's page is open
    plain = api("POST", f"/events/{event['id']}/proposals", token=author,
                body={"title": "Un hackathon sur l'open data, encore de l'OPEN DATA",
                      "description": "Avec une gommette et la maitrise d’usage"})["id"]
    xss_title, xss_description = "<img src=x onerror=alert(1)> open data", "<script>alert(2)</script> hackathon"
    xss = api("POST", f"/events/{event['id']}/proposals", token=author,
              body={"title": xss_title, "description": xss_description})["id"]
    slots = [f"#proposal-{pid} [data-slot={slot}]" for pid in (plain, xss) for slot in ("title", "description")]
    expect(phone.locator(f"#proposal-{xss} [data-slot=title] a.glossary-term")).to_have_text("open data",
                                                                                             timeout=WAIT_MS)
    live = shapes(phone, slots)
    assert axe_violations(phone) == [], describe(axe_violations(phone))

    # the live terms: disclosure buttons to the forum's glossary, library and forum terms alike
    glossary = f"/e/{event['id']}/glossaire"
    terms = phone.locator(f"#proposal-{plain} a.glossary-term")
    expect(terms).to_have_text(["hackathon", "open data", "gommette", "maitrise d’usage"])
    hrefs = [terms.nth(i).get_attribute("href") for i in range(4)]
    assert hrefs[:2] == [f"{glossary}#term-hackathon", f"{glossary}#term-open-data"]
    assert hrefs[2].startswith(f"{glossary}#term-forum-")  # the forum's own term
    assert hrefs[3] == f"{glossary}#term-maitrise-d-usage"
    expect(terms.first).to_have_attribute("role", "button")
    definition = phone.locator(f"#proposal-{plain} .glossary-def").first
    expect(definition).to_be_hidden()
    terms.first.tap()
    expect(terms.first).to_have_attribute("aria-expanded", "true")
    expect(definition).to_be_visible()
    expect(definition).to_contain_text("Hackathon : Type d'événement")
    terms.first.tap()
    # the payloads are text: no element, no dialog
    assert phone.locator(f"#proposal-{xss} [data-slot=title]").evaluate(SHOWN) == xss_title
    assert phone.locator(f"#proposal-{xss} [data-slot=description]").evaluate(SHOWN) == xss_description
    assert phone.locator(f"img[src=x], #proposal-{xss} script").count() == 0

    # Assert: after a reload the server's markup is the live one, node for node
    phone.reload()
    wait_live(phone)
    assert shapes(phone, slots) == live
    assert phone.locator("img[src=x]").count() == 0
    assert dialogs == []


def test_a_workshop_card_added_live_shows_its_terms_as_after_a_reload(live_server, browser):
    from playwright.sync_api import expect

    api = Api(live_server, live_server.organiser_token())
    event = api("POST", "/events", {"title": "Forum ateliers"})
    for phase in ("proposals", "voting", "closed", "workshops"):
        api("PUT", f"/events/{event['id']}/phase", {"phase": phase})
    workshop = api("POST", f"/events/{event['id']}/workshops", {"title": "Données ouvertes"})
    dialogs: list[str] = []
    phone = watched_phone(browser, dialogs)
    join(phone, event, "Alice")
    phone.goto(f"{live_server.url}/e/{event['id']}/workshops/{workshop['id']}")
    wait_live(phone)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    projector.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    projector.goto(f"{event['projector_url']}/workshops/{workshop['id']}")
    wait_live(projector)

    card = api("POST", f"/workshops/{workshop['id']}/cards",
               {"section": "constat", "text": "<img src=x onerror=alert(1)> Un MOOC, des moocs et un Nudge"})
    selector = [f"#card-{card['id']} [data-slot=text]"]
    live = {}
    for name, page in (("phone", phone), ("projector", projector)):
        expect(page.locator(f"{selector[0]} a.glossary-term")).to_have_text(["MOOC", "Nudge"], timeout=WAIT_MS)
        live[name] = shapes(page, selector)
    # the board links to the forum's glossary; the projector's secret URL names no forum (server and live alike)
    assert phone.locator(f"{selector[0]} a.glossary-term").first.get_attribute("href") == \
        f"/e/{event['id']}/glossaire#term-mooc"
    assert projector.locator(f"{selector[0]} a.glossary-term").first.get_attribute("href") == "/glossaire#term-mooc"
    assert axe_violations(phone) == [], describe(axe_violations(phone))

    for name, page in (("phone", phone), ("projector", projector)):
        page.reload()
        wait_live(page)
        assert shapes(page, selector) == live[name], name
        assert page.locator("img[src=x]").count() == 0
    assert dialogs == []


#: texts at the edges of the matching rules (app/resources/glossary.py): case, accents, apostrophes, word
#: boundaries, markup-like and entity-like user text, repeats, longest phrase first
EDGE_TEXTS = [
    "Open Data", "l'open data et l’OPEN DATA", "#open data", "R&open data", "opendata", "open data-driven",
    "données ouvertes", "DONNÉES OUVERTES", "donnees ouvertes", "maîtrise d’usage", "MAITRISE D'USAGE",
    "hackatons et Hackathon", "e-nudge", "nudge_x", "nudge2", "2nudge", "Éco-design", "<b>design</b>",
    "&amp; design &#39;", "&lt;jugaad&gt;", "coup de pouce", "bien commun et biens communs", "communs",
    "🙂jugaad🙂", "jugaadé", "ßdesign", "crowdsourcing, mooc, moocs, MOOC", "impact based policy", "",
]


def test_the_browser_marks_text_exactly_as_the_server(live_server, browser):
    from barcamp.resources.glossary import mark_terms
    from barcamp.resources.services import glossary_terms

    # Arrange: a page with the library's terms (the projector's board names no forum), the server's markup
    api = Api(live_server, live_server.organiser_token())
    event = api("POST", "/events", {"title": "Forum règles"})
    for phase in ("proposals", "voting", "closed", "workshops"):
        api("PUT", f"/events/{event['id']}/phase", {"phase": phase})
    workshop = api("POST", f"/events/{event['id']}/workshops", {"title": "Règles"})
    page = browser.new_page(locale="fr-FR")
    page.goto(f"{event['projector_url']}/workshops/{workshop['id']}")
    terms = glossary_terms(None, "fr")  # the library's: content files, no database (the server has its own)
    server = [str(mark_terms(text, terms, "/glossaire")) for text in EDGE_TEXTS]

    # Act: the page's script marks each text; the server's markup is parsed beside it (test code only)
    pairs = page.evaluate(
        "([texts, server]) => { const shape = " + SHAPE + ";"
        " return texts.map((text, i) => { const live = document.createElement('p'); barcampGlossary.fill(live, text);"
        " const parsed = document.createElement('template'); parsed.innerHTML = '<p>' + server[i] + '</p>';"
        " barcampGlossary.enhance(parsed.content); return [shape(live), shape(parsed.content.firstChild)]; }); }",
        [EDGE_TEXTS, server])

    # Assert
    for text, (live, expected) in zip(EDGE_TEXTS, pairs):
        assert live == expected, text
    # one term per text, but none in opendata, nudge_x, nudge2, 2nudge, jugaadé, ßdesign and "", two in the MOOC line
    assert sum(html.count('class="glossary-term"') for html in server) == 23
