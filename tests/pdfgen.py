"""Build small PDFs for tests with reportlab: a report with the furniture of a real export."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT, RIGHT = 72, WIDTH - 72
BODY_SIZE = 11
LEADING = 14


class ReportWriter:
    """Place text line by line so tests control exactly where lines and page breaks fall."""

    def __init__(self, path: Path, *, header: str, footer: str = "Page {n} of {total}", total: int = 0, **kwargs) -> None:
        self.canvas = canvas.Canvas(str(path), pagesize=A4, invariant=1, **kwargs)
        self.header, self.footer, self.total = header, footer, total
        self.page = 0
        self.y = 0.0

    def new_page(self, *, furniture: bool = True) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.y = HEIGHT - 100
        if furniture:
            self.canvas.setFont("Helvetica", 9)
            self.canvas.drawString(LEFT, HEIGHT - 40, self.header)
            self.canvas.drawCentredString(WIDTH / 2, 30, self.footer.format(n=self.page, total=self.total))

    def heading(self, text: str, size: float = 14) -> None:
        self.y -= 10
        self.canvas.setFont("Helvetica-Bold", size)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= size + 8

    def line(self, text: str, size: float = BODY_SIZE, font: str = "Helvetica") -> None:
        self.canvas.setFont(font, size)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= LEADING if size == BODY_SIZE else size + 2

    def gap(self) -> None:
        self.y -= LEADING * 0.8

    def footnote(self, text: str) -> None:
        self.canvas.setFont("Helvetica", 8)
        self.canvas.drawString(LEFT, 60, text)

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def write_report(path: Path, **kwargs) -> Path:
    """A four-page report: cover, contents, two body pages; a paragraph runs across the page break."""
    writer = ReportWriter(path, header="Northmoor SCP | LCSPR Child T | Final", total=4, **kwargs)
    writer.new_page(furniture=False)
    writer.heading("Local Child Safeguarding Practice Review", size=22)
    writer.line("Child T", size=16)
    writer.line("Northmoor Safeguarding Children Partnership", size=12)
    writer.new_page()
    writer.heading("Contents", size=16)
    for entry, page in [("1. Introduction", 3), ("2. Background", 3), ("3. Analysis", 4), ("4. Recommendations", 4)]:
        writer.line(f"{entry} {'.' * 60} {page}")
    writer.new_page()
    writer.heading("1. Introduction")
    writer.line("1.1 This review was commissioned by the partnership after Child T was admitted")
    writer.line("to hospital with injuries that could not be explained by the family.")
    writer.gap()
    writer.line("1.2 The terms of reference asked how agencies shared information about the")
    writer.line("household and whether the views of Child T were heard.¹")
    writer.footnote("1 Terms of reference are set out in full in Appendix A.")
    writer.heading("2. Background")
    writer.line("2.1 Child T lived with their mother and two older siblings. The mother's new")
    writer.line("partner moved into the home in the spring and was not known to the health visitor.")
    writer.gap()
    writer.line("2.2 The family had moved between three temporary addresses during the year and the")
    writer.line("school recorded growing concerns about attendance, which were discussed at a multi-")
    writer.line("agency meeting but the notes of that meeting were not shared with the GP, and the")
    writer.new_page()
    writer.line("health visitor only learned of them after the admission.")
    writer.heading("3. Analysis")
    writer.line("3.1 Practitioners accepted the mother's account without asking who else lived in")
    writer.line("the home. Nobody asked about the partner's history.")
    writer.heading("4. Recommendations")
    writer.line("4.1 The partnership should ensure that practitioners identify every adult in the")
    writer.line("household at the first contact.")
    writer.save()
    return path
