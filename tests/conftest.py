from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from spacy.lang.en import English

from kg.build import build
from kg.nlp import add_gazetteer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seed articles built once into a store shared by the read-only tests."""
    store = tmp_path_factory.mktemp("seed") / "store"
    report = build(SEEDS, store)
    return store, report


@pytest.fixture(scope="session")
def seed_store(seed_build):
    return seed_build[0]


@pytest.fixture()
def store_copy(seed_store, tmp_path):
    """A private copy of the seed store for tests that write."""
    dest = tmp_path / "store"
    shutil.copytree(seed_store, dest)
    return dest


@pytest.fixture(scope="session")
def blank_nlp():
    """A blank English pipeline with the gazetteer ruler: fast, no statistical model."""
    return add_gazetteer(English())
