"""Read exports back the way a user's tools would: Markdown headings, DOCX, PDF text, CSV rows."""
from __future__ import annotations

import csv
import io
import re


def md_headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if re.match(r"^#{1,6} ", line)]


def html_headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.DOTALL)]


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of a DOCX file."""
    from docx import Document

    return [(p.style.name, p.text) for p in Document(io.BytesIO(data)).paragraphs]


def docx_numbering(data: bytes) -> list[tuple[str, str, str]]:
    """(numId, lvlText of its abstract numbering, text) of every paragraph with its own numbering."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    numbering = document.part.numbering_part.element
    abstract_text = {a.get(qn("w:abstractNumId")): a.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val"))
                     for a in numbering.findall(qn("w:abstractNum"))}
    num_abstract = {n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val"))
                    for n in numbering.findall(qn("w:num"))}
    out = []
    for p in document.paragraphs:
        num = p._p.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
        if num is not None:
            num_id = num.get(qn("w:val"))
            out.append((num_id, abstract_text.get(num_abstract.get(num_id)), p.text))
    return out


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks joined (a wrapped heading reads as one line)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_structure(data: bytes) -> list[str]:
    """Structure types of the PDF's tag tree, depth first (empty when the PDF is not tagged)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    types: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if hasattr(node, "get") and node.get("/S"):
            types.append(str(node["/S"]))
        kids = node.get("/K") if hasattr(node, "get") else None
        if kids is None:
            return
        for kid in (kids if isinstance(kids, list) else [kids]):
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get"):
                walk(kid)

    walk(root["/StructTreeRoot"])
    return types


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
