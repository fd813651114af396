"""QR codes of join URLs (segno: pure Python, SVG and PNG without Pillow)."""
from __future__ import annotations

import io

import segno


def qr_image(url: str, fmt: str, scale: int = 10) -> bytes:
    """Render the URL as a QR code in 'svg' or 'png', high error correction for projected images."""
    qr = segno.make(url, error="q", micro=False)
    out = io.BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=scale, border=2, xmldecl=True, svgns=True, title="QR code")
    else:
        qr.save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
