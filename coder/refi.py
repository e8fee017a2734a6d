"""REFI-QDA codebook exchange (.qdc): take codes to and from NVivo, ATLAS.ti, MAXQDA and QualCoder.

QDC has no fields for criteria, aliases or ids, so they travel inside each code's Description as
labelled lines ("Id:", "Include:", "Exclude:", "Aliases:"), which import reads back.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from coder.codebook import Code, Codebook, Group
from coder.errors import CodebookError
from coder.files import write_atomic

NS = "urn:QDA-XML:codebook:1.0"
_NAMESPACE_UUID = uuid.UUID("5b0f5d3e-8c1a-4d55-9b0e-1c6f2f0a7e11")
_PALETTE = {"practice": "#1F77B4", "system": "#FF7F0E", "context": "#2CA02C"}
_FIELDS = ("Id", "Include", "Exclude", "Aliases", "Polarities")


def stable_guid(*parts: str) -> str:
    """A GUID derived from its parts: the same object gets the same GUID in every export."""
    return str(uuid.uuid5(_NAMESPACE_UUID, "|".join(parts)))


def code_guid(codebook_name: str, code_id: str) -> str:
    """A GUID that stays the same for the same code across exports, so re-imports merge."""
    return str(uuid.uuid5(_NAMESPACE_UUID, f"{codebook_name}:{code_id}"))


def codes_element(parent: ET.Element, codebook: Codebook, ns: str = NS) -> ET.Element:
    """Append ``<Codes>`` for the codebook under ``parent``: groups become non-codable parent codes."""
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    elements: dict[str, ET.Element] = {}
    for group in codebook.groups:
        element = ET.SubElement(codes, f"{{{ns}}}Code", guid=code_guid(codebook.name, f"group:{group.id}"),
                                name=group.label, isCodable="false", color=_PALETTE.get(group.id, "#7F7F7F"))
        ET.SubElement(element, f"{{{ns}}}Description").text = (
            f"{group.description}\n\nId: group:{group.id}\nPolarities: {', '.join(group.polarities)}".strip())
        elements[f"group:{group.id}"] = element
    for code in codebook.codes:
        above = elements[code.parent] if code.parent in elements else elements[f"group:{code.group}"]
        element = ET.SubElement(above, f"{{{ns}}}Code", guid=code_guid(codebook.name, code.id), name=code.label,
                                isCodable="true", color=_PALETTE.get(code.group, "#7F7F7F"))
        ET.SubElement(element, f"{{{ns}}}Description").text = _description(code)
        elements[code.id] = element
    return codes


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook as a REFI-QDA .qdc file."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}CodeBook", origin=f"coder {codebook.identity}")
    codes_element(root, codebook)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return write_atomic(path, lambda tmp: tree.write(tmp, encoding="utf-8", xml_declaration=True))


def _description(code: Code) -> str:
    lines = [code.definition.strip(), "", f"Id: {code.id}"]
    lines += [f"Include: {item}" for item in code.include]
    lines += [f"Exclude: {item}" for item in code.exclude]
    if code.aliases:
        lines.append(f"Aliases: {'; '.join(code.aliases)}")
    return "\n".join(lines)


def import_qdc(path: str | Path, *, name: str | None = None, version: str = "1") -> Codebook:
    """Read a .qdc file into a Codebook (codes without patterns or examples; add them in YAML).

    Top-level non-codable codes become groups; nested codable codes keep their parent.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise CodebookError(path, [f"not a readable QDC XML file ({error})"]) from None
    codes_element = root.find(f"{{{NS}}}Codes")
    if codes_element is None:
        raise CodebookError(path, [f"no <Codes> element in namespace {NS}; is this a REFI-QDA codebook?"])
    groups: list[Group] = []
    codes: list[Code] = []
    for top in codes_element.findall(f"{{{NS}}}Code"):
        fields, text = _parse_description(top)
        if top.get("isCodable", "true") == "false":
            group_id = fields.get("Id", [f"group:{_slug(top.get('name', 'group'))}"])[0].removeprefix("group:")
            polarities = [p.strip() for p in ", ".join(fields.get("Polarities", [])).split(",") if p.strip()]
            extra = {"polarities": tuple(polarities)} if polarities else {}
            groups.append(Group(id=group_id, label=top.get("name", group_id), description=text, **extra))
            _collect(top, group_id, None, codes)
        else:
            if not any(g.id == "imported" for g in groups):
                groups.append(Group(id="imported", label="Imported codes"))
            _collect_one(top, "imported", None, codes)
    return Codebook(codebook=name or _slug(path.stem).replace("_", "-"), version=version,
                    description=f"Imported from {path.name}", groups=tuple(groups), codes=tuple(codes))


def _collect(element: ET.Element, group: str, parent: str | None, out: list[Code]) -> None:
    for child in element.findall(f"{{{NS}}}Code"):
        _collect_one(child, group, parent, out)


def _collect_one(element: ET.Element, group: str, parent: str | None, out: list[Code]) -> None:
    fields, text = _parse_description(element)
    label = element.get("name", "code")
    code_id = fields.get("Id", [_slug(label)])[0]
    aliases = tuple(a.strip() for a in "; ".join(fields.get("Aliases", [])).split(";") if a.strip())
    out.append(Code(id=code_id, label=label, group=group, parent=parent,
                    definition=text or f"{label} (no description in the imported codebook)",
                    include=tuple(fields.get("Include", ())), exclude=tuple(fields.get("Exclude", ())),
                    aliases=aliases))
    _collect(element, group, code_id, out)


def _parse_description(element: ET.Element) -> tuple[dict[str, list[str]], str]:
    node = element.find(f"{{{NS}}}Description")
    fields: dict[str, list[str]] = {}
    prose: list[str] = []
    for line in (node.text or "").splitlines() if node is not None else []:
        key, _, value = line.partition(": ")
        if key in _FIELDS and value:
            fields.setdefault(key, []).append(value.strip())
        else:
            prose.append(line)
    return fields, "\n".join(prose).strip()


def _slug(text: str) -> str:
    import re

    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug if slug and slug[0].isalpha() else f"code_{slug}"


def codebook_to_yaml(codebook: Codebook) -> str:
    """The codebook as YAML in the project's format (for saving an imported codebook)."""
    import yaml

    data = codebook.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
