"""DOCX (python-docx): Word's own Heading 1/2/3 styles, bulleted lists and real numbered proposals.

Proposals use a numbering definition of our own whose label is "#1", "#2"…; each chapter gets a
fresh list instance that restarts at 1, so Word and LibreOffice both show #1, #2, #3 per workshop.
"""
from __future__ import annotations

import io
import re

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import gettext as _
from lxml.etree import SubElement

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

#: characters XML 1.0 cannot carry (a pasted control character would make an unreadable file)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_P, _PPR, _PSTYLE, _NUMPR, _ILVL, _NUMID, _IND = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:numPr", "w:ilvl",
                                                                   "w:numId", "w:ind"))
_R, _RPR, _B, _I, _BR, _T = (qn(t) for t in ("w:r", "w:rPr", "w:b", "w:i", "w:br", "w:t"))
_VAL, _LEFT = qn("w:val"), qn("w:left")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: abstractNumId of our "#%1" numbering (high enough not to meet the template's own ids)
PROPOSAL_ABSTRACT_ID = 90


def clean(text: str) -> str:
    return _XML_INVALID.sub("", text or "")


class _Writer:
    def __init__(self, doc: Restitution) -> None:
        self.doc = doc
        self.word = Document()
        normal = self.word.styles["Normal"]
        normal.font.name = "DejaVu Serif"
        normal.font.size = Pt(11)
        self.word.core_properties.title = clean(doc.title)
        self.word.core_properties.language = "fr-FR"
        self.word.core_properties.author = "barcamp"
        self._numbering = self.word.part.numbering_part.element
        self._add_proposal_numbering()
        # python-docx looks a style up by name on every add_paragraph(style=…), scanning all the
        # styles twice (49 s for the benchmark forum): resolve each id once, set pStyle directly.
        self._body = self.word.element.body
        self._sect_pr = self._body.get_or_add_sectPr()
        self._style_ids = {name: self.word.styles[name].style_id
                           for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "List Number")}

    def _paragraph(self, style: str | None = None, runs=(), num_id: int | None = None, indent_twips: int = 0):
        """Append a w:p built directly with lxml (python-docx's generic element code dominated the time).

        runs: (text, "b" | "i" | "") tuples; a newline in a text becomes a line break.
        """
        p = SubElement(self._body, _P)
        if style or num_id or indent_twips:
            ppr = SubElement(p, _PPR)
            if style:
                SubElement(ppr, _PSTYLE).set(_VAL, self._style_ids[style])
            if num_id:
                numpr = SubElement(ppr, _NUMPR)
                SubElement(numpr, _ILVL).set(_VAL, "0")
                SubElement(numpr, _NUMID).set(_VAL, str(num_id))
            if indent_twips:
                SubElement(ppr, _IND).set(_LEFT, str(indent_twips))
        for text, fmt in runs:
            r = SubElement(p, _R)
            if fmt:
                SubElement(SubElement(r, _RPR), _B if fmt == "b" else _I)
            for n, part in enumerate(clean(text).split("\n")):
                if n:
                    SubElement(r, _BR)
                t = SubElement(r, _T)
                t.text = part
                t.set(_SPACE, "preserve")
        self._sect_pr.addprevious(p)
        return p

    # -- numbering ------------------------------------------------------------------------------
    def _add_proposal_numbering(self) -> None:
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(PROPOSAL_ABSTRACT_ID))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "singleLevel")
        abstract.append(multi)
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, val in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "#%1"), ("w:lvlJc", "left")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), "567")
        ind.set(qn("w:hanging"), "567")
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
        # abstractNum elements must come before every num element
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)

    def _new_proposal_list(self) -> int:
        """A new list instance of the "#n" numbering, restarting at 1."""
        ids = [int(n.get(qn("w:numId"))) for n in self._numbering.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract_ref = OxmlElement("w:abstractNumId")
        abstract_ref.set(qn("w:val"), str(PROPOSAL_ABSTRACT_ID))
        num.append(abstract_ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        self._numbering.append(num)
        return num_id

    # -- blocks ---------------------------------------------------------------------------------
    def heading(self, text: str, level: int) -> None:
        self._paragraph("Title" if level == 0 else f"Heading {level}", [(text, "")])

    def para(self, text: str, italic: bool = False) -> None:
        for block in re.split(r"\n\s*\n", text or ""):
            if block.strip():
                self._paragraph(None, [(block.strip(), "i" if italic else "")])

    def bullet(self, text: str, author: str | None = None, label: str | None = None, indent_twips: int = 0):
        runs = [(label + " : ", "i")] if label else []
        runs.append((text, ""))
        if author:
            runs += [(" — ", ""), (author, "i")]
        return self._paragraph("List Bullet", runs, indent_twips=indent_twips)

    def write(self) -> bytes:
        doc = self.doc
        intro = doc.intro
        self.heading(doc.title, 0)
        for label, value in intro_facts(doc):
            self._paragraph(None, [(f"{label} : ", "b"), (value, "")])
        self.heading(_("Introduction"), 1)
        self.para(intro.context)
        self.para(participants_sentence(doc))
        for profile in intro.profiles:
            self.bullet(f"{profile.label} : {profile.count}")
        if intro.quiz:
            self.para(quiz_sentence(doc))
            for p in intro.quiz.profiles:
                self.bullet(f"{p.symbol} {p.name} : {p.count}")
            if intro.quiz.mixed:
                self.bullet(f"{_('Profils mixtes')} : {intro.quiz.mixed}")
        self.para(intro.thanks, italic=True)

        self.heading(_("Recensement des sujets"), 1)
        self.para(_("%(n)s sujet(s) proposé(s).", n=len(doc.topics)))
        theme_label = _("thème")
        for topic in doc.topics:
            runs = [(topic.title, "b")]
            if topic.theme:
                runs.append((f" ({theme_label} : {topic.theme})", ""))
            if topic.author:
                runs += [(" — ", ""), (topic.author, "i")]
            if topic.tags:
                runs.append((" — " + ", ".join(topic.tags), ""))
            if topic.description:
                runs.append(("\n" + topic.description, ""))
            self._paragraph("List Bullet", runs)

        self.heading(_("Priorisation"), 1)
        self.para(ranking_sentence(doc))
        if doc.topics:
            self._ranking_table()

        for chapter in doc.chapters:
            self.heading(f"#{chapter.title}", 1)
            if chapter.topics:
                self.para(f"{_('Sujets')} : " + " ; ".join(chapter.topics), italic=True)
            self.para(chapter.description)
            if chapter.members:
                self.para(f"{_('Participant·e·s')} : " + ", ".join(chapter.members), italic=True)
            for attr, heading in SECTIONS_BEFORE:
                self._cards(str(heading), getattr(chapter, attr))
            if chapter.proposals:
                self.heading(str(PROPOSALS_HEADING), 2)
                num_id = self._new_proposal_list()
                labels = (_("Le gain"), _("Indicateur"), _("Gommettes"))
                for prop in chapter.proposals:
                    runs = [(prop.text, "")]
                    if prop.author:
                        runs += [(" — ", ""), (prop.author, "i")]
                    self._paragraph("List Number", runs, num_id=num_id)
                    for label, value in zip(labels, (prop.gain, prop.indicator, str(prop.dots))):
                        if value:
                            self.bullet(value, label=label, indent_twips=840)
            for attr, heading in SECTIONS_AFTER:
                self._cards(str(heading), getattr(chapter, attr))
            if chapter.further_reading:
                self.heading(str(FURTHER_READING_HEADING), 2)
                for res in chapter.further_reading:
                    runs = [(res.title, "b")]
                    details = ", ".join(p for p in (res.author, res.source, res.date, res.url) if p)
                    if details:
                        runs.append((" — " + details, ""))
                    if res.summary:
                        runs.append(("\n" + res.summary, ""))
                    self._paragraph("List Bullet", runs)
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()

    def _cards(self, heading: str, cards) -> None:
        if not cards:
            return
        self.heading(heading, 2)
        for card in cards:
            self.bullet(card.text, card.author)

    def _ranking_table(self) -> None:
        doc = self.doc
        headers = (_("Rang"), _("Sujet"), _("Thème"), score_label(doc), _("Votant·e·s"))
        ranking = doc.ranking
        table = self.word.add_table(rows=1 + len(ranking), cols=len(headers))
        table.style = "Table Grid"
        # python-docx's cell objects are slow on a 500-row table: write the runs into each w:tc directly
        rows = [[(str(text), "b") for text in headers]] + [
            [(str(t.rank), ""), (t.title, ""), (t.theme or "", ""), (score_text(doc, t), ""), (str(t.voters), "")]
            for t in ranking]
        for tr, values in zip(table._tbl.tr_lst, rows):
            for tc, (text, fmt) in zip(tr.tc_lst, values):
                r = SubElement(tc.find(_P), _R)
                if fmt:
                    SubElement(SubElement(r, _RPR), _B)
                t = SubElement(r, _T)
                t.text = clean(text)
                t.set(_SPACE, "preserve")
        # repeat the header row on every page
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)


def render(doc: Restitution) -> bytes:
    return _Writer(doc).write()
