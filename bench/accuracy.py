"""Accuracy of the extractor: `kg eval` on the seed gold and on the dev2 passages.

dev2 stays outside the project (its passages are quoted from their publishers for evaluation
only): this script reads it from ../shared/eval/dev2, builds it into a temporary store and scores
it there. Run with `make eval` or `python -m bench.accuracy [--errors]`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kg.build import build
from kg.evaluate import EvalReport, evaluate, read_gold
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "seeds": (ROOT / "seeds", ROOT / "tests" / "data" / "seeds-gold.tsv"),
    "dev2": (SHARED / "dev2" / "docs", SHARED / "dev2" / "gold.tsv"),
}


def score(name: str, docs: Path, gold: Path) -> EvalReport:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        report = build(docs, store)
        if not report.conforms:
            print(f"{name}: graph not SHACL-conformant ({len(report.violations)} violations)")
        return evaluate(open_store(store, read_only=True), read_gold(gold))


def show(name: str, r: EvalReport, errors: bool) -> None:
    print(f"\n{name}: {r.documents} documents")
    print(f"  {'relation':14} {'gold':>5} {'found':>6} {'spur':>5} {'P':>5} {'R':>5} {'F1':>5}")
    for rel, s in [*r.by_relation.items(), ("ALL", r.total)]:
        print(f"  {rel:14} {s.tp + s.fn:5d} {s.tp:6d} {s.fp:5d} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}")
    if errors:
        for g in r.missed:
            print(f"  missed    {g.doc[:30]:30} {g.subject[:40]} {g.relation.name} {g.object[:40]}")
        for doc, s, rel, o in r.spurious:
            print(f"  spurious  {doc[:30]:30} {s[:40]} {rel} {o[:40]}")


def main(argv: list[str]) -> int:
    errors = "--errors" in argv
    for name, (docs, gold) in SETS.items():
        if not docs.exists():
            print(f"{name}: {docs} not found, skipped")
            continue
        show(name, score(name, docs, gold), errors)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
