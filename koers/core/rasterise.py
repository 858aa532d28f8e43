"""PNG images of Koers's own SVG drawings (the roadmap for a slide), with no image library
of the system: WeasyPrint lays the drawing out as a one-page PDF of its size, and PDFium
(pypdfium2, which brings its own build) turns that page into pixels."""

import io
import re

import pypdfium2
from weasyprint import HTML

# A PDF point is 4/3 of a CSS pixel: this many pixels per point give `scale` pixels per
# pixel of the drawing.
POINTS_PER_PIXEL = 0.75
_SIZE = re.compile(r'<svg[^>]*\swidth="(?P<width>[\d.]+)"[^>]*\sheight="(?P<height>[\d.]+)"')


def png_of_svg(svg: str, *, scale: int = 2) -> bytes:
    """Return the drawing `svg` (with its width and height in pixels) as a PNG of `scale`
    times its size, on a white background."""
    size = _SIZE.search(svg)
    if size is None:
        raise ValueError("the drawing has no width and height")
    page = (
        f"<style>@page {{ size: {size['width']}px {size['height']}px; margin: 0 }}"
        " html, body { margin: 0; background: #fff } svg { display: block }</style>"
    )
    pdf = HTML(string=page + svg).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale / POINTS_PER_PIXEL).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
