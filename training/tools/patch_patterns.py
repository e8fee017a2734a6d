"""Replace the patterns of some codes in a codebook file, keeping the rest of the file as written.

Usage: python training/tools/patch_patterns.py BASE.yaml PATCH.yaml [PATCH.yaml …] --out OUT.yaml
A patch is YAML mapping code ids to their complete new list of patterns:
  hidden_men:
    - {id: core, phrases: ["hidden men", "invisible men"]}
Each code's ``patterns:`` key must be the last key of its block (as in codebooks/safeguarding.yaml).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml


def patch(text: str, replacements: dict[str, list[dict]]) -> str:
    lines = text.splitlines()
    starts = {m.group(1): i for i, line in enumerate(lines) if (m := re.match(r"^  - id: (\S+)\s*$", line))}
    for code, patterns in replacements.items():
        if code not in starts:
            raise SystemExit(f"code {code!r} not found in the base codebook")
        begin = starts[code]
        end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith("  - id: ") or
                    (lines[i] and not lines[i].startswith(" "))), len(lines))
        key = next((i for i in range(begin, end) if lines[i].startswith("    patterns:")), None)
        if key is None:
            raise SystemExit(f"code {code!r} has no patterns key")
        tail = end
        while tail > key and not lines[tail - 1].strip():
            tail -= 1
        dumped = yaml.safe_dump(patterns, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
        block = ["    patterns:"] + ["      " + ln if ln else ln for ln in dumped.rstrip().splitlines()]
        lines[key:tail] = block
        starts = {m.group(1): i for i, line in enumerate(lines) if (m := re.match(r"^  - id: (\S+)\s*$", line))}
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    if "--out" not in argv:
        raise SystemExit(__doc__)
    out = Path(argv[argv.index("--out") + 1])
    paths = [a for a in argv[: argv.index("--out")]]
    text = Path(paths[0]).read_text(encoding="utf-8")
    for patch_path in paths[1:]:
        text = patch(text, yaml.safe_load(Path(patch_path).read_text(encoding="utf-8")) or {})
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
