"""The English catalogue is complete and compiled; the language follows the browser and the switch."""
from __future__ import annotations

import io
import shutil

from babel.messages.pofile import read_po, write_po

from barcamp.resources.i18n import LANG_COOKIE, TRANSLATIONS, check, extract, mo_path, po_path


def test_every_interface_string_has_an_english_translation():
    """Runs the extraction (babel's Python API) and compares it with messages.po: fails on any gap."""
    report = check("en")
    assert report.lines() == []
    assert report.ok


def test_the_compiled_catalogue_is_up_to_date():
    """The .mo is committed (no build step after `pip install -e .`): it must equal the .po."""
    assert mo_path("en").exists()
    assert check("en").stale_mo is False


def test_extraction_finds_python_template_and_javascript_strings():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract()}
    assert "Aller au contenu" in ids                      # templates/base.html
    assert "Ce forum n'existe pas." in ids                # app/events/services.py
    assert "Question %(n)s sur %(total)s" in ids          # static/js/quiz.js, through JS_MESSAGES
    assert "%(num)s ressource" in ids                     # an ngettext of templates/resources


def test_check_reports_missing_untranslated_and_fuzzy_messages(tmp_path):
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy)
    path = po_path("en", copy)
    before = check("en", copy)  # other helpers may be adding strings right now: compare with this
    catalog = read_po(path.open("rb"), locale="en")
    catalog.delete("Aller au contenu")
    catalog.get("Glossaire").string = ""
    catalog.get("Lieu").flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())
    report = check("en", copy)
    assert set(report.missing) - set(before.missing) == {"Aller au contenu"}
    assert set(report.untranslated) - set(before.untranslated) == {"Glossaire"}
    assert set(report.fuzzy) - set(before.fuzzy) == {"Lieu"}
    assert report.stale_mo is True  # the .mo still holds the three translations
    assert not report.ok


def test_language_follows_the_browser_then_the_switch(client):
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Forum code" in english and "Skip to content" in english
    switched = client.get("/langue/fr?next=/ressources", headers={"Accept-Language": "en"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/ressources"
    assert f"{LANG_COOKIE}=fr" in switched.headers["Set-Cookie"]
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Code du forum" in page  # the cookie beats the browser


def test_responses_vary_on_the_language(client):
    vary = client.get("/glossaire").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_switch_never_redirects_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.get("/langue/en", query_string={"next": target})
        assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in client.get("/langue/de?next=/").headers


def test_unknown_language_cookie_falls_back_to_the_browser(client):
    client.set_cookie(LANG_COOKIE, "de")
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_quiz_content_follows_the_language(client, make_event, make_participant):
    event = make_event(phase="draft")
    participant = make_participant(event)
    fr = client.get(f"/api/v1/events/{event['id']}/quiz", headers=participant["headers"]).get_json()
    en = client.get(f"/api/v1/events/{event['id']}/quiz",
                    headers={**participant["headers"], "Accept-Language": "en"}).get_json()
    assert fr["title"] == "Quel est votre style d'innovation ?"
    assert en["title"] == "What is your innovation style?"
    assert en["questions"][5]["answers"][1]["text"] == "the journey matters as much as the destination"
    assert [p["name"] for p in en["profiles"]] == ["Internal culture", "Technical solutions", "Uses", "Hybrid and open"]
    assert [a["profile"] for a in en["questions"][0]["answers"]] == [a["profile"] for a in fr["questions"][0]["answers"]]


def test_api_errors_speak_the_callers_language(client):
    response = client.get("/api/v1/events/999999", headers={"Accept-Language": "en", "Authorization": "Bearer nope"})
    assert response.get_json()["error"]["message"] == "Missing or invalid access token."


def test_glossary_page_in_english(client):
    page = client.get("/glossaire", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "A few definitions to find your way" in page and "Temporary urbanism" in page


def test_workshop_formats_carry_english(app):
    from barcamp.schedule.formats import format_choices, get_format

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = get_format("super-agent-public")
        assert (english.name, english.modalites) == ("Super public servant", "One-day face-to-face workshop")
        assert english.jauge == 12 and english.credit.startswith("Exemple de module du « Nuancier")
        assert ("super-agent-public", "Super public servant (12)") in format_choices()
        assert "en" not in english.public_view()
    with app.test_request_context("/"):
        assert get_format("super-agent-public").name == "Super-agent-public"


def test_every_content_file_carries_english():
    from barcamp.quiz.content import load_quizzes
    from barcamp.resources.content import load_library
    from barcamp.schedule.formats import load_formats

    for quiz in load_quizzes().values():
        assert quiz.en is not None, quiz.slug
        assert all(q.en for q in quiz.questions) and all(p.en for p in quiz.profiles), quiz.slug
    assert all(f.en for f in load_formats().values())
    library = load_library()
    assert all(t.en for t in library.glossary.terms) and all(s.en for s in library.sections)
