"""French-aware normalisation of topic titles: accents, case, elisions, stop words, plurals."""
from __future__ import annotations

import re
import unicodedata

#: function words that carry no topic: articles, prepositions, pronouns, auxiliaries
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette comment dans de des du elle en et est etre il ils je la le les leur
    leurs lui ma mais me mes moi mon ne nos notre nous on ou par pas plus pour qu que qui quoi sa se ses
    son sont sur ta te tes toi ton tu un une vos votre vous y d l j m n s t c
    faire mettre comment pourquoi quel quelle quels quelles entre chez via
    """.split()
)

_ELISION = re.compile(r"\b([cdjlmnstq]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """Drop diacritics (é → e, ç → c, œ → oe) after Unicode decomposition."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def singular(word: str) -> str:
    """Fold the regular French plural endings (-s, -x, -aux → -al) of a word longer than 3 letters."""
    if len(word) <= 3:
        return word
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The content words of a text: lower-cased, unaccented, singular, without stop words."""
    text = _ELISION.sub(" ", text)
    text = strip_accents(text.casefold())
    words = _NON_WORD.sub(" ", text).split()
    return [singular(w) for w in words if w not in STOP_WORDS]


def normalise(text: str) -> str:
    """One normalised string of content words, in their original order."""
    return " ".join(tokens(text))
