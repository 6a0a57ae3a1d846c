"""The query library in queries/*.rq: find a query by name, read its header, bind parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError
from .resources import QUERIES_DIR
from .terms import PREFIXES

_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s*(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str

    @property
    def description(self) -> str:
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            body = line.lstrip("#").strip()
            if body and not body.startswith("@"):
                lines.append(body)
        return " ".join(lines)

    @property
    def params(self) -> dict[str, str]:
        return {m.group(1): m.group(2).strip() for m in _PARAM.finditer(self.text)}


def declared_params(text: str) -> list[str]:
    return [m.group(1) for m in _PARAM.finditer(text)]


def library(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    return {p.stem: NamedQuery(p.stem, p, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))}


def resolve_query(spec: str, folder: Path = QUERIES_DIR) -> tuple[str, str]:
    """A query given as a library name, a .rq file, or inline SPARQL -> (label, text)."""
    queries = library(folder)
    if spec in queries:
        return spec, queries[spec].text
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 300 and "\n" not in spec and path.is_file()):
        try:
            return str(path), path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read query ({exc.strerror or exc})") from None
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.IGNORECASE) or _UPDATE.search(spec):
        return "inline query", spec
    close = [n for n in queries if spec.lower() in n or n in spec.lower()]
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known queries: {', '.join(queries)}"
    raise QueryError(f"no query named {spec!r}{hint}")


def with_prefixes(text: str) -> str:
    """Add the ontology's prefixes a query uses but does not declare."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+(\w*):", text, re.IGNORECASE)}
    header = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared and f"{p}:" in text)
    return header + text


def is_update(text: str) -> bool:
    body = re.sub(r"#[^\n]*", "", text)
    body = re.sub(r"PREFIX\s+\w*:\s*<[^>]*>", "", body, flags=re.IGNORECASE)
    return bool(_UPDATE.search(body))


def check_read_only(text: str) -> None:
    if is_update(text):
        raise QueryError("SPARQL UPDATE changes the store; 'kg query' only reads it unless given --update")


def bind(params: dict[str, str]) -> dict[ox.Variable, ox.Literal]:
    """Parameters become literal substitutions, never text pasted into the query.

    Parameters name entities, matched in any case: values are bound in lower case, to be
    looked up among the entities' skos:hiddenLabel (every name, lower-cased).

    >>> bind({"org": "ISIL"})
    {<Variable value=org>: <Literal value=isil datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>}
    """
    return {ox.Variable(k): ox.Literal(v.lower()) for k, v in params.items()}
