"""The public package: every advertised name resolves, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import coder


def test_package_every_public_name_resolves():
    assert all(getattr(coder, name) is not None for name in coder.__all__)
    assert callable(coder.ingest) and callable(coder.load_codebook) and isinstance(coder.__version__, str)


def test_package_import_does_not_load_the_heavy_libraries():
    heavy = ("spacy", "sklearn", "scipy", "openpyxl", "pypdfium2", "pdfplumber")
    probe = f"import sys, coder; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""


def test_package_lazy_names_are_all_public():
    assert set(coder._LAZY) <= set(coder.__all__)
