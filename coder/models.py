"""Choosing the coder for a run: the default model when it fits the codebook, else the rules."""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import asdict
from pathlib import Path

from coder.classify import Classifier, load_model
from coder.codebook import Codebook
from coder.errors import ModelError
from coder.evaluate import Report
from coder.hybrid import HybridCoder

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "default"
logger = logging.getLogger(__name__)


def load_default_model(codebook: Codebook, path: str | Path | None = None) -> Classifier | None:
    """Load ``path``; with no path, the shipped default model if it was built for this codebook."""
    if path is not None:
        return load_model(path, codebook)
    if not (DEFAULT_MODEL / "meta.json").is_file():
        return None
    try:
        return load_model(DEFAULT_MODEL, codebook)
    except ModelError as error:
        logger.warning("default model not used: %s", error)
        return None


def make_coder(codebook: Codebook, *, model: str | Path | None = None, use_model: bool = True) -> HybridCoder:
    """The hybrid coder with the chosen model, or the rules alone."""
    classifier = load_default_model(codebook, model) if use_model else None
    return HybridCoder(codebook, classifier)


def reports_to_text(reports: list[Report], fmt: str) -> str:
    """Evaluation reports as CSV (one row per code and coder) or JSON."""
    if fmt == "json":
        return json.dumps([asdict(r) for r in reports], indent=1)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["coder", "code", "support", "predicted", "true_positives", "precision", "recall", "f1", "kappa",
                     "polarity_agreement"])
    for report in reports:
        for row in report.codes:
            writer.writerow([report.name, row.code, row.support, row.predicted, row.true_positives,
                             f"{row.precision:.4f}", f"{row.recall:.4f}", f"{row.f1:.4f}", f"{row.kappa:.4f}",
                             "" if row.polarity_agreement is None else f"{row.polarity_agreement:.4f}"])
        writer.writerow([report.name, "_micro", "", "", "", f"{report.micro_precision:.4f}",
                         f"{report.micro_recall:.4f}", f"{report.micro_f1:.4f}", "", ""])
        writer.writerow([report.name, "_macro", "", "", "", "", "", f"{report.macro_f1:.4f}", "", ""])
    return buffer.getvalue()
