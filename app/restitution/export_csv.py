"""CSV: one row per visible topic (with its score), one per workshop proposal (with its dots), then
one per "Pour aller plus loin" resource of a workshop (with its link).

Safe to open in a spreadsheet: a cell starting with = + - @ tab or carriage return is prefixed
with a quote, so it is never read as a formula (OWASP "CSV injection").
"""
from __future__ import annotations

import csv
import io

from barcamp.restitution.document import Restitution
from barcamp.restitution.text import score_text

#: the first characters a spreadsheet may take as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = ("type", "rang", "sujet_id", "titre", "theme", "score", "votants", "atelier", "numero", "gain",
           "indicateur", "gommettes", "auteur", "source", "date", "lien")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render(doc: Restitution) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for topic in doc.ranking:
        writer.writerow([safe_cell(v) for v in (
            "sujet", topic.rank, topic.id, topic.title, topic.theme or "", score_text(doc, topic), topic.voters,
            "", "", "", "", "", topic.author or "", "", "", "")])
    for chapter in doc.chapters:
        for prop in chapter.proposals:
            writer.writerow([safe_cell(v) for v in (
                "proposition", "", "", prop.text, "", "", "", chapter.title, prop.number, prop.gain, prop.indicator,
                prop.dots, prop.author or "", "", "", "")])
    for chapter in doc.chapters:
        for resource in chapter.further_reading:
            writer.writerow([safe_cell(v) for v in (
                "pour_aller_plus_loin", "", "", resource.title, "", "", "", chapter.title, "", "", "", "",
                resource.author, resource.source, resource.date, resource.url)])
    # UTF-8 with a byte-order mark: spreadsheets then read « é œ » right instead of guessing Latin-1.
    return buffer.getvalue().encode("utf-8-sig")
