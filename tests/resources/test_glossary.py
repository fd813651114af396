"""The matching rules of glossary terms in user text (app/resources/glossary.py), shared with the browser."""
from __future__ import annotations

import re

import pytest

from barcamp.resources.glossary import mark_terms, matcher_data

TERMS = [
    {"slug": "commun", "term": "Commun", "definition": "Une ressource partagée.",
     "match": ["communs", "biens communs"]},
    {"slug": "maitrise-d-usage", "term": "Maîtrise d'usage", "definition": "L'expertise <des usagers>.",
     "match": ["maîtrise d'usage"]},
    {"slug": "forum-7", "term": "Communs", "definition": "Doublon du forum.", "match": ["Communs"]},
]


def marked(text: str) -> list[tuple[str, str]]:
    """(slug, text as the user wrote it) of each marked term."""
    html = str(mark_terms(text, TERMS, "/g"))
    return re.findall(r'href="/g#term-([^"]+)" data-glossary-for="gdef-\d+">([^<]*)</a>', html)


@pytest.mark.parametrize(("text", "expected"), [
    ("Des biens communs", [("commun", "biens communs")]),                   # the longest phrase first
    ("communs, Communs", [("commun", "communs")]),                           # the first occurrence only
    ("MAITRISE D’USAGE", [("maitrise-d-usage", "MAITRISE D’USAGE")]),         # case, accents, curly apostrophe
    ("maîtrisé d'usage", []),                                                 # as written or all unaccented
    ("#communs et @communs", [("commun", "communs")]),                        # after a sign, not inside a word
    ("intercommunsx, communs2, communs_", []),
], ids=["longest", "first-only", "folded", "half-accented", "after-sign", "inside-word"])
def test_terms_are_marked_by_the_shared_rules(text, expected):
    assert marked(text) == expected


def test_user_text_is_escaped_and_the_definition_too():
    html = str(mark_terms("<b>communs</b> & l'usage", TERMS, "/g"))
    assert html.startswith('&lt;b&gt;<a class="glossary-term" href="/g#term-commun" data-glossary-for="gdef-')
    assert html.endswith('<strong>Commun</strong> : Une ressource partagée.</span>&lt;/b&gt; &amp; l&#39;usage')
    assert "L&#39;expertise &lt;des usagers&gt;" in str(mark_terms("maitrise d'usage", TERMS, "/g"))


def test_the_browser_gets_one_phrase_list_longest_first_library_before_forum():
    data = matcher_data(TERMS, "/e/3/glossaire")
    assert data["url"] == "/e/3/glossaire"
    assert [t["slug"] for t in data["terms"]] == ["commun", "maitrise-d-usage", "forum-7"]
    phrases = [p for p, _ in data["phrases"]]
    assert phrases == sorted(phrases, key=lambda p: (-len(p), p))
    assert dict(data["phrases"])["communs"] == 0  # the library's term keeps a phrase the forum repeats
    assert {"maitrise d’usage", "maîtrise d'usage"} <= set(phrases) and all(p == p.lower() for p in phrases)
