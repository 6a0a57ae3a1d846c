"""The exceptions `kg` raises. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error `kg` raises on purpose; `exit_code` is what the CLI exits with."""

    exit_code = 2


class InputError(KGError):
    """The input folder or a document in it cannot be read as an article."""


class StoreError(KGError):
    """The store is missing, locked by another process, or damaged."""


class StoreLockedError(StoreError):
    """Another process holds the store."""


class QueryError(KGError):
    """A SPARQL query is malformed, unknown by name, or not allowed."""


class GoldFileError(KGError):
    """A gold file for `kg eval` is missing or not in the expected TSV format."""


class OntologyError(KGError):
    """The ontology, shapes or gazetteer shipped with `kg` cannot be read."""
