"""Ingestion benchmark: pages per second of the default engine, the pdfplumber engine and poppler's
pdftotext on the same files in one run, peak memory against corpus size, and --jobs speed-up.

Usage: python bench/ingest.py [--repeat 3]   (reads ../shared/realdocs and the PDFs in corpus/)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from realdoc_checks import real_pdfs  # noqa: E402
from timing import timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def pdf_files() -> list[Path]:
    return real_pdfs() + sorted((ROOT / "corpus").glob("*.pdf"))


def engine_seconds(files: list[Path], engine: str, repeat: int) -> tuple[float, float, int]:
    """Best-of-``repeat`` seconds for (text extraction with layout clean-up, full ingest), and pages."""
    import coder
    from coder.ingest.layout import build_blocks
    from coder.ingest.pdf_plumber import read_plumber
    from coder.ingest.pdf_pdfium import read_pdfium

    reader = read_pdfium if engine == "pdfium" else read_plumber
    extract, _ = timed(lambda: [build_blocks(reader(p, p.read_bytes())) for p in files], repeat)
    coder.ingest(files[0], engine=engine)  # load spaCy once, outside the timing
    full, documents = timed(lambda: [coder.ingest(p, engine=engine) for p in files], repeat)
    return extract, full, sum(d.page_count for d in documents)


def pdftotext_seconds(files: list[Path], repeat: int) -> float | None:
    if shutil.which("pdftotext") is None:
        return None
    return timed(lambda: [subprocess.run(["pdftotext", "-layout", str(p), "-"], check=True, capture_output=True)
                          for p in files], repeat)[0]


def peak_memory_mb(files: list[Path], copies: int, jobs: int = 1) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of a fresh process ingesting ``copies`` passes over ``files``."""
    script = (
        "import resource, sys, time, coder\n"
        f"files = {[str(p) for p in files]!r} * {copies}\n"
        "start = time.perf_counter()\n"
        f"for result in coder.ingest_paths(files, jobs={jobs}):\n"
        "    assert result.ok, result.error\n"
        "seconds = time.perf_counter() - start\n"
        "peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(peak / 1024, seconds)\n"
    )
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout.split()
    return float(output[0]), float(output[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = pdf_files()
    fast_extract, fast_full, pages = engine_seconds(files, "pdfium", args.repeat)
    slow_extract, slow_full, _ = engine_seconds(files, "pdfplumber", 1)
    poppler = pdftotext_seconds(files, args.repeat)
    results = {
        "files": len(files), "pages": pages,
        "pdfium_pages_per_s_extract": round(pages / fast_extract, 1),
        "pdfium_pages_per_s_full": round(pages / fast_full, 1),
        "pdfplumber_pages_per_s_extract": round(pages / slow_extract, 1),
        "pdfplumber_pages_per_s_full": round(pages / slow_full, 1),
        "speedup_vs_pdfplumber_extract": round(slow_extract / fast_extract, 1),
        "speedup_vs_pdfplumber_full": round(slow_full / fast_full, 1),
    }
    if poppler is not None:
        results.update({
            "pdftotext_pages_per_s": round(pages / poppler, 1),
            "time_vs_pdftotext_extract": round(fast_extract / poppler, 2),
            "time_vs_pdftotext_full": round(fast_full / poppler, 2),
        })
    small_mb, _ = peak_memory_mb(files, 1)
    large_mb, _ = peak_memory_mb(files, 5)
    _, one_job = peak_memory_mb(files, 3, jobs=1)
    _, two_jobs = peak_memory_mb(files, 3, jobs=2)
    results.update({
        "peak_rss_mb_1x_corpus": round(small_mb, 1), "peak_rss_mb_5x_corpus": round(large_mb, 1),
        "memory_ratio_5x_vs_1x": round(large_mb / small_mb, 2),
        "jobs1_seconds_3x": round(one_job, 2), "jobs2_seconds_3x": round(two_jobs, 2),
        "jobs2_speedup": round(one_job / two_jobs, 2),
    })
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
