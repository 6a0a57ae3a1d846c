"""Places in GeoNames: coordinates where the data knows the place, nothing where it does not,
and SHACL catches coordinates that cannot be right."""

import pyoxigraph as ox
import pytest

from kg.geocode import Gazetteer, locate_places
from kg.model import Entity, Kind
from kg.rdf import entity_quads
from kg.validate import validate_quads, validate_store

from .test_validate import ID, graph_with

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.open()


def place(label, *alts):
    return Entity(iri=ID + "place/" + label.lower().replace(" ", "-"), kind=Kind.PLACE, label=label, alt_labels=alts)


def test_well_known_cities_and_countries_are_located(gazetteer):
    mosul = gazetteer.locate(["Mosul"])
    assert (mosul.country_code, mosul.feature, mosul.iri) == ("IQ", "city", "https://sws.geonames.org/99072/")
    assert abs(mosul.lat - 36.34) < 0.05 and abs(mosul.long - 43.12) < 0.05
    syria = gazetteer.locate(["Syria"])
    assert syria.feature == "country" and 32 < syria.lat < 37.5 and 35.5 < syria.long < 42.5


def test_spellings_and_articles_reach_the_same_place(gazetteer):
    ids = {gazetteer.locate([name]).geonames_id for name in ("Raqqa", "Ar-Raqqah", "al-Raqqah", "RAQQA")}
    assert len(ids) == 1


def test_transliterations_that_double_or_drop_letters_still_match(gazetteer):
    # GeoNames spells them "Tall 'Afar" and "Al Hawijah"; an exact spelling always wins first
    iraq = frozenset({"IQ"})
    assert gazetteer.locate(["Tal Afar"], iraq).name == "Tall ‘Afar"
    assert gazetteer.locate(["al-Hawija"], iraq).country_code == "IQ"


def test_areas_and_unknown_names_are_not_guessed(gazetteer):
    # a province is not the town it is named after, and an unknown name gets no point
    assert gazetteer.locate(["Kirkuk province"]) is None
    assert gazetteer.locate(["Qaryat Zzyzx al-Nowhere"]) is None


def test_a_town_in_a_country_the_corpus_names_beats_a_bigger_namesake(gazetteer):
    # Palmyra is also a town's other name in Brazil; in a corpus about Syria it is Tadmur
    assert gazetteer.locate(["Palmyra"], frozenset({"SY"})).country_code == "SY"
    located = locate_places([place("Syria"), place("Palmyra")])
    assert located[place("Palmyra").iri].country_code == "SY"


def test_located_places_get_coordinates_and_a_geonames_link_that_validate():
    mosul, nowhere = place("Mosul"), place("Wadi Zzyzx")
    quads = list(entity_quads([mosul, nowhere], locate_places([mosul, nowhere])))
    about = {(q.subject.value, q.predicate.value): q.object for q in quads}
    assert about[(mosul.iri, GEO + "lat")].datatype.value.endswith("#decimal")
    assert about[(mosul.iri, SEE_ALSO.value)] == ox.NamedNode("https://sws.geonames.org/99072/")
    assert (nowhere.iri, GEO + "lat") not in about
    store = graph_with()
    store.extend(quads)
    assert validate_store(store).conforms


def _located(lat="36.3", long="43.1", see_also="https://sws.geonames.org/99072/", cls="Place"):
    store = graph_with(("place/m", cls, "M"))
    g = ox.NamedNode(ID + "graph/entities")
    m = ox.NamedNode(ID + "place/m")
    dec = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    store.extend([ox.Quad(m, ox.NamedNode(GEO + "lat"), ox.Literal(lat, datatype=dec), g),
                  ox.Quad(m, ox.NamedNode(GEO + "long"), ox.Literal(long, datatype=dec), g),
                  ox.Quad(m, SEE_ALSO, ox.NamedNode(see_also), g),
                  ox.Quad(m, ox.NamedNode("http://www.geonames.org/ontology#countryCode"), ox.Literal("IQ"), g),
                  ox.Quad(m, ox.NamedNode("http://www.geonames.org/ontology#featureClass"),
                          ox.NamedNode("http://www.geonames.org/ontology#P"), g)])
    return validate_quads(list(store))


@pytest.mark.parametrize("change, message", [
    ({"lat": "136.3"}, "-90 to 90"),
    ({"long": "-190"}, "-180 to 180"),
    ({"see_also": "https://www.geonames.org/99072/mosul.html"}, "GeoNames resource"),
    ({"cls": "Person"}, "only a Place has coordinates"),
])
def test_impossible_coordinates_and_links_are_reported(change, message):
    report = _located(**change)
    assert not report.conforms
    assert any(message in v.message for v in report.violations), [v.message for v in report.violations]


def test_a_well_formed_located_place_conforms():
    assert _located().conforms


def test_seed_graph_locates_its_cities_and_leaves_provinces_bare(seed_store):
    from kg.store import opened

    with opened(seed_store, read_only=True) as store:
        rows = {r["l"].value: r for r in store.query(
            "PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> PREFIX kg: <https://w3id.org/newskg/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?l ?lat WHERE { ?e a kg:Place ; rdfs:label ?l OPTIONAL { ?e geo:lat ?lat } }", use_default_graph_as_union=True)}
    assert rows["Mosul"]["lat"] is not None and rows["Syria"]["lat"] is not None
    assert all(r["lat"] is None for label, r in rows.items() if label.endswith("province"))


def test_descriptive_names_are_not_put_at_a_small_town_of_that_name(gazetteer):
    # there are towns called Old City and Middle East in the United States
    us = frozenset({"US"})
    assert gazetteer.locate(["Middle East"], us) is None
    assert gazetteer.locate(["Old City"], us) is None


def test_a_town_leans_on_the_countries_named_in_its_own_reports():
    # a village named Hiran lies in Iraq; a report on Somalia that names Hiran does not mean it
    iraq, somalia, hiran = place("Iraq"), place("Somalia"), place("Hiran")
    docs = {iraq.iri: {"a"}, somalia.iri: {"b"}, hiran.iri: {"b"}}
    assert hiran.iri not in locate_places([iraq, somalia, hiran], docs)
    docs[hiran.iri] = {"a"}
    assert locate_places([iraq, somalia, hiran], docs)[hiran.iri].country_code == "IQ"


def test_a_damaged_index_is_built_again(tmp_path, monkeypatch):
    from kg import geocode

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    (tmp_path / f"geonames-{geocode.data_version()}-{geocode.SCHEMA}.sqlite").write_bytes(b"not a database" * 100)
    assert Gazetteer.open().locate(["Mosul"]).country_code == "IQ"
