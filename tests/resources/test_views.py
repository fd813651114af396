"""Search, glossary, forum additions and attachments, over the API and the pages."""
from __future__ import annotations

import json
import re

from barcamp.extensions import db
from barcamp.resources.services import resources_for_workshop


def ids(response) -> list[str]:
    return [r["id"] for r in response.get_json()["resources"]]


# -- search -----------------------------------------------------------------------------------
def test_search_finds_an_entry_by_a_word_of_its_summary_without_accents_or_case(client):
    # "écosystème" is only in the summary of DUVAL's book (and in the title of territoires-06's summary)
    response = client.get("/api/v1/resources?q=ECOSYSTEME")
    assert response.status_code == 200
    assert ids(response) == ["territoires-06", "territoires-30"]
    # a word of a summary only: "sans-abrisme" (Los Angeles), typed without its accentless hyphen mates
    assert ids(client.get("/api/v1/resources?q=sans-abrisme")) == ["territoires-21"]


def test_search_needs_every_word_and_filters_by_section_and_year(client):
    assert ids(client.get("/api/v1/resources?q=design fiction")) == ["design-public-04"]
    moocs = client.get("/api/v1/resources?section=moocs").get_json()
    assert moocs["count"] == 8 and {r["section_title"] for r in moocs["resources"]} == {"Formations à distance (MOOC)"}
    in_2017 = client.get("/api/v1/resources?q=innovation&section=illustrations&year=2017").get_json()
    assert [r["id"] for r in in_2017["resources"]] == ["illustrations-05", "illustrations-12", "illustrations-14",
                                                      "illustrations-17"]
    assert all(r["year"] == 2017 for r in in_2017["resources"])


def test_search_by_author(client):
    assert ids(client.get("/api/v1/resources?q=guillot")) == ["territoires-08", "territoires-26"]


def test_search_rejects_a_bad_year(client):
    response = client.get("/api/v1/resources?year=19")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_year"


def test_library_page_searches_without_javascript(client):
    page = client.get("/ressources?q=Los+Angeles").get_data(as_text=True)
    assert "1 ressource" in page and "Los Angeles, l&#39;innovation publique grand format" in page
    assert "BOIS CHOUSSY Sylvine, OLLIVIER Yoan" in page
    # glossary terms in summaries are explained too (here the Sonar spelling "hackatons")
    page = client.get("/ressources?q=hackatons").get_data(as_text=True)
    assert '(<a class="glossary-term" href="/glossaire#term-hackathon"' in page


