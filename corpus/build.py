"""Build the bundled sample corpus from the sources of the fictional reviews.

The sources are ``tests/data/corpus/src/*.md`` (they sit beside the labels of the evaluation set,
which refer to their paragraphs). Each review is published into ``corpus/`` in one format, as a
real download folder would hold it: the rapid reviews as Word files, the others as PDFs. A PDF
has a cover, contents page, running header and footer (reportlab platypus); a DOCX uses Title and
Heading styles, List Bullet, Table Grid, a header and a PAGE field (python-docx). ``render`` makes
either format of any review, which the tests use to compare both renderings with the source.

Usage::

    python corpus/build.py            # rebuild every review
    python corpus/build.py NAME ...   # rebuild only the named reviews (file stems)

Needs reportlab, python-docx and PyYAML (the ``corpus`` extra). No network access.
Output is deterministic: rebuilding unchanged sources gives byte-identical files.

Source markup (see README.md): YAML front matter between ``---`` lines; ``#``/``##``/``###``
headings; one paragraph per line, blocks separated by a blank line; ``- item`` bullet lines;
pipe tables with a header row and a ``|---|`` separator.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "tests" / "data" / "corpus" / "src"
PUBLISHED_AS = {"rr_eastvale_baby_b": "docx", "rr_harrowfield_child_d": "docx"}  # the rest: pdf

REVIEW_TYPE_LABELS = {
    "rapid_review": "Rapid Review",
    "lcspr": "Local Child Safeguarding Practice Review",
    "scr": "Serious Case Review",
}
FOOTER_STYLES = ("page_of", "plain", "dash")
REQUIRED_KEYS = ("title", "review_type", "partnership", "child", "year", "date",
                 "running_header", "footer_style")
MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)}


# --------------------------------------------------------------------------- source model

@dataclass(frozen=True)
class Block:
    """One block of the body: a heading, a paragraph, a bullet list or a table."""

    kind: str  # "heading" | "paragraph" | "bullets" | "table"
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # table rows, header first


@dataclass
class Review:
    name: str
    meta: dict
    blocks: list[Block] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return REVIEW_TYPE_LABELS[self.meta["review_type"]]

    @property
    def doc_date(self) -> _dt.datetime:
        """A fixed timestamp for document metadata, taken from the front-matter date."""
        month_name, _, year = str(self.meta["date"]).partition(" ")
        month = MONTHS.get(month_name, 1)
        year_num = int(year) if year.strip().isdigit() else int(self.meta["year"])
        return _dt.datetime(year_num, month, 1, 9, 0, 0)


def _split_row(line: str) -> tuple[str, ...]:
    cells = line.strip().strip("|").split("|")
    return tuple(c.strip() for c in cells)


def parse_markdown(path: Path) -> Review:
    """Parse one source file into front matter and body blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: missing YAML front matter (first line must be '---')")
    try:
        end = lines.index("---", 1)
    except ValueError as exc:
        raise ValueError(f"{path}: front matter is not closed with '---'") from exc
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{path}: front matter lacks {', '.join(missing)}")
    if meta["review_type"] not in REVIEW_TYPE_LABELS:
        raise ValueError(f"{path}: review_type {meta['review_type']!r} is not one of "
                         f"{', '.join(REVIEW_TYPE_LABELS)}")
    if meta["footer_style"] not in FOOTER_STYLES:
        raise ValueError(f"{path}: footer_style {meta['footer_style']!r} is not one of "
                         f"{', '.join(FOOTER_STYLES)}")

    review = Review(name=path.stem, meta=meta)
    body = lines[end + 1:]
    i = 0
    while i < len(body):
        line = body[i].rstrip()
        if not line.strip():
            i += 1
            continue
        if line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            review.blocks.append(Block("heading", text=line[hashes:].strip(), level=hashes))
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(body) and body[i].startswith("|"):
                row = _split_row(body[i])
                if not all(set(c) <= set("-: ") for c in row):  # skip the |---| rule
                    rows.append(row)
                i += 1
            review.blocks.append(Block("table", rows=tuple(rows)))
        elif line.startswith("- "):
            items = []
            while i < len(body) and body[i].startswith("- "):
                items.append(body[i][2:].strip())
                i += 1
            review.blocks.append(Block("bullets", items=tuple(items)))
        else:
            review.blocks.append(Block("paragraph", text=line.strip()))
            i += 1
    return review


