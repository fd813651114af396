"""Explain glossary terms where they appear: marking of user text, on the server and in the browser.

`mark_terms(text, terms, glossary_url)` wraps the first occurrence of each term in a link to the
glossary page followed by its hidden definition, and escapes every piece of the user's text: the
matching runs on the plain text, the markup is ours. static/js/resources.js turns each link into a
disclosure button (aria-expanded) that shows the definition in place.

Text that arrives live over Socket.IO is marked in the browser by static/js/resources.js
(`barcampGlossary.fill`), from `matcher_data(terms, glossary_url)`, which pages ship as JSON
(templates/resources/_glossary_data.html). Both sides use the same phrase list and the same rules:

- the phrases of a term are its `match` list (or its name), each as written and without accents
  (`fold`), with straight and curly apostrophes; compared lower-cased, the first term that claims a
  phrase keeps it (library terms before forum terms);
- they are tried longest first, case-insensitively, and never inside a word: neither preceded nor
  followed by a letter, a digit or "_" (Python's Unicode `\\w`, `[\\p{L}\\p{N}_]` in JavaScript);
- only the first occurrence of each term is marked; the matched text keeps the user's spelling.

Templates use the `glossary` filter (registered by app/resources/views.py):

    {{ proposal.title|glossary }}              {# forum terms of the page's event_id too #}
    {{ card.text|glossary(event_id=event.id) }}
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

from markupsafe import Markup, escape

from barcamp.resources.content import fold

_ids = itertools.count(1)
#: a term never starts or ends inside a word
_BEFORE, _AFTER = r"(?<!\w)", r"(?!\w)"


def _forms(phrase: str) -> list[str]:
    """The lower-cased spellings that mark a phrase: as written and folded, straight and curly apostrophes."""
    forms = []
    for written in (phrase, fold(phrase)):
        for form in (written, written.replace("'", "’"), written.replace("’", "'")):
            if form.lower() not in forms:
                forms.append(form.lower())
    return forms


def _key(terms: list[dict]) -> tuple:
    return tuple((t["slug"], t["term"], t["definition"], tuple(t.get("match") or ())) for t in terms)


@lru_cache(maxsize=64)
def _matcher(key: tuple) -> tuple[list[dict], list[tuple[str, int]]]:
    """The terms and the (phrase, term index) list of one term list, longest phrase first (cached)."""
    terms, owner = [], {}
    for index, (slug, name, definition, match) in enumerate(key):
        terms.append({"slug": slug, "term": name, "definition": definition})
        for phrase in match or (name,):
            for form in _forms(phrase):
                owner.setdefault(form, index)
    return terms, sorted(owner.items(), key=lambda item: (-len(item[0]), item[0]))


@lru_cache(maxsize=64)
def _pattern(key: tuple) -> re.Pattern | None:
    phrases = _matcher(key)[1]
    if not phrases:
        return None
    return re.compile(_BEFORE + "(" + "|".join(re.escape(p) for p, _ in phrases) + ")" + _AFTER, re.IGNORECASE)


def matcher_data(terms: list[dict], glossary_url: str) -> dict:
    """What the browser needs to mark text as mark_terms does (static/js/resources.js reads it)."""
    marked, phrases = _matcher(_key(terms))
    return {"url": glossary_url, "terms": marked, "phrases": [[p, i] for p, i in phrases]}


def mark_terms(text: str | None, terms: list[dict], glossary_url: str) -> Markup:
    """Explain the first occurrence of each term in plain text (dicts: slug, term, definition, match)."""
    text = text or ""
    key = _key(terms)
    pattern = _pattern(key) if terms and text else None
    if pattern is None:
        return escape(text)
    marked, phrases = _matcher(key)
    owner = dict(phrases)
    done: set[int] = set()
    out, end = [], 0
    for match in pattern.finditer(text):
        index = owner.get(match.group(1).lower())
        if index is None or index in done:
            continue
        done.add(index)
        term = marked[index]
        uid = f"gdef-{next(_ids)}"
        out.append(escape(text[end:match.start()]))
        out.append(Markup(
            '<a class="glossary-term" href="{url}#term-{slug}" data-glossary-for="{uid}">{text}</a>'
            '<span class="glossary-def" id="{uid}" role="note" hidden><strong>{term}</strong> : {definition}</span>'
        ).format(url=glossary_url, slug=term["slug"], uid=uid, text=match.group(1), term=term["term"],
                 definition=term["definition"]))
        end = match.end()
    out.append(escape(text[end:]))
    return Markup("").join(out)
