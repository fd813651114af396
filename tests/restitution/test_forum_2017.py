"""The 2017 Alpes-Maritimes forum of the seed document, rebuilt through the API, in every export."""
from __future__ import annotations

import json

import jsonschema
import pytest

from barcamp.restitution.export_json import load_schema
from tests.restitution.helpers import (
    csv_rows,
    docx_numbering,
    docx_paragraphs,
    html_headings,
    md_headings,
    pdf_text,
)
from tests.workshops.forum_2017 import FORUM, WORKSHOPS, build_forum_2017, expected_dots

TITLES = [w[0] for w in WORKSHOPS]


@pytest.fixture
def forum_2017(client, make_organiser):
    organiser = make_organiser()
    built = build_forum_2017(client, organiser["headers"])
    return built, organiser["headers"]


def export(client, forum, key: str) -> bytes:
    built, headers = forum
    response = client.get(f"/api/v1/events/{built['event_id']}/export?format={key}", headers=headers)
    assert response.status_code == 200, response.data[:300]
    return response.data


def test_markdown_and_html_have_the_four_chapters_in_order(client, forum_2017):
    md = export(client, forum_2017, "md").decode()
    html = export(client, forum_2017, "html").decode()

    md_chapters = [h for h in md_headings(md) if h.startswith("## #")]
    assert md_chapters == [f"## #{t}" for t in TITLES]
    assert md_headings(md)[:4] == [f"# {FORUM['title']}", "## Introduction", "## Recensement des sujets",
                                   "## Priorisation"]
    assert [h for h in html_headings(html) if h.startswith("#")] == [f"#{t}" for t in TITLES]
    # the seed's first proposal, with its gain and its dots
    dots = expected_dots()
    assert ("**#1** Le Département doit être engagé et exemplaire : il peut choisir de déployer des "
            "expérimentations") in md
    assert f"- *Gommettes* : {dots.get((0, 1), 0)}" in md
    assert md.index("### Constat") < md.index("### Questions") < md.index("### Nous proposons de…")


def test_docx_headings_and_numbered_proposals(client, forum_2017):
    data = export(client, forum_2017, "docx")
    headings = [t for s, t in docx_paragraphs(data) if s == "Heading 1"]
    numbered = [n for n in docx_numbering(data) if n[1] == "#%1"]

    assert headings == ["Introduction", "Recensement des sujets", "Priorisation", *[f"#{t}" for t in TITLES]]
    first = [text for num_id, _fmt, text in numbered if num_id == numbered[0][0]]
    assert len(first) == 3 and first[0].startswith("Le Département doit être engagé et exemplaire")


def test_pdf_has_the_titles_and_french_characters(client, forum_2017):
    text = pdf_text(export(client, forum_2017, "pdf"))

    for title in TITLES:
        assert f"#{title}" in text
    assert "« bruit de fond continu »" in text and "l’éco-système" in text


def test_csv_has_one_row_per_topic_and_json_validates(client, forum_2017):
    rows = csv_rows(export(client, forum_2017, "csv"))
    data = json.loads(export(client, forum_2017, "json"))

    assert sorted(r["titre"] for r in rows if r["type"] == "sujet") == sorted(TITLES)
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    dots = expected_dots()
    for windex, chapter in enumerate(data["chapters"]):
        assert [(p["number"], p["dots"]) for p in chapter["proposals"]] == [
            (p["number"], dots.get((windex, p["number"]), 0)) for p in chapter["proposals"]]
    assert data["intro"]["participants"] == 3
