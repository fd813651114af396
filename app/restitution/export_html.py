"""HTML: the template context shared by the public page, the preview and the standalone export."""
from __future__ import annotations

import re

from flask import render_template

from barcamp import paths
from barcamp.restitution.document import (
    FURTHER_READING_HEADING,
    PROPOSALS_HEADING,
    SECTIONS_AFTER,
    SECTIONS_BEFORE,
    Restitution,
)
from barcamp.restitution.text import (
    intro_facts,
    participants_sentence,
    quiz_sentence,
    ranking_sentence,
    score_label,
    score_text,
)

#: the document's stylesheet (screen and print); inlined into the standalone export
CSS_PATH = paths.STATIC / "css" / "restitution.css"


def paragraphs(text: str | None) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]


def safe_url(url: str) -> bool:
    """Only web links become clickable (never javascript: or data: URLs)."""
    return url.lower().startswith(("https://", "http://"))


def document_context(doc: Restitution) -> dict:
    """Everything templates/restitution/_document.html needs besides `doc`."""
    return {
        "doc": doc,
        "intro_facts": intro_facts,
        "participants_sentence": participants_sentence,
        "quiz_sentence": quiz_sentence,
        "ranking_sentence": ranking_sentence,
        "score_label": score_label,
        "score_text": score_text,
        "paragraphs": paragraphs,
        "safe_url": safe_url,
        "sections_before": SECTIONS_BEFORE,
        "sections_after": SECTIONS_AFTER,
        "proposals_heading": PROPOSALS_HEADING,
        "further_reading_heading": FURTHER_READING_HEADING,
    }


def render(doc: Restitution) -> bytes:
    """A standalone HTML file with its print CSS inside."""
    css = CSS_PATH.read_text(encoding="utf-8")
    return render_template("restitution/standalone.html", css=css, **document_context(doc)).encode("utf-8")
