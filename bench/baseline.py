"""The benchmark's baseline: spaCy alone, `nlp.pipe` over the texts `kg build` parses.

Same pipeline (the model and the gazetteer ruler), same texts (each article's kept segments),
same batch size and number of processes; no extraction, no RDF, no store. Run as a separate
process so its wall time includes what `kg build`'s does: starting Python, importing spaCy and
loading the model.

    python -m bench.baseline FOLDER --workers 2
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    from kg.corpus import read_corpus
    from kg.nlp import load_pipeline

    nlp = load_pipeline()
    docs, _ = read_corpus(args.folder)
    texts = [seg.text for d in docs for seg in d.segments]
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.workers):
        tokens += len(doc)
    print(tokens)


if __name__ == "__main__":
    main()