# --------------------------------------------------------------------------- PDF

def build_pdf(review: Review, out: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (BaseDocTemplate, Frame, ListFlowable, ListItem,
                                    NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                    Spacer, Table, TableStyle)
    from reportlab.platypus.tableofcontents import TableOfContents

    rl_config.invariant = 1
    meta = review.meta
    serif = meta["review_type"] == "scr"  # the older report is set in Times
    base = "Times-Roman" if serif else "Helvetica"
    bold = "Times-Bold" if serif else "Helvetica-Bold"
    italic = "Times-Italic" if serif else "Helvetica-Oblique"
    align = TA_JUSTIFY if meta["review_type"] != "rapid_review" else TA_LEFT
    accent = colors.HexColor("#1F3864")
    page_w, page_h = A4
    left = right = 2.3 * cm
    top, bottom = 2.5 * cm, 2.3 * cm

    body = ParagraphStyle("Body", fontName=base, fontSize=11, leading=14,
                          alignment=align, spaceAfter=6)
    bullet = ParagraphStyle("Bullet", parent=body, spaceAfter=3)
    cell = ParagraphStyle("Cell", fontName=base, fontSize=9.5, leading=12, alignment=TA_LEFT)
    cell_head = ParagraphStyle("CellHead", parent=cell, fontName=bold)
    h_styles = {
        1: ParagraphStyle("H1", fontName=bold, fontSize=16, leading=20, spaceBefore=12,
                          spaceAfter=8, textColor=accent, keepWithNext=1),
        2: ParagraphStyle("H2", fontName=bold, fontSize=13, leading=16.5, spaceBefore=8,
                          spaceAfter=6, textColor=accent, keepWithNext=1),
        3: ParagraphStyle("H3", fontName=bold, fontSize=12, leading=15, spaceBefore=8,
                          spaceAfter=4, keepWithNext=1),
    }
    toc_styles = [
        ParagraphStyle("TOC1", fontName=bold, fontSize=11, leading=15, leftIndent=0,
                       firstLineIndent=0, spaceBefore=4),
        ParagraphStyle("TOC2", fontName=base, fontSize=10.5, leading=14, leftIndent=0.8 * cm,
                       firstLineIndent=0),
    ]

    class Heading(Paragraph):
        def __init__(self, text, level, key):
            super().__init__(escape(text), h_styles[level])
            self.plain = text
            self.level = level
            self.key = key

    class NumberedCanvas(Canvas):
        """Defers the footer until the total page count is known ("Page 3 of 12")."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states = []
            self.body_page = False

        def showPage(self):
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                if self.body_page:
                    self._draw_footer(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_footer(self, total):
            n = self._pageNumber
            style = meta["footer_style"]
            text = {"page_of": f"Page {n} of {total}", "plain": f"{n}",
                    "dash": f"- {n} -"}[style]
            self.saveState()
            self.setFont(base, 9)
            self.setFillColor(colors.black)
            if style == "page_of":
                self.drawRightString(page_w - right, 1.3 * cm, text)
            elif style == "dash":
                # Draw "- n -" in pieces with a visible gap: a plain space next to a hyphen
                # is too narrow for text extractors, which would read "-n-".
                gap = 5
                num = str(n)
                dash_w = self.stringWidth("-", base, 9)
                num_w = self.stringWidth(num, base, 9)
                x = page_w / 2 - (2 * dash_w + num_w + 2 * gap) / 2
                self.drawString(x, 1.3 * cm, "-")
                self.drawString(x + dash_w + gap, 1.3 * cm, num)
                self.drawString(x + dash_w + 2 * gap + num_w, 1.3 * cm, "-")
            else:
                self.drawCentredString(page_w / 2, 1.3 * cm, text)
            self.restoreState()

    def on_cover(canv, doc):
        canv.body_page = False
        canv.saveState()
        canv.setFillColor(accent)
        canv.rect(0, page_h - 1.2 * cm, page_w, 1.2 * cm, stroke=0, fill=1)
        canv.restoreState()

    def on_contents(canv, doc):
        canv.body_page = False

    def on_body(canv, doc):
        canv.body_page = True
        canv.saveState()
        canv.setFont(italic, 9)
        canv.setFillColor(colors.HexColor("#404040"))
        canv.drawString(left, page_h - 1.5 * cm, str(meta["running_header"]))
        canv.setStrokeColor(colors.HexColor("#808080"))
        canv.setLineWidth(0.5)
        canv.line(left, page_h - 1.7 * cm, page_w - right, page_h - 1.7 * cm)
        canv.restoreState()

    class ReportTemplate(BaseDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Heading):
                # PDF outlines cannot skip a level (### straight after #), so clamp.
                level = flowable.level - 1
                if flowable.level == 1:
                    self._outline_depth = 0
                level = min(level, getattr(self, "_outline_depth", 0) + 1)
                self._outline_depth = level
                self.canv.bookmarkPage(flowable.key)
                self.canv.addOutlineEntry(flowable.plain, flowable.key, level=level,
                                          closed=True)
                if flowable.level <= 2:
                    self.notify("TOCEntry", (flowable.level - 1, escape(flowable.plain),
                                             self.page, flowable.key))

    frame = Frame(left, bottom, page_w - left - right, page_h - top - bottom, id="main",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = ReportTemplate(
        str(out), pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top,
        bottomMargin=bottom, title=str(meta["title"]), author=str(meta["partnership"]),
        subject=f"{review.type_label}: {meta['child']}", creator="coder corpus/build.py",
        invariant=1, pageCompression=1,
    )
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[frame], onPage=on_cover),
        PageTemplate(id="contents", frames=[frame], onPage=on_contents),
        PageTemplate(id="body", frames=[frame], onPage=on_body),
    ])

    cover_title = ParagraphStyle("CoverTitle", fontName=bold, fontSize=24, leading=30,
                                 textColor=accent, alignment=TA_LEFT, spaceAfter=18)
    cover_line = ParagraphStyle("CoverLine", fontName=base, fontSize=14, leading=20,
                                alignment=TA_LEFT, spaceAfter=6)
    cover_small = ParagraphStyle("CoverSmall", parent=cover_line, fontSize=12,
                                 textColor=colors.HexColor("#404040"))
    story = [
        NextPageTemplate("contents"),
        Spacer(1, 5 * cm),
        Paragraph(escape(str(meta["title"])), cover_title),
        Paragraph(escape(review.type_label), cover_line),
        Paragraph(escape(str(meta["partnership"])), cover_line),
        Paragraph(escape(str(meta["child"])), cover_line),
        Spacer(1, 1.5 * cm),
        Paragraph(escape(str(meta["date"])), cover_small),
        Paragraph("Final report", cover_small),
        PageBreak(),
    ]
    toc = TableOfContents(levelStyles=toc_styles, dotsMinLevel=0)
    contents_head = ParagraphStyle("ContentsHead", parent=h_styles[1], alignment=TA_LEFT)
    story += [Paragraph("Contents", contents_head), Spacer(1, 0.3 * cm), toc,
              NextPageTemplate("body"), PageBreak()]

    heading_no = 0
    for block in review.blocks:
        if block.kind == "heading":
            heading_no += 1
            story.append(Heading(block.text, min(block.level, 3), f"h{heading_no}"))
        elif block.kind == "paragraph":
            story.append(Paragraph(escape(block.text), body))
        elif block.kind == "bullets":
            items = [ListItem(Paragraph(escape(t), bullet), leftIndent=14)
                     for t in block.items]
            story.append(ListFlowable(items, bulletType="bullet", start="\u2022",
                                      leftIndent=14, bulletFontName=base, bulletFontSize=10,
                                      spaceAfter=6))
            story.append(Spacer(1, 4))
        elif block.kind == "table":
            head, *rows = block.rows
            data = [[Paragraph(escape(c), cell_head) for c in head]]
            data += [[Paragraph(escape(c), cell) for c in r] for r in rows]
            avail = page_w - left - right
            if len(head) == 3:
                widths = [3.3 * cm, 3.6 * cm, avail - 6.9 * cm]
            else:
                widths = [avail / len(head)] * len(head)
            table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#606060")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2F3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]))
            story += [Spacer(1, 4), table, Spacer(1, 10)]
    doc.multiBuild(story, canvasmaker=NumberedCanvas)


# --------------------------------------------------------------------------- DOCX

def _add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a complex field (PAGE, NUMPAGES) to a python-docx paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(fld("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(fld("end"))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so that builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return buf.getvalue()


def build_docx(review: Review, out: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    meta = review.meta
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman" if meta["review_type"] == "scr" else "Arial"
    normal.font.size = Pt(11)

    doc.add_paragraph(str(meta["title"]), style="Title")
    for line in (review.type_label, meta["partnership"], meta["child"], meta["date"],
                 "Final report"):
        doc.add_paragraph(str(line))
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    for block in review.blocks:
        if block.kind == "heading":
            doc.add_heading(block.text, level=min(block.level, 3))
        elif block.kind == "paragraph":
            doc.add_paragraph(block.text, style="Normal")
        elif block.kind == "bullets":
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif block.kind == "table":
            head, *rows = block.rows
            table = doc.add_table(rows=1, cols=len(head))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, head):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            header_flag = OxmlElement("w:tblHeader")
            header_flag.set(qn("w:val"), "true")
            tr_pr.append(header_flag)
            for row in rows:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = text
            doc.add_paragraph("")

    section = doc.sections[0]
    section.different_first_page_header_footer = True  # no header or footer on the cover
    section.header.paragraphs[0].text = str(meta["running_header"])
    footer = section.footer.paragraphs[0]
    style = meta["footer_style"]
    if style == "page_of":
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("Page ")
        _add_field(footer, "PAGE")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES")
    elif style == "dash":
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("- ")
        _add_field(footer, "PAGE")
        footer.add_run(" -")
    else:
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_field(footer, "PAGE")

    props = doc.core_properties
    props.title = str(meta["title"])
    props.author = str(meta["partnership"])
    props.subject = f"{review.type_label}: {meta['child']}"
    props.keywords = "fictional; sample corpus; coder"
    props.comments = "Fictional review written for the coder sample corpus."
    props.last_modified_by = "coder corpus/build.py"
    props.revision = 1
    props.created = review.doc_date
    props.modified = review.doc_date
    props.last_printed = review.doc_date

    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


# --------------------------------------------------------------------------- main

def main(argv: list[str]) -> int:
    missing = [mod for mod in ("reportlab", "docx") if importlib.util.find_spec(mod) is None]
    if missing:
        print(f"missing package(s): {', '.join(missing)}; install the corpus extra "
              "(pip install 'coder[corpus]') or reportlab and python-docx", file=sys.stderr)
        return 2
    sources = sorted(SRC.glob("*.md"))
    if argv:
        wanted = set(argv)
        sources = [p for p in sources if p.stem in wanted]
        unknown = wanted - {p.stem for p in sources}
        if unknown:
            print(f"unknown review(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
    for path in sources:
        print(f"built {render(path, PUBLISHED_AS.get(path.stem, 'pdf'), HERE).name}")
    return 0


def render(source: Path, kind: str, folder: Path) -> Path:
    """Write ``source`` as ``folder/<name>.<kind>`` (kind "pdf" or "docx") and return the path."""
    review = parse_markdown(source)
    out = folder / f"{review.name}.{kind}"
    (build_pdf if kind == "pdf" else build_docx)(review, out)
    return out


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
