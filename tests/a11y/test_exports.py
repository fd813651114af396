"""The restitution's exports are accessible documents: a tagged PDF with headings and a language, a DOCX
with Word's real heading styles (what a screen reader's heading navigation and a table of contents use)."""
from __future__ import annotations

import io

import pytest

from tests.workshops.forum_2017 import WORKSHOPS, build_forum_2017


@pytest.fixture
def exports(client, make_organiser):
    """The 2017 forum's restitution as PDF and DOCX, downloaded by its organiser through the API."""
    headers = make_organiser()["headers"]
    forum = build_forum_2017(client, headers, phase="workshops")
    out = {}
    for key in ("pdf", "docx"):
        r = client.get(f"/api/v1/events/{forum['event_id']}/export?format={key}", headers=headers)
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
        out[key] = r.data
    return out


def _struct_types(node, seen: list[str], depth: int = 0) -> None:
    node = node.get_object()
    if "/S" in node:
        seen.append(str(node["/S"]))
    kids = node.get("/K")
    if kids is None or depth > 60:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and ("/S" in kid or "/K" in kid):
            _struct_types(kid, seen, depth + 1)


def test_pdf_is_tagged_with_a_language_and_headings(exports):
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(exports["pdf"])).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr-FR"
    assert bool(root["/MarkInfo"]["/Marked"])
    types: list[str] = []
    _struct_types(root["/StructTreeRoot"], types)
    assert types.count("/H1") >= 1
    # one second-level heading per workshop at least (the four workshops of 2017)
    assert types.count("/H2") >= len(WORKSHOPS)
    assert "/P" in types


def test_docx_uses_word_heading_styles_for_the_workshops(exports):
    from docx import Document

    document = Document(io.BytesIO(exports["docx"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    heading_texts = " ".join(text for _style, text in headings)
    for title, *_rest in WORKSHOPS:
        assert title in heading_texts, title
    assert {style for style, _text in headings} >= {"Heading 1", "Heading 2"}
    # the styles are Word's built-in headings: they carry an outline level (navigation pane, TOC)
    assert document.styles["Heading 1"].element.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl") is not None
