"""Exports from the store: flat codings (CSV, JSON Lines), training data, and a REFI-QDA project."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from coder.codebook import Codebook
from coder.files import write_atomic, write_text_atomic
from coder.outputs import write_csv
from coder.refi import code_guid, codes_element, stable_guid
from coder.store import Store

PROJECT_NS = "urn:QDA-XML:project:1.0"
FLAT_COLUMNS = ("key", "document_id", "path", "title", "review_type", "year", "area", "section_path", "section_type",
                "page_start", "page_end", "paragraph_number", "code", "polarity", "confidence", "band", "source",
                "rules", "model", "probability", "evidence", "start", "end", "decision", "corrected_code",
                "corrected_polarity", "reviewer", "comment", "codebook", "run_id")


def export_flat(store: Store, path: str | Path, fmt: str, **filters: Any) -> int:
    """Write codings (with their latest review) as CSV or JSON Lines; returns the row count."""
    rows = [{k: r.get(k) for k in FLAT_COLUMNS} for r in store.coding_rows(**filters)]
    for row in rows:
        row["section_path"], row["rules"] = " > ".join(row["section_path"]), ", ".join(row["rules"])
    if fmt == "csv":
        write_csv(path, FLAT_COLUMNS, rows)
    else:
        write_text_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return len(rows)


def export_training(store: Store, path: str | Path) -> int:
    """Verified paragraphs in the training format (``{"id", "text", "section", "codes"}``)."""
    paragraphs = store.verified_paragraphs()
    write_text_atomic(path, "".join(json.dumps({**p, "origin": "verified"}, ensure_ascii=False) + "\n" for p in paragraphs))
    return len(paragraphs)


def export_qdpx(store: Store, path: str | Path, codebook: Codebook, *, name: str = "coder project") -> Path:
    """A REFI-QDA project: sources as plain text, the codebook, and codings as coded selections.

    The machine coders and each reviewer appear as Users. Rejected codings are left out; changed
    ones point at the corrected code. Positions count Unicode code points in the source text.
    """
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.register_namespace("", PROJECT_NS)
    q = lambda tag: f"{{{PROJECT_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("Project"), name=name, origin="coder", creationDateTime=now)
    rows = store.coding_rows()
    coders = sorted({_coder_name(r) for r in rows} | {r["reviewer"] for r in rows if r["reviewer"]})
    users = ET.SubElement(root, q("Users"))
    for coder_name in coders:
        ET.SubElement(users, q("User"), guid=stable_guid("user", coder_name), name=coder_name)
    codebook_element = ET.SubElement(root, q("CodeBook"))
    codes_element(codebook_element, codebook, PROJECT_NS)
    variables = ET.SubElement(root, q("Variables"))
    for variable, kind in (("review_type", "Text"), ("year", "Integer"), ("area", "Text")):
        ET.SubElement(variables, q("Variable"), guid=stable_guid("variable", variable), name=variable, typeOfVariable=kind)
    sources = ET.SubElement(root, q("Sources"))
    texts: dict[str, str] = {}
    by_document: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_document.setdefault(row["document_id"], []).append(row)
    for document in store.documents():
        source_guid = stable_guid("source", document["id"])
        texts[source_guid] = store.document_text(document["id"])
        source = ET.SubElement(sources, q("TextSource"), guid=source_guid, name=Path(document["path"]).name,
                               plainTextPath=f"internal://{source_guid}.txt", creationDateTime=now)
        for row in by_document.get(document["id"], []):
            if row["decision"] == "reject":
                continue
            user = stable_guid("user", row["reviewer"] or _coder_name(row))
            code = row["corrected_code"] or row["code"]
            selection = ET.SubElement(source, q("PlainTextSelection"), guid=stable_guid("selection", row["key"]), name=code,
                                      startPosition=str(row["start"]), endPosition=str(row["end"]),
                                      creatingUser=user, creationDateTime=now)
            ET.SubElement(selection, q("Description")).text = (
                f"polarity={row['corrected_polarity'] or row['polarity']}; confidence={row['confidence']}; "
                f"source={row['source']}; rules={', '.join(row['rules'])}; model={row['model'] or ''}; "
                f"decision={row['decision'] or 'unreviewed'}")
            coding = ET.SubElement(selection, q("Coding"), guid=stable_guid("coding", row["key"]), creatingUser=user,
                                   creationDateTime=now)
            ET.SubElement(coding, q("CodeRef"), targetGUID=code_guid(codebook.name, code))
        for variable in ("review_type", "year", "area"):
            value = document.get(variable)
            if value not in (None, ""):
                holder = ET.SubElement(source, q("VariableValue"))
                ET.SubElement(holder, q("VariableRef"), targetGUID=stable_guid("variable", variable))
                ET.SubElement(holder, q("IntegerValue" if variable == "year" else "TextValue")).text = str(value)
    tree = ET.ElementTree(root)
    ET.indent(tree)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("project.qde", "w") as handle:
                tree.write(handle, encoding="utf-8", xml_declaration=True)
            for guid, text in texts.items():
                archive.writestr(f"Sources/{guid}.txt", text.encode("utf-8"))

    return write_atomic(path, write)


def _coder_name(row: dict[str, Any]) -> str:
    return f"coder {row['source']}"
