"""Names folded for matching and minting IRIs: plain string functions, no spaCy, so resolution,
entity cards and evaluation load without the language model."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = "\"'“”‘’`[]()«»"
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@lru_cache(maxsize=1 << 16)  # a corpus names the same few thousand entities over and over
def normalise(name: str) -> str:
    """A name's matching key: case, accents, quotes, hyphens, a leading 'the' and possessives folded.

    >>> normalise("The Islamic-State’s")
    'islamic state'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _POSSESSIVE.sub("", text.strip(_QUOTES + " "))
    text = re.sub(r"[\-‐–—_/]", " ", text.lower())
    text = re.sub(r"[^\w\s]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def slug(text: str) -> str:
    return normalise(text).replace(" ", "-")[:80] or "x"


def clean_name(text: str) -> str:
    """The name as written, without wrapping quotes, a leading 'the' or a trailing possessive."""
    text = text.strip(_QUOTES + " ,")
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return _POSSESSIVE.sub("", text).strip(_QUOTES + " ,")
