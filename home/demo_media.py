"""Pictures and documents for the demo network, drawn on the spot (no download)."""

import io
import random

from PIL import Image as PILImage
from PIL import ImageDraw


def landscape_png(color, seed, size=(960, 540)):
    """A simple rural landscape: sky, sun, three rows of hills in the commune's colour."""
    rng = random.Random(seed)
    width, height = size
    picture = PILImage.new("RGB", size, (214, 232, 240))
    draw = ImageDraw.Draw(picture)
    for y in range(height // 2):
        shade = int(40 * y / (height / 2))
        draw.line([(0, y), (width, y)], fill=(190 + shade // 2, 220 + shade // 4, 240))
    sun_x, sun_y = rng.randint(width // 5, 4 * width // 5), rng.randint(40, height // 4)
    draw.ellipse([sun_x - 45, sun_y - 45, sun_x + 45, sun_y + 45], fill=(250, 214, 120))
    for row in range(3):
        base = height // 2 + row * height // 8
        shade = tuple(max(0, min(255, c - 25 * row + rng.randint(-10, 10))) for c in color)
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base + rng.randint(-40, 30)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    for _ in range(rng.randint(3, 7)):
        x, y = rng.randint(20, width - 60), rng.randint(height // 2 + 20, height - 60)
        draw.rectangle([x, y, x + 36, y + 24], fill=(236, 226, 208))
        draw.polygon([(x - 4, y), (x + 18, y - 16), (x + 40, y)], fill=(150, 60, 45))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _pdf_text(text):
    encoded = text.encode("cp1252", errors="replace")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def minutes_pdf(title, lines):
    """A one-page PDF (Helvetica, WinAnsi) with a title and lines of text."""
    content = [b"BT /F1 18 Tf 56 780 Td (" + _pdf_text(title) + b") Tj ET"]
    y = 740
    for line in lines:
        content.append(b"BT /F1 11 Tf 56 %d Td (" % y + _pdf_text(line) + b") Tj ET")
        y -= 18
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
