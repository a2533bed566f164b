#!/usr/bin/env python3
"""Generate the Word (.docx) fixtures in fixtures/formats/.

Regenerate them (from the repository root):

    pip install python-docx    # 1.2 or later (comments need 1.2)
    python3 scripts/gen_docx_fixtures.py

Writes two drafts of social-media posts:

* ``fixtures/formats/draft-phi.docx``: a patient-spotlight draft full of invented
  PHI in the places Word keeps text: a body paragraph naming a patient with a
  diagnosis and a date of birth, a hidden run, a tracked deletion that still
  holds a medical record number, a table row with a relative's name and a phone
  number, a picture whose alt text names the patient, a reviewer's comment, a
  header, a footer and the document properties (title, subject, keywords,
  comments). The author, last editor and comment author are staff names that
  must not be reported.
* ``fixtures/formats/draft-clean.docx``: a harmless flu-shot clinic post with a
  table of opening hours, a picture with alt text and a comment.

Every name, date, number and place is invented (phones 555-01xx).

The output is deterministic: the document properties' and the comments' dates
are fixed here, and the package is rewritten with every zip entry dated
1980-01-01, in python-docx's order, deflated. Two runs give identical bytes
with the same Python and zlib builds (another zlib may compress differently;
the documents' contents stay the same).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "formats"

# Fixed times, so core.xml never depends on the clock.
CREATED = dt.datetime(2026, 1, 5, 9, 0, 0)
MODIFIED = dt.datetime(2026, 1, 6, 16, 30, 0)


def tiny_png() -> bytes:
    """A 2x2 grey PNG, built by hand so the fixture needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = b"\x00\x80\x80" * 2  # filter byte + two pixels, per row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
    )


def set_properties(doc, *, title, subject, keywords, comments, author, editor):
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.keywords = keywords
    props.comments = comments  # dc:description; Word shows it as "Comments"
    props.author = author  # staff: not scanned
    props.last_modified_by = editor  # staff: not scanned
    props.created = CREATED
    props.modified = MODIFIED
    props.revision = 3


def add_picture_with_alt_text(doc, alt_text: str, title: str | None = None):
    """A picture in a paragraph of its own, with alt text on its wp:docPr."""
    shape = doc.add_picture(io.BytesIO(tiny_png()), width=Inches(1))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt_text)
    if title is not None:
        doc_pr.set("title", title)


def add_tracked_deletion(paragraph, text: str, after_run) -> None:
    """Inserts a tracked deletion of `text` right after `after_run`."""
    deletion = parse_xml(
        f'<w:del {nsdecls("w")} w:id="901" w:author="Sam Editor" '
        f'w:date="2026-01-06T16:00:00Z"><w:r><w:delText xml:space="preserve">'
        f"{text}</w:delText></w:r></w:del>"
    )
    after_run._r.addnext(deletion)


def add_comment(doc, run, text: str) -> None:
    """A reviewer's comment on `run`, dated with a fixed time (python-docx stamps now)."""
    comment = doc.add_comment(run, text=text, author="Sam Editor", initials="SE")
    comment._comment_elm.set(qn("w:date"), "2026-01-06T15:00:00Z")


def draft_phi() -> Document:
    doc = Document()
    set_properties(
        doc,
        title="Patient spotlight draft",
        subject="Harriet Quandt spotlight",
        keywords="spotlight; oncology; survivor",
        comments="Consent form pending for Harriet Quandt",
        author="Dana Writer",
        editor="Sam Editor",
    )
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Riverside Clinic - internal draft"
    section.footer.paragraphs[0].text = "Not for posting until consent is on file"

    doc.add_heading("Spotlight: a brave survivor", level=1)
    story = doc.add_paragraph()
    name = story.add_run("Meet Harriet Quandt")
    story.add_run(
        ", our patient of the week! Born 03/14/1961, she was diagnosed with breast "
        "cancer last spring and rang the bell after her final chemotherapy session."
    )
    doc.add_paragraph()  # an empty paragraph still counts
    team = doc.add_paragraph()
    before = team.add_run("Her care team ")
    add_tracked_deletion(team, "(MRN 00482913) ", before)
    team.add_run("cheered her on every step of the way.")
    hidden = team.add_run(" Room 412, bed 2.")
    hidden.font.hidden = True

    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Contact"
    table.cell(0, 1).text = "Phone"
    table.cell(1, 0).text = "Lena Quandt (daughter)"
    table.cell(1, 1).text = "555-0142"

    add_picture_with_alt_text(
        doc,
        "Harriet Quandt ringing the bell on the oncology ward",
        title="Bell ringing",
    )
    doc.add_paragraph("Thank you to everyone who supported her!\tShare your story.")

    add_comment(doc, name, "Check with Harriet Quandt's family before posting")
    return doc


def draft_clean() -> Document:
    doc = Document()
    set_properties(
        doc,
        title="Flu shot clinic post",
        subject="Seasonal flu clinic",
        keywords="flu; vaccines; community",
        comments="Ready for the Monday schedule",
        author="Dana Writer",
        editor="Sam Editor",
    )
    doc.add_heading("Flu shots are here", level=1)
    intro = doc.add_paragraph()
    first = intro.add_run("Our walk-in flu shot clinic is open this season.")
    intro.add_run(" No appointment needed, and most insurance plans are accepted.")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Days"
    table.cell(0, 1).text = "Hours"
    table.cell(1, 0).text = "Monday to Friday"
    table.cell(1, 1).text = "8 am to 6 pm"
    table.cell(2, 0).text = "Saturday"
    table.cell(2, 1).text = "9 am to 1 pm"
    add_picture_with_alt_text(doc, "A nurse smiling next to a flu shot sign")
    doc.add_paragraph("Protect yourself and your family. See you soon!")
    add_comment(doc, first, "Looks good, ready to schedule")
    return doc


def deterministic_bytes(doc) -> bytes:
    """The saved package, its zip entries rewritten with fixed times and attributes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in [("draft-phi.docx", draft_phi), ("draft-clean.docx", draft_clean)]:
        path = OUT / name
        path.write_bytes(deterministic_bytes(build()))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
