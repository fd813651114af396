"""Workshop pages: the organiser's management page, the phone list, board and no-JS card form, the projector."""
from __future__ import annotations

import re


def login(client, organiser):
    client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})


def csrf_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def join_phone(client, event, name="Alice"):
    client.post(f"/j/{event['join_code']}", data={"name": name})


def test_dashboard_links_to_the_workshops_page(client, board):
    login(client, board["event"]["organiser"])

    page = client.get(f"/organiser/events/{board['event']['id']}").get_data(as_text=True)

    assert f"/organiser/events/{board['event']['id']}/workshops" in page


def test_organiser_creates_a_grouped_workshop_and_issues_a_facilitator_link(client, board, make_proposal):
    event = board["event"]
    login(client, event["organiser"])
    second = make_proposal(event, title="Relation usager")

    created = client.post(f"/organiser/events/{event['id']}/workshops", data={
        "title": "Usagers et numérique", "proposal_ids": [str(board["topic"]), str(second)], "dots_budget": "3",
        "max_per_card": "2", "submit": "1"}, follow_redirects=True)
    wid = client.get(f"/api/v1/events/{event['id']}/workshops", headers=board["organiser"]).get_json()[
        "workshops"][-1]["id"]
    linked = client.post(f"/organiser/events/{event['id']}/workshops/{wid}/facilitator", data={"choice": "link"},
                         follow_redirects=True).get_data(as_text=True)

    assert "Usagers et numérique" in created.get_data(as_text=True)
    assert "Le numérique pour tous · Relation usager" in created.get_data(as_text=True)
    url = re.search(r"(http://\S+/facilitate/f_[\w-]+)", linked).group(1)
    phone = client.application.test_client()
    join_phone(phone, event, "Camille")
    claimed = phone.get(url, follow_redirects=True).get_data(as_text=True)
    assert "Vous animez ce tableau" in claimed


def test_phone_lists_joins_and_adds_a_card_without_javascript(client, board):
    event, wid = board["event"], board["workshop"]["id"]
    join_phone(client, event)

    listing = client.get(f"/e/{event['id']}/workshops").get_data(as_text=True)
    joined = client.post(f"/e/{event['id']}/workshops/{wid}/join")
    added = client.post(f"/e/{event['id']}/workshops/{wid}/cards",
                        data={"section": "propositions", "text": "Créer le SANU <script>alert(1)</script>",
                              "gain": "Un accès plus rapide aux droits"}, follow_redirects=True)
    page = added.get_data(as_text=True)

    assert "Transition numérique" in listing and "Rejoindre cet atelier" in listing
    assert joined.headers["Location"].endswith(f"/e/{event['id']}/workshops/{wid}")
    assert "Créer le SANU &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "Un accès plus rapide aux droits" in page
    assert page.count('class="board-section card"') == 7


def test_the_same_card_form_posted_twice_stores_one_card(client, board):
    event, wid = board["event"], board["workshop"]["id"]
    join_phone(client, event)
    page = client.get(f"/e/{event['id']}/workshops/{wid}").get_data(as_text=True)
    key = re.search(r'name="client_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    form = {"section": "constat", "text": "Un double envoi", "client_key": key}

    first = client.post(f"/e/{event['id']}/workshops/{wid}/cards", data=form)
    again = client.post(f"/e/{event['id']}/workshops/{wid}/cards", data=form, follow_redirects=True)

    assert first.status_code == 302
    assert again.get_data(as_text=True).count(">Un double envoi<") == 1
    board_now = client.get(f"/api/v1/workshops/{wid}", headers=board["organiser"]).get_json()
    assert [c["text"] for s in board_now["sections"] for c in s["cards"]] == ["Un double envoi"]
    fresh = client.get(f"/e/{event['id']}/workshops/{wid}").get_data(as_text=True)
    assert key not in fresh  # the next form gets a new key


def test_phone_reports_a_card_without_javascript(client, board):
    event, wid = board["event"], board["workshop"]["id"]
    theirs = client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "constat", "text": "Carte de Bob"},
                         headers=board["bob"]["headers"]).get_json()["id"]
    join_phone(client, event, "Camille")
    client.post(f"/e/{event['id']}/workshops/{wid}/cards", data={"section": "constat", "text": "Ma carte"})
    report_url = f"/e/{event['id']}/workshops/{wid}/cards/{theirs}/report"

    before = client.get(f"/e/{event['id']}/workshops/{wid}").get_data(as_text=True)
    reported = client.post(report_url, data={}, follow_redirects=True).get_data(as_text=True)

    assert before.count('class="inline-form report-form"') == 1  # on Bob's card, not on one's own
    assert f'action="{report_url}"' in before
    assert 'aria-label="Signaler la carte « Carte de Bob »"' in before
    assert "Merci, l&#39;équipe d&#39;organisation a été prévenue." in reported
    assert 'disabled>Signalée</button>' in reported and 'report-form' not in reported
    queue = client.get(f"/api/v1/events/{event['id']}/reports", headers=board["organiser"]).get_json()
    assert [(c["card_id"], c["reports"], c["status"]) for c in queue["cards"]] == [(theirs, 1, "visible")]


