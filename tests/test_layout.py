"""The shared PDF clean-up, on hand-made lines where every position is known."""

from __future__ import annotations

import pytest

from coder.ingest.layout import build_blocks
from coder.ingest.lines import Line, PageLines
from coder.ingest.normalise import clean, join_hyphenated


def line(text, top, *, size=11.0, bold=False, x0=72.0, x1=520.0):
    return Line(text, x0, x1, top, top + size, size, bold)


def page(number, *lines):
    return PageLines(number, 595.0, 842.0, tuple(lines))


@pytest.mark.parametrize("left,right,vocabulary,expected", [
    ("the multi-", "agency meeting", set(), "the multi-agency meeting"),
    ("safe-", "guarding partners", {"safeguarding"}, "safeguarding partners"),
    ("the assess-", "ment was late", set(), "the assessment was late"),
    ("follow-", "up visit", set(), "follow-up visit"),
    ("child-", "centred practice", {"child-centred"}, "child-centred practice"),
    ("see page 4 -", "the table", set(), None),
    ("NHS-", "England", set(), "NHS-England"),
    ("health vis\u00ad", "itor", set(), "health visitor"),
])
def test_layout_join_hyphenated(left, right, vocabulary, expected):
    assert join_hyphenated(left, right, vocabulary) == expected


def test_layout_clean_normalises_ligatures_and_spaces():
    assert clean("e\ufb00ective\u00a0 of\ufb01cer\u200b  role\t") == "effective officer role"


def test_layout_removes_running_lines_even_with_changing_page_numbers():
    pages = [
        page(n,
             line("Eastvale LCSPR Child K – Final", 30, size=9),
             line(f"Body text on page {n} with enough words to be a paragraph line.", 100),
             line(f"Page {n} of 3", 800, size=9))
        for n in (1, 2, 3)
    ]
    layout = build_blocks(pages)
    assert layout.removed_running == 6
    assert all("Eastvale" not in b.text and "of 3" not in b.text for b in layout.blocks)


def test_layout_keeps_margin_line_that_does_not_repeat():
    pages = [page(1, line("A line near the top that appears once.", 30)), page(2, line("Other body text here.", 200))]
    assert [b.text for b in build_blocks(pages).blocks][0] == "A line near the top that appears once."


def test_layout_bold_call_out_box_is_not_a_heading():
    box = [line(f"Bold call-out text line {i} that carries a whole sentence of guidance", 200 + 14 * i, bold=True) for i in range(4)]
    layout = build_blocks([page(1, line("Findings", 150, size=14, bold=True), *box)])
    assert [b.kind for b in layout.blocks] == ["heading", "paragraph"]


def test_layout_multi_line_heading_is_joined():
    layout = build_blocks([page(1,
        line("How agencies understood the risks posed by the", 100, size=14, bold=True),
        line("mother's partner", 117, size=14, bold=True),
        line("Body paragraph that follows the heading.", 150))])
    assert layout.blocks[0].text == "How agencies understood the risks posed by the mother's partner"


def test_layout_new_paragraph_at_number_and_gap_but_not_at_wrap():
    layout = build_blocks([page(1,
        line("3.1 The school nurse saw Child K twice in the autumn term and recorded that", 100),
        line("she seemed tired.", 114, x1=200),
        line("3.2 The GP was not told.", 128, x1=220),
        line("A separate paragraph after a blank line.", 160))])
    assert [b.text for b in layout.blocks] == [
        "3.1 The school nurse saw Child K twice in the autumn term and recorded that she seemed tired.",
        "3.2 The GP was not told.",
        "A separate paragraph after a blank line.",
    ]


def test_layout_sentence_continues_across_page_break():
    layout = build_blocks([
        page(1, line("The health visitor was not told that the family had", 700)),
        page(2, line("moved to a new address in the spring.", 100)),
    ])
    assert [(b.text, b.page_start, b.page_end) for b in layout.blocks] == [
        ("The health visitor was not told that the family had moved to a new address in the spring.", 1, 2)]


def test_layout_sentence_continues_from_the_lowest_block_not_a_call_out_drawn_later():
    layout = build_blocks([
        page(1, line("The health visitor was not told that the family had", 700),
             line("Call-out: remember to ask who lives there", 100)),
        page(2, line("moved to a new address in the spring.", 100)),
    ])
    texts = [b.text for b in layout.blocks]
    assert "The health visitor was not told that the family had moved to a new address in the spring." in texts
    assert "Call-out: remember to ask who lives there" in texts
