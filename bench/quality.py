"""Print ingestion quality figures per real PDF: `python bench/quality.py [--engine pdfplumber]`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import astuple, fields
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from realdoc_checks import Quality, measure, real_pdfs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="pdfium")
    args = parser.parse_args()
    files = real_pdfs()
    print(" | ".join(f.name for f in fields(Quality)))
    for path in files:
        print(" | ".join(str(v) for v in astuple(measure(path, args.engine))))


if __name__ == "__main__":
    main()