def test_forum_page_links_to_workshops_during_the_phase(client, board):
    join_phone(client, board["event"])

    page = client.get(f"/e/{board['event']['id']}").get_data(as_text=True)

    assert f"/e/{board['event']['id']}/workshops" in page
    assert "Classement final" in page


def test_projector_shows_the_board_with_the_forums_secret(client, board):
    client.post(f"/api/v1/workshops/{board['workshop']['id']}/cards",
                json={"section": "constat", "text": "Le parcours du combattant"}, headers=board["organiser"])

    page = client.get(f"/projector/{board['event']['projector_token']}/workshops/{board['workshop']['id']}")
    wrong = client.get(f"/projector/nope/workshops/{board['workshop']['id']}")

    assert page.status_code == 200
    assert "Le parcours du combattant" in page.get_data(as_text=True)
    assert wrong.status_code == 404


def test_organiser_board_page_has_facilitator_rights_and_other_organisers_are_refused(client, board, make_organiser):
    event, wid = board["event"], board["workshop"]["id"]
    login(client, event["organiser"])

    page = client.get(f"/organiser/events/{event['id']}/workshops/{wid}").get_data(as_text=True)
    other = client.application.test_client()
    login(other, make_organiser())
    refused = other.get(f"/organiser/events/{event['id']}/workshops/{wid}")

    assert "Vous animez ce tableau" in page
    assert 'data-live-token="o_' in page
    assert refused.status_code == 403


def test_organiser_renames_and_deletes_a_workshop_from_the_manage_page(client, board):
    event, wid = board["event"], board["workshop"]["id"]
    login(client, event["organiser"])
    base = f"/organiser/events/{event['id']}/workshops/{wid}"

    page = client.get(f"/organiser/events/{event['id']}/workshops").get_data(as_text=True)
    renamed = client.post(f"{base}/rename", data={"title": "Numérique pour tous"}, follow_redirects=True)
    unconfirmed = client.post(f"{base}/delete", data={}, follow_redirects=True).get_data(as_text=True)
    still = client.get(f"/api/v1/workshops/{wid}", headers=board["organiser"]).get_json()["workshop"]["title"]
    deleted = client.post(f"{base}/delete", data={"confirm": "y"}, follow_redirects=True).get_data(as_text=True)

    assert f'action="{base}/rename"' in page and f'action="{base}/delete"' in page
    assert 'value="Transition numérique" maxlength="120" required' in page
    assert "Atelier renommé." in renamed.get_data(as_text=True)
    assert "Cochez la case de confirmation pour supprimer l&#39;atelier." in unconfirmed
    assert still == "Numérique pour tous"
    assert "Atelier « Numérique pour tous » supprimé." in deleted
    assert f'action="{base}/delete"' not in deleted
    assert "Aucun atelier pour l'instant." in deleted
    join_phone(client, event, "Camille")
    assert "Numérique pour tous" not in client.get(f"/e/{event['id']}/workshops").get_data(as_text=True)
    assert client.get(f"/e/{event['id']}/workshops/{wid}").status_code == 404


def test_rename_and_delete_pages_need_the_csrf_token(app, board):
    from barcamp import create_app
    from barcamp.extensions import db

    csrf_app = create_app({**app.config, "WTF_CSRF_ENABLED": True})
    try:
        client = csrf_app.test_client()
        event, wid = board["event"], board["workshop"]["id"]
        login_page = client.get("/organiser/login").get_data(as_text=True)
        client.post("/organiser/login", data={"email": event["organiser"]["email"], "csrf_token": csrf_in(login_page),
                                              "password": event["organiser"]["password"]})
        base = f"/organiser/events/{event['id']}/workshops/{wid}"

        client.post(f"{base}/rename", data={"title": "Sans jeton"})
        client.post(f"{base}/delete", data={"confirm": "y"})
        unchanged = client.get(f"/api/v1/workshops/{wid}", headers=board["organiser"]).get_json()["workshop"]
        manage = client.get(f"/organiser/events/{event['id']}/workshops").get_data(as_text=True)
        client.post(f"{base}/rename", data={"title": "Avec jeton", "csrf_token": csrf_in(manage)})

        assert unchanged["title"] == "Transition numérique"
        title = client.get(f"/api/v1/workshops/{wid}", headers=board["organiser"]).get_json()["workshop"]["title"]
        assert title == "Avec jeton"
    finally:
        csrf_app.extensions["barcamp_live"].stop()
        with csrf_app.app_context():
            db.engine.dispose()
