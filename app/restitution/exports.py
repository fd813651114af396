"""The export formats: one renderer per format, all from the one assembled model."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from barcamp.common.errors import DomainError
from barcamp.restitution.document import Restitution


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    mimetype: str
    module: str

    def render(self, doc: Restitution) -> bytes:
        # renderers are imported on use: python-docx and fpdf2 cost time to import
        from importlib import import_module

        renderer: Callable[[Restitution], bytes] = import_module(f"barcamp.restitution.{self.module}").render
        return renderer(doc)


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("md", "md", "text/markdown; charset=utf-8", "export_md"),
        Format("html", "html", "text/html; charset=utf-8", "export_html"),
        Format("pdf", "pdf", "application/pdf", "export_pdf"),
        Format("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "export_docx"),
        Format("csv", "csv", "text/csv; charset=utf-8", "export_csv"),
        Format("json", "json", "application/json", "export_json"),
    )
}


def get_format(key: str | None) -> Format:
    """The export format named `key`, or a 400 error listing the known ones."""
    fmt = FORMATS.get((key or "").lower())
    if fmt is None:
        raise DomainError("invalid_format", _("Format d'export inconnu. Formats possibles : %(known)s.",
                                              known=", ".join(FORMATS)), status=400)
    return fmt
