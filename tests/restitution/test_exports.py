"""Every export format from the one assembled model: sections in order, hidden content absent, XSS inert."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

from barcamp.restitution.export_json import load_schema
from barcamp.restitution.exports import FORMATS
from barcamp.restitution.services import assemble
from tests.restitution.conftest import FRENCH, XSS_IMG, XSS_SCRIPT
from tests.restitution.helpers import (
    csv_cells,
    csv_rows,
    docx_numbering,
    docx_paragraphs,
    html_headings,
    md_headings,
    pdf_structure,
    pdf_text,
)

DD = "Développement durable : comment passer à l’échelle ?"
ORGA = "Vous avez dit : nouvelles organisations de travail ?"
CHAPTER_HEADINGS = ["Constat", "Questions", "Nous proposons de…", "Pistes pour agir", "Conseils pour réussir",
                    "Prochaine étape", "Indicateurs"]
NEVER = ["Sujet masqué par l’organisateur", "Carte supprimée à ne jamais montrer", "Carte fusionnée à ne jamais montrer"]


@pytest.fixture
def forum(build_forum):
    return build_forum()


def render(app, forum_id: int, key: str, include_names: bool = False) -> bytes:
    with app.app_context():
        return FORMATS[key].render(assemble(forum_id, include_names=include_names))


def test_markdown_has_every_section_in_order(app, forum):
    md = render(app, forum.id, "md").decode()

    assert md_headings(md) == [
        f"# {FRENCH}", "## Introduction", "## Recensement des sujets", "## Priorisation",
        f"## #{DD}", *[f"### {h}" for h in CHAPTER_HEADINGS],
        f"## #{ORGA}", "### Constat", "### Questions", "### Nous proposons de…",
    ]
    # numbered proposals in the facilitator's order, with gain, indicator and dots
    assert md.index("**#1** Le Département doit être engagé et exemplaire.") < md.index(
        "**#2** Faire un « bruit de fond continu »") < md.index("**#3** Favoriser la mise en réseau")
    assert "- *Le gain* : Montrer l’exemple.\n- *Indicateur* : Nombre d’expérimentations déployées\n- *Gommettes* : 3" in md
    assert "3 personne(s) ont participé au forum.\n\n- Agent public : 2\n- Étudiant·e : 1" in md
    assert "| 1 | Développement durable : comment passer à l’échelle ? | Développement durable | 5 | 3 |" in md


def test_html_has_every_section_in_order_and_print_css(app, forum):
    html = render(app, forum.id, "html").decode()

    assert html_headings(html) == [
        FRENCH, "Introduction", "Recensement des sujets", "Priorisation",
        f"#{DD}", *CHAPTER_HEADINGS, f"#{ORGA}", "Constat", "Questions", "Nous proposons de…",
    ]
    assert html.startswith("<!doctype html>")
    assert "@media print" in html and ".r-chapter { break-before: page;" in html
    assert '<li value="1">' in html and '<span class="r-number">#1</span> Le Département doit être engagé' in html


@pytest.mark.parametrize("key", ["md", "html", "pdf", "docx", "csv", "json"])
def test_hidden_topic_deleted_and_merged_cards_never_appear(app, forum, key):
    data = render(app, forum.id, key)
    text = _readable(key, data)

    for absent in NEVER:
        assert absent not in text
    assert "Le Département doit être engagé et exemplaire." in text


@pytest.mark.parametrize("key", ["md", "html", "pdf", "docx", "csv", "json"])
def test_pseudonyms_absent_by_default_and_present_with_the_option(app, forum, key):
    without = _readable(key, render(app, forum.id, key))
    with_names = _readable(key, render(app, forum.id, key, include_names=True))

    assert "Alice Pseudo" not in without and "Bob Pseudo" not in without
    assert "Alice Pseudo" in with_names
    if key not in ("csv",):  # the CSV has an author column per row, no member lists
        assert "Bob Pseudo" in with_names


def test_docx_has_word_headings_and_numbered_proposals(app, forum):
    data = render(app, forum.id, "docx")
    paragraphs = docx_paragraphs(data)
    headings = [(style, text) for style, text in paragraphs if style.startswith(("Heading", "Title"))]

    assert headings[:5] == [("Title", FRENCH), ("Heading 1", "Introduction"), ("Heading 1", "Recensement des sujets"),
                            ("Heading 1", "Priorisation"), ("Heading 1", f"#{DD}")]
    assert [t for s, t in headings[5:12]] == CHAPTER_HEADINGS
    assert {s for s, t in headings[5:12]} == {"Heading 2"}
    numbered = docx_numbering(data)
    first, second = [n for n in numbered if n[1] == "#%1"][:3], [n for n in numbered if n[1] == "#%1"][3:]
    assert [t for _id, _fmt, t in first] == ["Le Département doit être engagé et exemplaire.",
                                             "Faire un « bruit de fond continu » sur le développement durable.",
                                             "Favoriser la mise en réseau de ceux qui souhaitent agir."]
    assert len({num_id for num_id, _f, _t in first}) == 1
    # the second workshop's list is another list instance, so it restarts at #1
    assert [t for _i, _f, t in second] == [f"Proposition {XSS_IMG}"]
    assert second[0][0] != first[0][0]


def test_pdf_is_tagged_with_titles_and_french_characters(app, forum):
    data = render(app, forum.id, "pdf")
    text = pdf_text(data)

    assert data.startswith(b"%PDF-1.")
    for expected in (FRENCH, "Recensement des sujets", f"#{DD}", "Nous proposons de…", "#1",
                     "Le Département doit être engagé et exemplaire.", "« bruit de fond continu »",
                     "Redonner à l’humain toute sa place."):
        assert expected in text, expected
    structure = pdf_structure(data)
    assert structure[:3] == ["/Document", "/H1", "/P"]
    assert {"/H2", "/H3", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD"} <= set(structure)


def test_csv_has_a_row_per_visible_topic_and_no_formula(app, forum):
    data = render(app, forum.id, "csv")
    rows = csv_rows(data)

    topics = [r for r in rows if r["type"] == "sujet"]
    assert [(r["rang"], r["titre"], r["score"]) for r in topics] == [
        ("1", DD, "5"), ("2", ORGA, "3"), ("3", f"Sujet piégé {XSS_SCRIPT} {XSS_IMG}", "1"),
        ("4", "'=HYPERLINK(\"http://evil\")", "0")]
    proposals = [(r["atelier"], r["numero"], r["gommettes"]) for r in rows if r["type"] == "proposition"]
    assert proposals == [(DD, "1", "3"), (DD, "2", "1"), (DD, "3", "0"), (ORGA, "1", "0")]
    assert not [c for c in csv_cells(data) if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_json_validates_against_its_schema(app, forum):
    data = json.loads(render(app, forum.id, "json"))

    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert data["title"] == FRENCH
    assert [t["title"] for t in data["topics"]] == [DD, ORGA, f"Sujet piégé {XSS_SCRIPT} {XSS_IMG}",
                                                   "=HYPERLINK(\"http://evil\")"]
    chapter = data["chapters"][0]
    assert [(p["number"], p["dots"]) for p in chapter["proposals"]] == [(1, 3), (2, 1), (3, 0)]
    assert chapter["topics"] == [DD]  # the hidden topic gathered into the workshop is left out


def test_json_schema_rejects_a_document_missing_a_chapter_field(app, forum):
    data = json.loads(render(app, forum.id, "json"))
    del data["chapters"][0]["proposals"]

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema()).validate(data)


@pytest.mark.parametrize("key", ["md", "html", "pdf", "docx", "csv", "json"])
def test_xss_payload_is_inert(app, forum, key):
    data = render(app, forum.id, key)
    text = _readable(key, data)

    if key == "html":
        raw = data.decode()
        assert "<script>alert" not in raw and "<img src=x" not in raw
        assert "Constat piégé &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;" in raw
    elif key == "md":
        assert not re.search(r"(?<!\\)<", text)  # every < is escaped: no raw HTML reaches a Markdown viewer
        assert "Constat piégé \\<script\\>alert(1)\\</script\\> \\<img src=x onerror=alert(1)\\>" in text
    else:  # literal text in pdf, docx, csv, json
        assert f"Constat piégé {XSS_SCRIPT} {XSS_IMG}" in text or key == "csv"
        assert f"Proposition {XSS_IMG}" in text


def test_quiz_room_profile_in_the_introduction(app, forum):
    from barcamp.common.db import write_transaction
    from barcamp.events.models import Event
    from barcamp.extensions import db
    from barcamp.quiz.models import QuizRun

    with app.app_context(), write_transaction():
        db.session.add(QuizRun(event_id=forum.id, started_at=db.session.get(Event, forum.id).created_at,
                               distribution={"respondents": 3, "profiles": {"x": 2, "§": 1, "¿": 0, "#": 0},
                                             "mixed": 0}))
    md = render(app, forum.id, "md").decode()

    assert "Profil de la salle au quiz « " in md
    assert "- x " in md and " : 2" in md


def _readable(key: str, data: bytes) -> str:
    """What a person sees of the file: the text for PDF and DOCX, the decoded file otherwise."""
    if key == "pdf":
        return pdf_text(data)
    if key == "docx":
        return "\n".join(text for _style, text in docx_paragraphs(data)) + _docx_tables(data)
    if key == "json":
        return json.dumps(json.loads(data), ensure_ascii=False)
    return data.decode("utf-8-sig")


def _docx_tables(data: bytes) -> str:
    import io

    from docx import Document

    return "\n".join(cell.text for table in Document(io.BytesIO(data)).tables for row in table.rows
                     for cell in row.cells)
