"""Small text helpers shared by the renderers: labels, score formatting, safe file names."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask_babel import gettext as _

from barcamp.restitution.document import Restitution, Topic


def score_text(doc: Restitution, topic: Topic) -> str:
    """The topic's score as a reader expects it in this voting mode."""
    if doc.voting_mode == "majority":
        return f"{topic.score:.2f}"
    return str(int(topic.score))


def score_label(doc: Restitution) -> str:
    return {"dots": _("Gommettes"), "approval": _("Votes « pour »"), "majority": _("Score (jugement majoritaire)")}.get(
        doc.voting_mode, _("Score"))


def intro_facts(doc: Restitution) -> list[tuple[str, str]]:
    """(label, value) lines of the introduction, empty ones left out."""
    intro = doc.intro
    facts = [(_("Dates"), intro.dates), (_("Lieu"), intro.place)]
    return [(label, value) for label, value in facts if value]


def participants_sentence(doc: Restitution) -> str:
    n = doc.intro.participants
    return _("%(n)s personne(s) ont participé au forum.", n=n)


def quiz_sentence(doc: Restitution) -> str:
    quiz = doc.intro.quiz
    if quiz is None:
        return ""
    return _("Profil de la salle au quiz « %(title)s » (%(n)s répondant·e·s) :", title=quiz.title, n=quiz.respondents)


def ranking_sentence(doc: Restitution) -> str:
    return _("Mode de priorisation : %(mode)s ; %(n)s participant(s) ont voté.", mode=doc.voting_mode_label,
             n=doc.participants_voted)


#: letters NFKD does not take apart, and punctuation it would drop without a separator
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "-", "«": "-", "»": "-"})


def slugify(title: str, fallback: str = "restitution") -> str:
    """ASCII file-name stem from a title: "Forum de l’été 2017" → "forum-de-l-ete-2017"."""
    ascii_text = unicodedata.normalize("NFKD", title.translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return slug[:80].strip("-") or fallback


def content_disposition(title: str, extension: str, disposition: str = "attachment") -> str:
    """Content-Disposition with an ASCII-safe name and the full UTF-8 name (RFC 6266 / RFC 5987)."""
    stem = slugify(title)
    utf8_name = re.sub(r"[\x00-\x1f\x7f/\\\"]+", "-", title).strip() or stem
    return (f'{disposition}; filename="{stem}.{extension}"; '
            f"filename*=UTF-8''{quote(utf8_name + '.' + extension, safe='')}")
