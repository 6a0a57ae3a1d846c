"""`kg eval`: precision, recall and F1 per relation of the built graph against a gold TSV.

Gold rows are (doc, subject, relation, object, modality, evidence). A gold fact is found when
the document's graph holds a binary fact of the same relation whose subject and object match
the gold names: a label or alias equal after folding case, punctuation, a leading 'the'/'al-'
and the gazetteer's aliases (ISIS = IS = Islamic State), or, for described groups, one name
containing the other's distinctive words. Negated gold rows are facts the graph must not hold.

>>> names_match({"Abu Bakr al-Baghdadi", "al-Baghdadi"}, "Al-Baghdadi")
True
>>> names_match({"ISIL fighters"}, "IS fighters")
True
>>> names_match({"Iraqi parliament"}, "Iraqi forces")
False
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .errors import GoldFileError
from .names import normalise
from .model import Relation
from .resources import load_gazetteer
from .store import DOC_GRAPH_PREFIX
from .terms import PREFIXES

_STOP = {"the", "a", "an", "of", "its", "their", "his", "her", "own", "and", "some", "many", "in", "from", "to", "who", "with",
         "for", "on", "at", "by", "as", "that", "this", "these", "those", "other", "quite", "few", "number", "al", "el", "members",
         "member", "s"}


@dataclass(frozen=True)
class GoldFact:
    doc: str
    subject: str
    relation: Relation
    object: str
    modality: str
    evidence: str
    line: int


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    by_relation: dict[str, Scores] = field(default_factory=dict)
    total: Scores = field(default_factory=Scores)
    missed: list[GoldFact] = field(default_factory=list)
    spurious: list[tuple[str, str, str, str]] = field(default_factory=list)
    documents: int = 0


def read_gold(path: Path) -> list[GoldFact]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read gold file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise GoldFileError(f"{path}: gold file is not UTF-8 text") from None
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows or [c.strip().lower() for c in rows[0][:4]] != ["doc", "subject", "relation", "object"]:
        raise GoldFileError(f"{path}:1: expected a header 'doc subject relation object modality evidence' (tab-separated)")
    out = []
    for n, row in enumerate(rows[1:], 2):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 4:
            raise GoldFileError(f"{path}:{n}: expected at least 4 tab-separated columns, found {len(row)}")
        try:
            relation = Relation.from_gold(row[2])
        except KeyError:
            raise GoldFileError(f"{path}:{n}: unknown relation {row[2]!r}; expected one of {', '.join(r.name for r in Relation)}") from None
        out.append(GoldFact(row[0].strip(), row[1].strip(), relation, row[3].strip(),
                            (row[4].strip().lower() if len(row) > 4 else "asserted") or "asserted",
                            row[5] if len(row) > 5 else "", n))
    return out


@lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Normalised alias -> gazetteer id, and (alias, id) pairs longest first for phrase rewriting."""
    table: dict[str, str] = {}
    for e in load_gazetteer().entries:
        for name in e.names:
            table.setdefault(_fold(name), e.id)
    pairs = sorted(table.items(), key=lambda kv: -len(kv[0]))
    return table, pairs


def _fold(name: str) -> str:
    key = normalise(re.sub(r"\([^)]*\)", " ", name))
    return re.sub(r"^(?:al|el|ar|as|ash|ad) ", "", key)


def name_key(name: str) -> str:
    table, _ = _aliases()
    key = _fold(name)
    return f"@{table[key]}" if key in table else key


_NUMBERS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split())}


_IRREGULAR = {"men": "man", "women": "woman", "children": "child"}


def _word(w: str) -> str:
    """One word of a description, folded: number words as digits, plurals as singulars."""
    w = _IRREGULAR.get(w) or _NUMBERS.get(w, w).replace(",", "")
    if len(w) > 3 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def distinctive(name: str) -> frozenset[str]:
    """The words that tell a description apart, aliases folded to one token.

    >>> sorted(distinctive("six men accused of smuggling"))
    ['6', 'accused', 'man', 'smuggling']
    """
    _, pairs = _aliases()
    text = f" {_fold(name)} "
    for alias, gid in pairs:
        if f" {alias} " in text:
            text = text.replace(f" {alias} ", f" @{gid} ")
    return frozenset(_word(w) for w in text.split() if w not in _STOP)


