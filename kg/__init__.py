"""kg: turn news reports on armed conflict into a validated, queryable knowledge graph.

The pipeline runs one way: corpus -> extract -> resolve -> rdf -> store -> validate -> query/export.
"""

from .build import build
from .errors import KGError
from .evaluate import evaluate, read_gold
from .store import dump, open_store, query
from .validate import validate_store

__all__ = ["build", "evaluate", "read_gold", "dump", "open_store", "query", "validate_store", "KGError"]
__version__ = "0.1.0"