# -- glossary ---------------------------------------------------------------------------------
def test_glossary_api_follows_the_language(client):
    fr = client.get("/api/v1/glossary").get_json()
    en = client.get("/api/v1/glossary", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_json()
    assert fr["locale"] == "fr" and en["locale"] == "en"
    assert len(fr["terms"]) == 14
    nudge_fr = next(t for t in fr["terms"] if t["slug"] == "nudge")
    nudge_en = next(t for t in en["terms"] if t["slug"] == "nudge")
    assert nudge_fr["definition"].startswith("En français « coup de pouce »")
    assert nudge_en["definition"].startswith("An indirect suggestion")
    assert [a["name"] for a in en["approaches"]] == ["Cultural approaches", "Hybrid approaches",
                                                     "Methodological approaches", "Technical approaches"]


def test_forum_terms_are_added_by_the_organiser_and_read_with_a_token(client, make_event, make_participant):
    event = make_event()
    headers = event["organiser"]["headers"]
    created = client.post(f"/api/v1/events/{event['id']}/glossary", headers=headers,
                          json={"term": "Gommette", "definition": "Un point de vote autocollant."})
    assert created.status_code == 201
    again = client.post(f"/api/v1/events/{event['id']}/glossary", headers=headers,
                        json={"term": "gommette", "definition": "Doublon."})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "term_exists"
    participant = make_participant(event)
    terms = client.get(f"/api/v1/glossary?event_id={event['id']}", headers=participant["headers"]).get_json()["terms"]
    assert {"slug": created.get_json()["slug"], "term": "Gommette", "definition": "Un point de vote autocollant.",
            "forum": True} in terms
    assert client.get(f"/api/v1/glossary?event_id={event['id']}").status_code == 401


def test_glossary_terms_in_topics_are_explained_on_tap(client, make_event, make_participant, make_proposal):
    event = make_event()
    participant = make_participant(event, "Alice")
    make_proposal(event, participant, title="Un hackathon <b>open data</b> et encore de l'open data",
                  description="La maitrise d'usage avant tout")
    with client.session_transaction() as session:
        session["participants"] = {str(event["id"]): participant["token"]}
    page = client.get(f"/e/{event['id']}").get_data(as_text=True)
    glossary_url = f"/e/{event['id']}/glossaire"
    # escaped first: the user's <b> stays text; the term becomes a link to its definition
    assert (f'Un <a class="glossary-term" href="{glossary_url}#term-hackathon"') in page
    assert "&lt;b&gt;<a class=\"glossary-term\"" in page and "</span>&lt;/b&gt; et encore de l&#39;open data</h3>" in page
    assert page.count(f'href="{glossary_url}#term-open-data"') == 1  # the first occurrence only
    assert f'href="{glossary_url}#term-maitrise-d-usage"' in page
    assert "<strong>Maîtrise d&#39;usage</strong> : À côté de la maîtrise d&#39;œuvre" in page
    assert f'href="/e/{event["id"]}/ressources"' in page  # the phone page links to the library
    glossary = client.get(glossary_url).get_data(as_text=True)
    assert 'id="term-hackathon"' in glossary


def test_the_forum_page_ships_its_terms_for_live_topics(client, make_event, make_participant):
    event = make_event()
    client.post(f"/api/v1/events/{event['id']}/glossary", headers=event["organiser"]["headers"],
                json={"term": "Gommette", "definition": "Un point de vote </script><b>autocollant</b>."})
    participant = make_participant(event, "Alice")
    with client.session_transaction() as session:
        session["participants"] = {str(event["id"]): participant["token"]}
    page = client.get(f"/e/{event['id']}").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="glossary-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)  # data, not a script: the CSP allows it and nothing runs
    assert data["url"] == f"/e/{event['id']}/glossaire"
    assert data["terms"][-1]["definition"] == "Un point de vote </script><b>autocollant</b>."  # \u003c in the page
    assert ["gommette", len(data["terms"]) - 1] in data["phrases"] and len(data["terms"]) == 15


def test_forum_pages_need_the_forum(client, make_event):
    event = make_event()
    assert client.get(f"/e/{event['id']}/ressources").status_code == 403
    assert client.get(f"/e/{event['id']}/glossaire").status_code == 403


# -- forum resources and attachments ----------------------------------------------------------
def test_organiser_attaches_resources_to_a_topic(client, make_event, make_proposal, make_participant):
    event = make_event()
    headers = event["organiser"]["headers"]
    topic = make_proposal(event, title="Un lab dans la collectivité")
    own = client.post(f"/api/v1/events/{event['id']}/resources", headers=headers,
                      json={"title": "Notre guide du lab", "author": "Équipe innovation", "date": "2024",
                            "url": "https://example.org/guide", "summary": "Comment nous avons monté le lab."})
    assert own.status_code == 201
    own_id = own.get_json()["id"]
    url = f"/api/v1/events/{event['id']}/proposals/{topic}/resources"
    response = client.put(url, headers=headers, json={"resource_ids": [own_id, "territoires-01", own_id]})
    assert response.status_code == 200
    assert ids(response) == [own_id, "territoires-01"]
    participant = make_participant(event)
    assert ids(client.get(url, headers=participant["headers"])) == [own_id, "territoires-01"]
    assert client.put(url, headers=participant["headers"], json={"resource_ids": []}).status_code == 403
    unknown = client.put(url, headers=headers, json={"resource_ids": ["territoires-99"]})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["details"] == {"unknown": ["territoires-99"]}
    # the forum's own resource is searchable with the forum's token
    found = client.get(f"/api/v1/resources?q=guide lab&event_id={event['id']}", headers=headers).get_json()
    assert [r["id"] for r in found["resources"]] == [own_id, "moocs-01"]  # the forum's first; moocs-01: "vous guide … laboratoire"


def test_another_forums_resource_cannot_be_attached(client, make_event, make_proposal):
    first, second = make_event(), make_event()
    own = client.post(f"/api/v1/events/{first['id']}/resources", headers=first["organiser"]["headers"],
                      json={"title": "Privé au premier forum"}).get_json()["id"]
    topic = make_proposal(second)
    response = client.put(f"/api/v1/events/{second['id']}/proposals/{topic}/resources",
                          headers=second["organiser"]["headers"], json={"resource_ids": [own]})
    assert response.status_code == 422


def test_workshop_resources_reach_the_api_and_the_restitution_service(app, client, forum_with_workshop):
    forum = forum_with_workshop
    wid, topic = forum["workshop"], forum["topic"]
    put = client.put(f"/api/v1/workshops/{wid}/resources", headers=forum["headers"],
                     json={"resource_ids": ["moocs-01", "design-public-05"]})
    assert put.status_code == 200 and ids(put) == ["moocs-01", "design-public-05"]
    client.put(f"/api/v1/events/{forum['event']['id']}/proposals/{topic}/resources", headers=forum["headers"],
               json={"resource_ids": ["design-public-05", "sites-01"]})
    assert ids(client.get(f"/api/v1/workshops/{wid}/resources", headers=forum["headers"])) == ["moocs-01",
                                                                                               "design-public-05"]
    with app.app_context():
        further = resources_for_workshop(wid)
        db.session.remove()
    assert [r["title"] for r in further] == ["Comment faire un laboratoire d'innovation publique ? (session 02)",
                                             "Faire du design de service public, oui, mais comment ?", "La 27e Région"]
    assert further[1] == {"title": "Faire du design de service public, oui, mais comment ?", "author": None,
                          "source": "lagazettedescommunes.com", "date": "25/07/2017",
                          "url": "http://www.lagazettedescommunes.com/517311/faire-du-design-de-service-public-oui-mais-comment/?abo=1",
                          "summary": further[1]["summary"]}
    assert further[1]["summary"].startswith("Avoir une approche centrée sur l'utilisateur")


def test_organiser_page_adds_a_resource_a_term_and_attaches(client, make_event, make_proposal):
    event = make_event()
    topic = make_proposal(event, title="Sujet A")
    organiser = event["organiser"]
    client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    page = f"/organiser/events/{event['id']}/ressources"
    assert client.get(f"/organiser/events/{event['id']}").get_data(as_text=True).count(page) == 1
    added = client.post(page, data={"action": "resource", "res-title": "Guide maison", "res-url": "https://example.org"},
                        follow_redirects=True)
    assert "Ressource ajoutée au forum." in added.get_data(as_text=True)
    client.post(page, data={"action": "term", "term-term": "Forum ouvert", "term-definition": "Un format."})
    attach = client.post(page, data={"action": "attach", "att-target": f"p-{topic}",
                                     "att-resource_ids": ["forum-1", "cnfpt-03"]}, follow_redirects=True)
    body = attach.get_data(as_text=True)
    assert "Ressources « Pour aller plus loin » enregistrées." in body
    assert "Guide maison" in body and "Quand le CNFPT se met à l&#39;innovation" in body and "Forum ouvert" in body
    bad = client.post(page, data={"action": "resource", "res-title": "X", "res-date": "hier"})
    assert bad.status_code == 400 and "Date attendue : 2019, 05/2019 ou 21/05/2019." in bad.get_data(as_text=True)
