"""The restitution's API, editor pages, public page and CLI: rights, publication, downloads."""
from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from tests.conftest import error_of
from tests.restitution.conftest import FRENCH, XSS_SCRIPT

MIMETYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@pytest.fixture
def forum(build_forum):
    return build_forum()


def login(client, organiser) -> None:
    response = client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    assert response.status_code == 302


@pytest.mark.parametrize("key", list(MIMETYPES))
def test_api_export_has_content_type_and_file_name_from_the_title(client, forum, key):
    response = client.get(f"/api/v1/events/{forum.id}/export?format={key}", headers=forum.organiser["headers"])

    assert response.status_code == 200
    assert response.headers["Content-Type"] == MIMETYPES[key]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="le-barcamp-de-l-oeuvre-commune.{key}"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("UTF-8''")[1]) == f"{FRENCH}.{key}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(response.data) > 500


def test_api_export_bad_format_is_a_400_json_error(client, forum):
    response = client.get(f"/api/v1/events/{forum.id}/export?format=exe", headers=forum.organiser["headers"])

    assert error_of(response) == (400, "invalid_format")
    assert "md, html, pdf, docx, csv, json" in response.get_json()["error"]["message"]


def test_api_export_refuses_another_organiser_and_anonymous_callers(client, forum, make_organiser):
    other = make_organiser()

    assert error_of(client.get(f"/api/v1/events/{forum.id}/export?format=md", headers=other["headers"]))[0] in (403, 404)
    assert error_of(client.get(f"/api/v1/events/{forum.id}/export?format=md"))[0] == 401


def test_organiser_b_cannot_open_organiser_a_editor_or_download(client, forum, make_organiser):
    other = make_organiser()
    login(client, other)

    assert client.get(f"/organiser/events/{forum.id}/restitution").status_code in (403, 404)
    assert client.get(f"/organiser/events/{forum.id}/restitution/export?format=pdf").status_code in (403, 404)
    assert client.post(f"/organiser/events/{forum.id}/restitution/publish").status_code in (403, 404)


def test_publish_then_public_url_readable_without_login_then_unpublish_404(app, client, forum):
    headers = forum.organiser["headers"]
    assert client.get(f"/api/v1/events/{forum.id}/restitution", headers=headers).get_json()["published"] is False

    published = client.post(f"/api/v1/events/{forum.id}/restitution/publication", headers=headers).get_json()
    path = published["public_url"].split("://", 1)[1].split("/", 1)[1]
    anonymous = app.test_client()
    page = anonymous.get("/" + path)
    download = anonymous.get(f"/{path}/export?format=csv")

    assert published["published"] is True and path.startswith("r/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f"<h1 id=\"r-title\">{FRENCH}</h1>" in body
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="/static/css/restitution.css"' in body and "<style" not in body and 'style="' not in body
    assert download.status_code == 200 and download.headers["Content-Type"] == "text/csv; charset=utf-8"

    client.delete(f"/api/v1/events/{forum.id}/restitution/publication", headers=headers)

    assert anonymous.get("/" + path).status_code == 404
    assert anonymous.get(f"/{path}/export?format=csv").status_code == 404


def test_unknown_public_token_is_404(client, forum):
    assert client.get("/r/not-a-token").status_code == 404


def test_editor_saves_the_introduction_and_the_pseudonyms_option(client, forum):
    login(client, forum.organiser)

    response = client.post(f"/organiser/events/{forum.id}/restitution", data={
        "context": "Semaine de l’innovation publique.", "dates": "du 20 au 26 novembre 2017",
        "place": "Nice", "thanks": "Merci aux « BarCampeurs » !", "include_names": "y"})
    md = client.get(f"/organiser/events/{forum.id}/restitution/export?format=md").get_data(as_text=True)
    page = client.get(f"/organiser/events/{forum.id}/restitution").get_data(as_text=True)

    assert response.status_code == 302
    assert "- **Dates** : du 20 au 26 novembre 2017\n- **Lieu** : Nice" in md
    assert "Semaine de l’innovation publique." in md and "Merci aux « BarCampeurs » !" in md
    assert "Alice Pseudo" in md
    assert "Aperçu" in page and "Alice Pseudo" in page and 'checked' in page


def test_editor_moves_a_chapter_and_the_exports_follow(client, forum):
    login(client, forum.organiser)

    client.post(f"/organiser/events/{forum.id}/restitution/move",
                data={"workshop_id": forum.workshops["orga"], "direction": "up"})
    md = client.get(f"/organiser/events/{forum.id}/restitution/export?format=md").get_data(as_text=True)
    data = json.loads(client.get(f"/api/v1/events/{forum.id}/export?format=json",
                                 headers=forum.organiser["headers"]).data)

    assert md.index("## #Vous avez dit") < md.index("## #Développement durable")
    assert [c["workshop_id"] for c in data["chapters"]] == [forum.workshops["orga"], forum.workshops["dd"]]


def test_api_settings_reject_a_chapter_order_that_misses_a_workshop(client, forum):
    response = client.put(f"/api/v1/events/{forum.id}/restitution", headers=forum.organiser["headers"],
                          json={"chapter_order": [forum.workshops["orga"]]})

    assert error_of(response) == (422, "invalid_chapter_order")


def test_api_settings_order_and_names(client, forum):
    order = [forum.workshops["orga"], forum.workshops["dd"]]
    response = client.put(f"/api/v1/events/{forum.id}/restitution", headers=forum.organiser["headers"],
                          json={"chapter_order": order, "include_names": True, "thanks": "Merci !"})

    assert response.status_code == 200
    assert response.get_json()["chapter_order"] == order
    md = client.get(f"/api/v1/events/{forum.id}/export?format=md", headers=forum.organiser["headers"]).data.decode()
    assert "Alice Pseudo" in md and "Merci !" in md


def test_dashboard_links_to_the_editor(client, forum):
    login(client, forum.organiser)

    page = client.get(f"/organiser/events/{forum.id}").get_data(as_text=True)

    assert f'href="/organiser/events/{forum.id}/restitution"' in page


def test_cli_export_writes_the_file(app, forum, tmp_path):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from barcamp.cli import cli

    target = tmp_path / "restitution.md"
    result = CliRunner().invoke(cli, ["export", str(forum.id), "--format", "md", "-o", str(target)],
                                obj=ScriptInfo(create_app=lambda: app))

    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith(f"# {FRENCH}\n")
    assert f"exported to {target} (md," in result.output


def test_cli_export_unknown_forum_fails_cleanly(app, tmp_path):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from barcamp.cli import cli

    result = CliRunner().invoke(cli, ["export", "999", "--format", "json", "-o", str(tmp_path / "x.json")],
                                obj=ScriptInfo(create_app=lambda: app))

    assert result.exit_code == 1
    assert "Ce forum n'existe pas." in result.output
    assert not (tmp_path / "x.json").exists()


def test_xss_in_the_public_page_is_escaped(app, client, forum):
    client.post(f"/api/v1/events/{forum.id}/restitution/publication", headers=forum.organiser["headers"])
    url = client.get(f"/api/v1/events/{forum.id}/restitution", headers=forum.organiser["headers"]).get_json()
    body = app.test_client().get("/" + url["public_url"].split("/", 3)[3]).get_data(as_text=True)

    assert XSS_SCRIPT not in body
    assert "Constat piégé &lt;script&gt;" in body
