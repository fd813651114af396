"""PDF (fpdf2, pure Python): tagged, with bookmarks, embedded DejaVu fonts (« » œ ’ intact).

Why fpdf2 and not WeasyPrint: WeasyPrint renders our HTML beautifully but took 32 s for the
benchmark forum (83 pages) on this machine, far beyond the 5 s target; fpdf2 writes the full
benchmark forum (347 pages) in about 3 s once we wrap lines ourselves. fpdf2 only tags images and links by itself, so `_Tags` below builds
the structure tree: Document > H1/H2/H3, P, L > LI > Lbl + LBody, Table > TR > TH/TD, each leaf
wrapping its marked content (BDC/EMC with an MCID) and page furniture marked as Artifact.
A block never straddles a page: it is measured first and moved (or split) to the next page.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF, ViewerPreferences
from fpdf.enums import XPos, YPos
from fpdf.structure_tree import StructElem, StructureTreeBuilder

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

# fontTools logs every font subsetting step at INFO: one line per table, on every PDF
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: where the DejaVu fonts are looked for: BARCAMP_FONT_DIR, then the copy vendored from the npm
#: registry's dejavu-fonts-ttf 2.37.3 (so a plain `pip install` exports PDF), then Debian's
#: fonts-dejavu-core
FONT_DIRS = [os.environ.get("BARCAMP_FONT_DIR", ""),
             str(paths.STATIC / "vendor" / "dejavu-fonts-ttf"),
             "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu"]
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FAMILY = "DejaVu"
#: body, heading 1, 2, 3, small sizes in points
SIZES = {"body": 10.5, "h0": 20, "h1": 15, "h2": 12, "small": 9}
INK = (27, 31, 36)
HEADING = (11, 58, 102)
MUTED = (74, 85, 97)


class FontMissing(RuntimeError):
    pass


def _font_path(name: str) -> Path:
    for folder in FONT_DIRS:
        if folder and (Path(folder) / name).is_file():
            return Path(folder) / name
    raise FontMissing(f"PDF export needs the DejaVu font {name} (Debian package fonts-dejavu-core, "
                      "or set BARCAMP_FONT_DIR)")


class _TreeBuilder(StructureTreeBuilder):
    """fpdf2's builder serialises only the Document's direct kids; ours also the nested elements."""

    def __init__(self) -> None:
        super().__init__()
        self.nested: list[StructElem] = []

    def __iter__(self):
        yield from super().__iter__()
        yield from self.nested


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.struct_builder = _TreeBuilder()
        self._set_min_pdf_version("1.5")
        for style, file in FONT_FILES.items():
            try:
                self.add_font(FAMILY, style, str(_font_path(file)))
            except FontMissing:
                if style == "":
                    raise
                self.add_font(FAMILY, style, str(_font_path(FONT_FILES[""])))
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_lang("fr-FR")
        self.set_creator("barcamp")
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.document_title = title

    def footer(self) -> None:
        # Page furniture is an artifact: screen readers skip it, text extractors may not.
        self._out("/Artifact BMC")
        self.set_y(-12)
        self.set_font(FAMILY, "", SIZES["small"])
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.document_title} — {self.page_no()}", align="C")
        self._out("EMC")


class _Tags:
    """The structure tree: group elements and leaf elements that wrap marked content."""

    def __init__(self, pdf: _Pdf) -> None:
        self.pdf = pdf
        self.tree: _TreeBuilder = pdf.struct_builder
        self.document = self.tree.doc_struct_elem

    def _attach(self, element: StructElem, parent: StructElem) -> None:
        parent.k.append(element)
        if parent is not self.document:
            element.pg = self.pdf.pages[element.page_number()]
            self.tree.nested.append(element)

    def group(self, kind: str, parent: StructElem | None = None) -> StructElem:
        element = StructElem(struct_type=f"/{kind}", parent=parent or self.document, kids=[],
                             page_number=self.pdf.page)
        self._attach(element, parent or self.document)
        return element

    @contextmanager
    def leaf(self, kind: str, parent: StructElem | None = None):
        pdf, page = self.pdf, self.pdf.page
        spids = self.tree.spid_per_page_number
        if page not in spids:
            spids[page] = len(spids)
        nums = self.tree.struct_tree_root.parent_tree.nums[spids[page]]
        mcid = len(nums)
        element = StructElem(struct_type=f"/{kind}", parent=parent or self.document, kids=[mcid], page_number=page)
        self._attach(element, parent or self.document)
        nums.append(element)
        pdf.pages[page].struct_parents = spids[page]
        pdf._out(f"/{kind} <</MCID {mcid}>> BDC")
        yield element
        pdf._out("EMC")


class _Writer:
    def __init__(self, doc: Restitution) -> None:
        self.doc = doc
        self.pdf = _Pdf(doc.title)
        self.tags = _Tags(self.pdf)
        self._widths: dict[tuple, dict[str, float]] = {}
        self.pdf.add_page()

    # -- measuring and placing -----------------------------------------------------------------
    def _line_height(self, size: float) -> float:
        return size * 0.3528 * 1.4

    def _room(self) -> float:
        return self.pdf.page_break_trigger - self.pdf.y

    def _ensure(self, height: float) -> None:
        if height > self._room():
            self.pdf.add_page()

    def wrap(self, text: str, width: float) -> list[str]:
        """Break text into lines that fit `width` in the current font (greedy, by words).

        fpdf2's own multi_cell re-measures the whole line for every character it adds (quadratic:
        55 s for a tenth of the benchmark forum); here each distinct word is measured once.
        """
        pdf = self.pdf
        key = (pdf.font_style, pdf.font_size_pt)
        widths = self._widths.setdefault(key, {})

        def measure(word: str) -> float:
            w = widths.get(word)
            if w is None:
                w = widths[word] = pdf.get_string_width(word)
            return w

        space = measure(" ")
        width -= 2 * pdf.c_margin + 0.01
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = [], 0.0
            for word in paragraph.split():
                w = measure(word)
                if w > width:  # a word longer than the line (a URL): cut it where it overflows
                    if line:
                        lines.append(" ".join(line))
                        line, used = [], 0.0
                    piece = ""
                    for char in word:
                        if pdf.get_string_width(piece + char) > width and piece:
                            lines.append(piece)
                            piece = ""
                        piece += char
                    line, used = [piece], pdf.get_string_width(piece)
                    continue
                extra = w + (space if line else 0)
                if line and used + extra > width:
                    lines.append(" ".join(line))
                    line, used = [word], w
                else:
                    line.append(word)
                    used += extra
            lines.append(" ".join(line))
        return lines

    def _draw_lines(self, lines: list[str], x: float, width: float, h: float) -> None:
        """Draw pre-wrapped lines with FPDF.text (cell() costs ten times more per line)."""
        pdf = self.pdf
        x += pdf.c_margin
        # the baseline where FPDF.cell would put it: middle of the line box, lowered by 0.3 em
        offset = 0.5 * h + 0.3 * pdf.font_size
        for line in lines:
            if line:
                pdf.text(x, pdf.y + offset, line)
            pdf.y += h
        pdf.x = pdf.l_margin

    def text(self, kind: str, text: str, *, parent=None, size: float = SIZES["body"], style: str = "",
             color=INK, indent: float = 0, after: float = 1.5, keep_with_next: float = 0) -> None:
        """A block of text as one tagged element (split into several when longer than a page)."""
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            return
        pdf = self.pdf
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*color)
        h = self._line_height(size)
        width = pdf.epw - indent
        lines = self.wrap(text, width)
        self._ensure(min(len(lines), 3) * h + keep_with_next)
        while lines:
            room = max(1, int((self._room() - 1e-6) // h))
            chunk, lines = lines[:room], lines[room:]
            with self.tags.leaf(kind, parent):
                self._draw_lines(chunk, pdf.l_margin + indent, width, h)
            if lines:
                pdf.add_page()
        pdf.ln(after)

    def heading(self, text: str, level: int) -> None:
        size = SIZES[f"h{level}"]
        self.pdf.ln({0: 0, 1: 4, 2: 2.5}[level])
        # keep a heading with at least three lines of what follows
        self._ensure(self._line_height(size) * 2 + self._line_height(SIZES["body"]) * 3)
        self.pdf.start_section(text[:200], level=max(0, level - 1) if level else 0, strict=False)
        self.text(f"H{level + 1}", text, size=size, style="B", color=HEADING, after=2)

    def bullets(self, items: list[tuple[str, str | None]], indent: float = 0) -> None:
        """A list: L > LI > (Lbl, LBody)."""
        if not items:
            return
        parent = self.tags.group("L")
        for text, author in items:
            item = self.tags.group("LI", parent)
            body = text + (f" — {author}" if author else "")
            self._ensure(self._line_height(SIZES["body"]))
            y = self.pdf.y
            with self.tags.leaf("Lbl", item):
                self.pdf.set_font(FAMILY, "", SIZES["body"])
                self.pdf.set_text_color(*INK)
                self.pdf.set_xy(self.pdf.l_margin + indent, y)
                self.pdf.cell(5, self._line_height(SIZES["body"]), "•")
            self.pdf.set_y(y)
            self.text("LBody", body, parent=item, indent=indent + 5, after=0.8)
        self.pdf.ln(1.5)

    # -- the document ----------------------------------------------------------------------------
    def write(self) -> bytes:
        doc, intro = self.doc, self.doc.intro
        self.heading(doc.title, 0)
        for label, value in intro_facts(doc):
            self.text("P", f"{label} : {value}", style="B")
        self.heading(_("Introduction"), 1)
        for block in _paragraphs(intro.context):
            self.text("P", block)
        self.text("P", participants_sentence(doc))
        self.bullets([(f"{p.label} : {p.count}", None) for p in intro.profiles])
        if intro.quiz:
            self.text("P", quiz_sentence(doc))
            items = [(f"{p.symbol} {p.name} : {p.count}", None) for p in intro.quiz.profiles]
            if intro.quiz.mixed:
                items.append((f"{_('Profils mixtes')} : {intro.quiz.mixed}", None))
            self.bullets(items)
        for block in _paragraphs(intro.thanks):
            self.text("P", block, style="I")

        self.heading(_("Recensement des sujets"), 1)
        self.text("P", _("%(n)s sujet(s) proposé(s).", n=len(doc.topics)))
        items = []
        for t in doc.topics:
            line = t.title + (f" ({_('thème')} : {t.theme})" if t.theme else "")
            if t.tags:
                line += " — " + ", ".join(t.tags)
            if t.description:
                line += "\n" + t.description
            items.append((line, t.author))
        self.bullets(items)

        self.heading(_("Priorisation"), 1)
        self.text("P", ranking_sentence(doc))
        if doc.topics:
            self._ranking()

        for chapter in doc.chapters:
            self.pdf.add_page()
            self.heading(f"#{chapter.title}", 1)
            if chapter.topics:
                self.text("P", f"{_('Sujets')} : " + " ; ".join(chapter.topics), style="I", color=MUTED)
            for block in _paragraphs(chapter.description):
                self.text("P", block)
            if chapter.members:
                self.text("P", f"{_('Participant·e·s')} : " + ", ".join(chapter.members), style="I", color=MUTED)
            for attr, heading in SECTIONS_BEFORE:
                self._cards(str(heading), getattr(chapter, attr))
            if chapter.proposals:
                self.heading(str(PROPOSALS_HEADING), 2)
                parent = self.tags.group("L")
                for prop in chapter.proposals:
                    item = self.tags.group("LI", parent)
                    self._ensure(self._line_height(SIZES["body"]) * 3)
                    y = self.pdf.y
                    with self.tags.leaf("Lbl", item):
                        self.pdf.set_font(FAMILY, "B", SIZES["body"])
                        self.pdf.set_text_color(179, 71, 0)
                        self.pdf.set_xy(self.pdf.l_margin, y)
                        self.pdf.cell(10, self._line_height(SIZES["body"]), f"#{prop.number}")
                    self.pdf.set_y(y)
                    body = prop.text + (f" — {prop.author}" if prop.author else "")
                    self.text("LBody", body, parent=item, indent=10, after=0.5)
                    for label, value in ((_("Le gain"), prop.gain), (_("Indicateur"), prop.indicator),
                                         (_("Gommettes"), str(prop.dots))):
                        if value:
                            self.text("P", f"{label} : {value}", parent=item, indent=10, size=SIZES["small"] + 0.5,
                                      color=MUTED, after=0.5)
                    self.pdf.ln(1.5)
            for attr, heading in SECTIONS_AFTER:
                self._cards(str(heading), getattr(chapter, attr))
            if chapter.further_reading:
                self.heading(str(FURTHER_READING_HEADING), 2)
                items = []
                for res in chapter.further_reading:
                    details = ", ".join(p for p in (res.author, res.source, res.date) if p)
                    line = res.title + (f" — {details}" if details else "")
                    if res.url:
                        line += f"\n{res.url}"
                    if res.summary:
                        line += f"\n{res.summary}"
                    items.append((line, None))
                self.bullets(items)
        return bytes(self.pdf.output())

    def _cards(self, heading: str, cards) -> None:
        if cards:
            self.heading(heading, 2)
            self.bullets([(c.text, c.author) for c in cards])

    def _ranking(self) -> None:
        pdf, doc = self.pdf, self.doc
        size = SIZES["small"]
        h = self._line_height(size)
        widths = (13, pdf.epw - 13 - 36 - 24 - 23, 36, 24, 23)
        headers = (_("Rang"), _("Sujet"), _("Thème"), score_label(doc), _("Votant·e·s"))
        table = self.tags.group("Table")

        def row(values, kind: str, style: str) -> None:
            pdf.set_font(FAMILY, style, size)
            pdf.set_text_color(*INK)
            wrapped = [self.wrap(v, w) for w, v in zip(widths, values)]
            height = max(len(lines) for lines in wrapped) * h + 1
            if height > self._room():
                pdf.add_page()
                if kind == "TD":
                    row(headers, "TH", "B")  # repeat the header row on the new page
            tr = self.tags.group("TR", table)
            y, x = pdf.y, pdf.l_margin
            for w, lines in zip(widths, wrapped):
                with self.tags.leaf(kind, tr):
                    pdf.set_y(y)
                    self._draw_lines(lines, x, w, h)
                x += w
            pdf.set_draw_color(211, 216, 222)
            pdf._out("/Artifact BMC")
            pdf.line(pdf.l_margin, y + height, pdf.l_margin + pdf.epw, y + height)
            pdf._out("EMC")
            pdf.set_xy(pdf.l_margin, y + height)

        row(headers, "TH", "B")
        for topic in doc.ranking:
            row((str(topic.rank), topic.title, topic.theme or "", score_text(doc, topic), str(topic.voters)),
                "TD", "")
        pdf.ln(3)


def _paragraphs(text: str | None) -> list[str]:
    import re

    return [b.strip() for b in re.split(r"\n\s*\n", text or "") if b.strip()]


def render(doc: Restitution) -> bytes:
    return _Writer(doc).write()
