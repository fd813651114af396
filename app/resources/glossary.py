"""Explain glossary terms where they appear: server-side marking of user text.

`mark_terms(text, terms, glossary_url)` escapes the text FIRST, then wraps the first occurrence of
each term in a link to the glossary page followed by its hidden definition; static/js/resources.js
turns each link into a disclosure button (aria-expanded) that shows the definition in place. It
never looks inside HTML: the input is plain user text, and matching runs on its escaped form.

Templates use the `glossary` filter (registered by app/resources/views.py):

    {{ proposal.title|glossary }}              {# forum terms of the page's event_id too #}
    {{ card.text|glossary(event_id=event.id) }}
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

from markupsafe import Markup, escape

from app.resources.content import fold

_ids = itertools.count(1)


def _variants(phrase: str) -> set[str]:
    """The escaped forms a phrase takes in escaped user text (straight and curly apostrophes)."""
    forms = {phrase, phrase.replace("'", "’"), phrase.replace("’", "'")}
    return {str(escape(f)) for f in forms}


@lru_cache(maxsize=256)
def _compile(phrases: tuple[str, ...]) -> re.Pattern | None:
    alternatives = sorted({v for p in phrases for v in _variants(p)}, key=len, reverse=True)
    if not alternatives:
        return None
    # not preceded by a word character, "&" or "#" (an entity such as &#39;), nor followed by a word character
    return re.compile(r"(?<![\w&#])(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)", re.IGNORECASE)


def _key(escaped_match: str) -> str:
    return fold(escaped_match.replace("&#39;", "'").replace("’", "'"))


@lru_cache(maxsize=64)
def _matcher(key: tuple) -> tuple[re.Pattern | None, dict[str, dict]]:
    """The pattern and the phrase → term table of one term list (cached: a page marks many texts)."""
    by_phrase: dict[str, dict] = {}
    phrases: set[str] = set()
    for slug, name, definition, match in key:
        term = {"slug": slug, "term": name, "definition": definition}
        for phrase in match or (name,):
            by_phrase.setdefault(fold(phrase), term)
            phrases.update((phrase, fold(phrase)))  # as written, and without accents
    return _compile(tuple(sorted(phrases))), by_phrase


def mark_terms(text: str | None, terms: list[dict], glossary_url: str) -> Markup:
    """Escape text, then explain the first occurrence of each term (dicts: slug, term, definition, match)."""
    escaped = str(escape(text or ""))
    if not terms or not escaped:
        return Markup(escaped)
    pattern, by_phrase = _matcher(tuple((t["slug"], t["term"], t["definition"], tuple(t.get("match") or ()))
                                        for t in terms))
    if pattern is None:
        return Markup(escaped)
    done: set[str] = set()

    def _replace(match: re.Match) -> str:
        term = by_phrase.get(_key(match.group(1)))
        if term is None or term["slug"] in done:
            return match.group(0)
        done.add(term["slug"])
        uid = f"gdef-{next(_ids)}"
        return (
            f'<a class="glossary-term" href="{escape(glossary_url)}#term-{escape(term["slug"])}" '
            f'data-glossary-for="{uid}">{match.group(1)}</a>'
            f'<span class="glossary-def" id="{uid}" role="note" hidden>'
            f'<strong>{escape(term["term"])}</strong> : {escape(term["definition"])}</span>'
        )

    return Markup(pattern.sub(_replace, escaped))
