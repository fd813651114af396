"""Markdown export: CommonMark, user text escaped so that it reads literally and renders inert."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from barcamp.restitution.document import (
    FURTHER_READING_HEADING,
    PROPOSALS_HEADING,
    SECTIONS_AFTER,
    SECTIONS_BEFORE,
    Resource,
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

#: characters CommonMark could read as markup (HTML, emphasis, links, code); escaped with a backslash
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
#: line starts a CommonMark reader could take for a heading, list, quote or thematic break
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])", re.MULTILINE)


def esc(text: str) -> str:
    """Escape user text: `<script>` stays readable as `\\<script\\>` and never becomes HTML."""
    text = _INLINE.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _para(text: str) -> str:
    """A paragraph block (blank lines kept as paragraph breaks)."""
    return "\n\n".join(esc(block.strip()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip())


def _item(text: str, indent: str = "  ") -> str:
    """List item body: continuation lines indented so they stay in the item."""
    return esc(text.strip()).replace("\n", "\n" + indent)


def _by(author: str | None) -> str:
    return f" — *{esc(author)}*" if author else ""


def _resource(res: Resource) -> str:
    title = f"[{esc(res.title)}](<{res.url.replace('>', '%3E').replace(' ', '%20')}>)" if res.url else esc(res.title)
    details = ", ".join(esc(p) for p in (res.author, res.source, res.date) if p)
    line = f"- {title}" + (f" — {details}" if details else "")
    if res.summary:
        line += "\n  " + _item(res.summary)
    return line


def render(doc: Restitution) -> bytes:
    out: list[str] = [f"# {esc(doc.title)}", ""]
    intro = doc.intro
    out += [f"## {_('Introduction')}", ""]
    facts = intro_facts(doc)
    if facts:
        out += [f"- **{label}** : {esc(value)}" for label, value in facts] + [""]
    if intro.context:
        out += [_para(intro.context), ""]
    out += [participants_sentence(doc), ""]
    if intro.profiles:
        out += [f"- {esc(p.label)} : {p.count}" for p in intro.profiles] + [""]
    if intro.quiz:
        out += [esc(quiz_sentence(doc)), ""]
        out += [f"- {esc(p.symbol)} {esc(p.name)} : {p.count}" for p in intro.quiz.profiles]
        if intro.quiz.mixed:
            out.append(f"- {_('Profils mixtes')} : {intro.quiz.mixed}")
        out.append("")
    if intro.thanks:
        out += [_para(intro.thanks), ""]

    out += [f"## {_('Recensement des sujets')}", ""]
    out += [_("%(n)s sujet(s) proposé(s).", n=len(doc.topics)), ""]
    for topic in doc.topics:
        line = f"- **{esc(topic.title)}**"
        if topic.theme:
            line += f" ({_('thème')} : {esc(topic.theme)})"
        line += _by(topic.author)
        if topic.tags:
            line += " — " + ", ".join(esc(t) for t in topic.tags)
        if topic.description:
            line += "\n  " + _item(topic.description)
        out.append(line)
    out.append("")

    out += [f"## {_('Priorisation')}", "", ranking_sentence(doc), ""]
    if doc.topics:
        out += [f"| {_('Rang')} | {_('Sujet')} | {_('Thème')} | {score_label(doc)} | {_('Votant·e·s')} |",
                "| ---: | --- | --- | ---: | ---: |"]
        for topic in doc.ranking:
            cell = esc(topic.title).replace("\n", " ")
            theme = esc(topic.theme or "").replace("\n", " ")
            out.append(f"| {topic.rank} | {cell} | {theme} | {score_text(doc, topic)} | {topic.voters} |")
        out.append("")

    for chapter in doc.chapters:
        out += [f"## #{esc(chapter.title)}", ""]
        if chapter.topics:
            out += [f"*{_('Sujets')} : " + " ; ".join(esc(t) for t in chapter.topics) + "*", ""]
        if chapter.description:
            out += [_para(chapter.description), ""]
        if chapter.members:
            out += [f"*{_('Participant·e·s')} : " + ", ".join(esc(m) for m in chapter.members) + "*", ""]
        for attr, heading in SECTIONS_BEFORE:
            _section(out, str(heading), getattr(chapter, attr))
        if chapter.proposals:
            out += [f"### {PROPOSALS_HEADING}", ""]
            for prop in chapter.proposals:
                out += [f"**#{prop.number}** {_item(prop.text, '')}{_by(prop.author)}", ""]
                if prop.gain:
                    out.append(f"- *{_('Le gain')}* : {_item(prop.gain)}")
                if prop.indicator:
                    out.append(f"- *{_('Indicateur')}* : {_item(prop.indicator)}")
                out += [f"- *{_('Gommettes')}* : {prop.dots}", ""]
        for attr, heading in SECTIONS_AFTER:
            _section(out, str(heading), getattr(chapter, attr))
        if chapter.further_reading:
            out += [f"### {FURTHER_READING_HEADING}", ""]
            out += [_resource(r) for r in chapter.further_reading] + [""]
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def _section(out: list[str], heading: str, cards) -> None:
    if not cards:
        return
    out += [f"### {heading}", ""]
    out += [f"- {_item(card.text)}{_by(card.author)}" for card in cards]
    out.append("")