def names_match(names: set[str], gold: str) -> bool:
    """Equal names or aliases; or descriptions of a group where one holds the other's words, or
    two thirds of the shorter one's words (descriptions differ in how much they take in:
    "Around 50 people" and "around 50 fighters in areas near the border")."""
    gkey = name_key(gold)
    if any(name_key(n) == gkey for n in names):
        return True
    gwords = distinctive(gold)
    for n in names:
        words = distinctive(n)
        if not words or not gwords:
            continue
        if words <= gwords or gwords <= words:
            return True
        shorter = min(len(words), len(gwords))
        if shorter >= 2 and len(words & gwords) * 3 >= shorter * 2:
            return True
    return False


def _same_name(names: frozenset[str], gold: str) -> bool:
    gkey = name_key(gold)
    return any(name_key(n) == gkey for n in names)


def graph_facts(store: ox.Store) -> dict[str, list[tuple[Relation, set[str], set[str], str, str]]]:
    """Document id -> binary facts in its graph, each with every name of subject and object."""
    props = " ".join(f"kg:{r.value}" for r in Relation)
    q = f"""
    PREFIX kg: <{PREFIXES['kg']}>
    PREFIX rdfs: <{PREFIXES['rdfs']}>
    PREFIX skos: <{PREFIXES['skos']}>
    SELECT ?g ?s ?p ?o ?sl ?ol WHERE {{
      VALUES ?p {{ {props} }}
      GRAPH ?g {{ ?s ?p ?o }}
      ?s rdfs:label ?sl . ?o rdfs:label ?ol .
    }}"""
    names_q = f"""
    PREFIX rdfs: <{PREFIXES['rdfs']}>
    PREFIX skos: <{PREFIXES['skos']}>
    SELECT ?e ?n WHERE {{ {{ ?e rdfs:label ?n }} UNION {{ ?e skos:altLabel ?n }} }}"""
    names: dict[str, set[str]] = defaultdict(set)
    for row in store.query(names_q, use_default_graph_as_union=True):
        names[row["e"].value].add(row["n"].value)
    out: dict[str, list] = defaultdict(list)
    for row in store.query(q, use_default_graph_as_union=True):
        g = row["g"].value
        if not g.startswith(DOC_GRAPH_PREFIX):
            continue
        relation = Relation(row["p"].value.rsplit("#", 1)[-1])
        s, o = row["s"].value, row["o"].value
        out[g[len(DOC_GRAPH_PREFIX):]].append((relation, names[s], names[o], row["sl"].value, row["ol"].value))
    return out


def evaluate(store: ox.Store, gold: list[GoldFact]) -> EvalReport:
    facts = graph_facts(store)
    report = EvalReport(by_relation={r.name: Scores() for r in Relation})
    docs = sorted({g.doc for g in gold})
    report.documents = len(docs)
    for doc in docs:
        # one row per (subject, relation, object): a triple stated twice in a document is one fact
        expected: list[GoldFact] = []
        seen: set = set()
        for g in gold:
            if g.doc != doc or g.modality == "negated":
                continue
            k = (name_key(g.subject), g.relation, name_key(g.object))
            if k not in seen:
                seen.add(k)
                expected.append(g)
        predicted = list({(r, frozenset(sn), frozenset(on), sl, ol) for r, sn, on, sl, ol in facts.get(doc, [])})
        predicted.sort(key=lambda p: (p[0].value, p[3], p[4]))
        used: set[int] = set()
        hits: dict[int, int] = {}
        # exact names first, so a loose description match cannot take another row's fact
        for exact in (True, False):
            for n, g in enumerate(expected):
                if n in hits:
                    continue
                for i, (r, sn, on, _, _) in enumerate(predicted):
                    if i in used or r is not g.relation:
                        continue
                    if exact:
                        ok = _same_name(sn, g.subject) and _same_name(on, g.object)
                    else:
                        ok = names_match(set(sn), g.subject) and names_match(set(on), g.object)
                    if ok:
                        hits[n] = i
                        used.add(i)
                        break
        for n, g in enumerate(expected):
            if n in hits:
                report.by_relation[g.relation.name].tp += 1
            else:
                report.by_relation[g.relation.name].fn += 1
                report.missed.append(g)
        for i, (r, sn, on, sl, ol) in enumerate(predicted):
            if i in used:
                continue
            report.by_relation[r.name].fp += 1
            report.spurious.append((doc, sl, r.name, ol))
    for s in report.by_relation.values():
        report.total.tp += s.tp
        report.total.fp += s.fp
        report.total.fn += s.fn
    return report
