"""Codebooks: load a YAML file, validate all of it at once, and expose codes by id.

The codebook's identity is the SHA-256 of its canonical JSON form, so reformatting the YAML does
not change it but any change to a code, example or pattern does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coder.errors import CodebookError

Polarity = Literal["shortfall", "good_practice", "recommendation", "context"]
POLARITIES: tuple[str, ...] = Polarity.__args__  # type: ignore[attr-defined]
# libyaml when installed: the default codebook parses in 0.1 s instead of 1.7 s.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_CODEBOOK = Path(__file__).resolve().parent.parent / "codebooks" / "safeguarding.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Example(_Frozen):
    text: str = Field(min_length=1)
    polarity: Polarity


class Examples(_Frozen):
    positive: tuple[Example, ...] = ()
    negative: tuple[str, ...] = ()


class Pattern(_Frozen):
    """One rule: plain or inflected phrases, terms near each other, or a raw spaCy token pattern."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    phrases: tuple[str, ...] | None = None
    near: tuple[tuple[str, ...], ...] | None = None
    window: int = Field(default=8, ge=1, le=40)
    tokens: tuple[dict[str, Any], ...] | None = None
    unless: tuple[str, ...] = ()
    polarity: Polarity | None = None
    # A weak pattern is evidence that needs corroboration: on its own it codes nothing; two weak
    # hits of the same code (another pattern, or the same pattern in another sentence) do.
    weak: bool = False


class Group(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str = ""
    polarities: tuple[Polarity, ...] = POLARITIES  # type: ignore[assignment]


class Code(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    group: str
    parent: str | None = None
    definition: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    examples: Examples = Examples()
    patterns: tuple[Pattern, ...] = ()

    @field_validator("definition")
    @classmethod
    def _definition_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("definition is empty; say in a sentence or two what the code means")
        return value


class Codebook(_Frozen):
    """A validated codebook. Behaves like a read-only mapping from code id to Code."""

    codebook: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str
    description: str = ""
    polarities: tuple[Polarity, ...] = POLARITIES  # type: ignore[assignment]
    groups: tuple[Group, ...]
    polarity_cues: dict[Polarity, tuple[str, ...]] = {}
    not_applicable_cues: tuple[str, ...] = ()
    codes: tuple[Code, ...]

    @property
    def name(self) -> str:
        return self.codebook

    @cached_property
    def sha256(self) -> str:
        # Defaults left out, so a new optional key does not change the identity of existing codebooks.
        canonical = json.dumps(self.model_dump(mode="json", exclude_defaults=True), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def identity(self) -> str:
        """``name@version#hash8``: what every coding records."""
        return f"{self.codebook}@{self.version}#{self.sha256[:8]}"

    @cached_property
    def _by_id(self) -> dict[str, Code]:
        return {code.id: code for code in self.codes}

    @cached_property
    def _groups(self) -> dict[str, Group]:
        return {group.id: group for group in self.groups}

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._by_id[code_id]
        except KeyError:
            raise KeyError(f"Code {code_id!r} is not in codebook {self.identity}; "
                           f"available: {', '.join(sorted(self._by_id))}") from None

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(code.id for code in self.codes)

    def group_of(self, code_id: str) -> Group:
        return self._groups[self[code_id].group]

    def allowed_polarities(self, code_id: str) -> tuple[str, ...]:
        return self.group_of(code_id).polarities

    def children(self, code_id: str) -> tuple[Code, ...]:
        return tuple(code for code in self.codes if code.parent == code_id)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook file; the default is ``codebooks/safeguarding.yaml``.

    Raises:
        CodebookError: listing every problem found, each with its YAML line and code id.
    """
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    if not path.is_file():
        raise CodebookError(path, [f"file not found: {path}; pass the path of a codebook YAML file"])
    text = path.read_text(encoding="utf-8")
    loader = _YAML_LOADER(text)
    try:  # parse once: the node tree's marks give each problem its line, and it builds the data
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise CodebookError(path, [f"{where}not valid YAML ({getattr(error, 'problem', error)})"]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise CodebookError(path, ["the file must be a YAML mapping with keys codebook, version, groups, codes"])
    problems: list[str] = []
    try:
        codebook = Codebook.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            problems.append(_describe(item, data, root))
        raise CodebookError(path, problems) from None
    problems.extend(_semantic_problems(codebook, root))
    if problems:
        raise CodebookError(path, problems)
    return codebook


def _describe(item: dict[str, Any], data: dict[str, Any], root: yaml.Node | None) -> str:
    location = tuple(item["loc"])
    where = " -> ".join(str(part) for part in location)
    code_id = _code_id_at(location, data)
    line = _line_of(root, location)
    value = item.get("input")
    shown = f"; got {value!r}" if item["type"] != "missing" and not isinstance(value, (dict, list)) else ""
    prefix = f"line {line}" if line else "file"
    code = f" (code {code_id})" if code_id else ""
    return f"{prefix}{code} [{where}]: {item['msg']}{shown}"


def _code_id_at(location: tuple[Any, ...], data: dict[str, Any]) -> str | None:
    if len(location) >= 2 and location[0] == "codes" and isinstance(location[1], int):
        codes = data.get("codes") or []
        if location[1] < len(codes) and isinstance(codes[location[1]], dict):
            return str(codes[location[1]].get("id"))
    return None


def _line_of(root: yaml.Node | None, location: tuple[Any, ...]) -> int | None:
    node = root
    for part in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                return node.start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node.start_mark.line + 1 if node is not None else None


def _semantic_problems(codebook: Codebook, root: yaml.Node | None) -> list[str]:
    from coder.rules import pattern_problems

    problems: list[str] = []
    seen: dict[str, int] = {}
    groups = {g.id for g in codebook.groups}
    ids = {c.id for c in codebook.codes}
    for index, code in enumerate(codebook.codes):
        where = f"line {_line_of(root, ('codes', index))} (code {code.id})"
        if code.id in seen:
            problems.append(f"{where}: duplicate id; also used by code #{seen[code.id] + 1}")
        seen.setdefault(code.id, index)
        if code.group not in groups:
            problems.append(f"{where}: group {code.group!r} is not defined; valid groups: {', '.join(sorted(groups))}")
        if code.parent is not None and code.parent not in ids:
            problems.append(f"{where}: parent {code.parent!r} is not a code id in this codebook")
        allowed = {g.id: g.polarities for g in codebook.groups}.get(code.group, POLARITIES)
        for example in code.examples.positive:
            if example.polarity not in allowed:
                problems.append(f"{where}: example polarity {example.polarity!r} not allowed in group "
                                f"{code.group!r}; allowed: {', '.join(allowed)}")
        pattern_ids: set[str] = set()
        for pattern in code.patterns:
            if pattern.id in pattern_ids:
                problems.append(f"{where}: pattern id {pattern.id!r} used twice in this code")
            pattern_ids.add(pattern.id)
            problems.extend(f"{where} pattern {pattern.id}: {p}" for p in pattern_problems(pattern))
    problems.extend(_cycles(codebook))
    return problems


def _cycles(codebook: Codebook) -> list[str]:
    parents = {c.id: c.parent for c in codebook.codes}
    problems = []
    for start in parents:
        seen, node = {start}, parents.get(start)
        while node is not None and node in parents:
            if node in seen:
                problems.append(f"code {start}: parent chain loops back to {node!r}; remove one parent")
                break
            seen.add(node)
            node = parents.get(node)
    return problems
