#!/usr/bin/env python3
"""Writes the sandbox's PDF brand logos by hand (PDF 1.4, one page, correct xref table).

The gateway documents BRAND_LOGO assets as PDFs (mediaType image/pdf or application/pdf, width
and height null), so the sandbox serves two: a MasterCard-style pair of circles and a VISA
wordmark. Vector shapes and the standard Helvetica fonts only, so the files stay tiny and
render in pdf.js without extra font data. Called by make-media.sh; output is committed.
"""

K = 0.5523  # Bezier handle length for a quarter circle


def circle(cx, cy, r):
    k = K * r
    return (
        f"{cx + r} {cy} m "
        f"{cx + r} {cy + k} {cx + k} {cy + r} {cx} {cy + r} c "
        f"{cx - k} {cy + r} {cx - r} {cy + k} {cx - r} {cy} c "
        f"{cx - r} {cy - k} {cx - k} {cy - r} {cx} {cy - r} c "
        f"{cx + k} {cy - r} {cx + r} {cy - k} {cx + r} {cy} c f\n"
    )


def pdf(width, height, content, font):
    stream = content.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            f"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ).encode("ascii"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} >>".encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


MC = (
    "1 1 1 rg 0 0 160 100 re f\n"
    "0.922 0 0.106 rg\n" + circle(62, 58, 32) +
    "0.969 0.620 0.106 rg\n" + circle(98, 58, 32) +
    "0.2 0.2 0.2 rg BT /F1 15 Tf 38 8 Td (MasterCard) Tj ET\n"
)
VISA = (
    "1 1 1 rg 0 0 160 100 re f\n"
    "0.102 0.122 0.443 rg BT /F1 46 Tf 18 34 Td (VISA) Tj ET\n"
    "0.969 0.714 0 rg 18 24 124 5 re f\n"
)

for name, content, font in [
    ("mc-logo.pdf", MC, "Helvetica"),
    ("visa-logo.pdf", VISA, "Helvetica-BoldOblique"),
]:
    with open(name, "wb") as f:
        f.write(pdf(160, 100, content, font))
