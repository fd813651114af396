"""The library holds the whole CNFPT bibliography and the whole Sonar glossary; bad files are refused precisely."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from barcamp.resources.content import ContentError, fold, load_library, load_library_from

SEEDS = Path("/work/shared/seeds")
SOURCE_004 = SEEDS / "004_e5bda2910ef16455.txt"

# Entries per section of 004_e5bda2910ef16455.txt, counted by reading the source:
# - sections I-IV: one entry per bibliographic notice = a title line (" / AUTHOR" when given)
#   followed by its source line ("Periodical, dd/mm/yyyy, p. x" or "Publisher, yyyy, n p.";
#   two notices of III have no periodical: "16/04/2019" and "09/2017, 44 p."). Lines inside a
#   summary ("Retour d'expérience : Protopolicy…", "Managers, prêts ? Designez !!!", the list
#   items of a dossier) are not notices. I: 30, II: 10, III: 25, IV: 3.
# - V: the four sites with a description (La 27e Région, Semaine de l'innovation publique, Club
#   innovation et culture, E-communautés) + the five laboratories of "Sélection de quelques
#   laboratoires" (Pôle emploi, France Stratégie, Occitanie [two links, one entry], Paris, Nantes) = 9.
# - VI: one entry per "Mooc intitulé « … »" line = 8 (the repeated course names are page headers).
EXPECTED_PER_SECTION = {
    "territoires": 30,
    "design-public": 10,
    "illustrations": 25,
    "cnfpt": 3,
    "sites": 9,
    "moocs": 8,
}
#: two links of 004 carry an extraction typo (missing letter in the host); the library has them fixed
URL_FIXES = {"www.lgazettedescommunes.com": "www.lagazettedescommunes.com",
             "www.horizonpublics.fr": "www.horizonspublics.fr"}

SONAR_TERMS = ["Capacitation", "Commun", "Crowdsourcing", "Design", "Gouvernement algorithmique", "Hackathon",
               "Impact based policy", "Jugaad", "Maîtrise d'usage", "MOOC", "Nudge", "Open data",
               "Plateforme peer to peer", "Urbanisme temporaire"]


def test_every_section_of_004_has_all_its_entries():
    library = load_library()
    counts: dict[str, int] = {}
    for item in library.entries:
        counts[item.section.slug] = counts.get(item.section.slug, 0) + 1
    assert counts == EXPECTED_PER_SECTION
    assert len(library.entries) == 85
    assert [s.number for s in library.sections] == ["I", "II", "III", "IV", "V", "VI"]


@pytest.mark.skipif(not SOURCE_004.exists(), reason="seed documents not on this machine")
def test_every_link_of_004_is_in_the_library():
    text = SOURCE_004.read_text(encoding="utf-8")
    source_urls = set()
    for url in re.findall(r"https?://[^\s>]+", text):
        for wrong, right in URL_FIXES.items():
            url = url.replace(wrong, right)
        source_urls.add(url)
    library_urls = {u for item in load_library().entries for u in [item.entry.url, *item.entry.other_urls] if u}
    assert source_urls - library_urls == set()
    assert len(source_urls) == 41  # distinct links of 004 (grep -o "https\?://[^ >]*" | sort -u | wc -l)


def test_entries_have_the_fields_of_the_source():
    by_id = load_library().by_id
    verdier = by_id["territoires-02"].entry
    assert verdier.title == '"L\'administration sait autant innover que les entreprises" Henri Verdier'
    assert (verdier.source, verdier.date, verdier.pages) == ("Gazette des communes, des départements, des régions (la)",
                                                             "21/05/2018", "p. 8-10")
    duval = by_id["territoires-30"]
    assert (duval.entry.author, duval.entry.source, duval.year) == ("DUVAL Martin", "Dunod, coll : STRATEGIE D'ENTREPRISE", 2018)
    assert by_id["moocs-02"].entry.url == "https://www.fun-mooc.fr/courses/course-v1:CNFPT+87016+session02/about"
    assert by_id["illustrations-25"].entry.author == "AUTISSIER David ; JOHNSON Kevin ; MOUTOT Jean-Michel"
    assert all(item.entry.summary and item.credit.startswith("Dossier documentaire") for item in by_id.values())


def test_glossary_has_every_sonar_term_credited_with_english():
    glossary = load_library().glossary
    assert [t.term for t in glossary.terms] == SONAR_TERMS
    assert [a.name for a in glossary.approaches] == ["Approches culturelles", "Approches hybrides",
                                                     "Approches méthodologiques", "Approches techniques"]
    assert "Sonar 1.0" in glossary.credit and "La 27e Région" in glossary.credit and "2018" in glossary.credit
    assert all(t.en and t.en.definition for t in glossary.terms)
    assert "Wikipédia" in next(t.definition for t in glossary.terms if t.slug == "commun")


def test_fold_removes_accents_and_case():
    assert fold("Écosystème CŒUR d’Usage") == "ecosysteme coeur d'usage"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("target", "old", "new", "expected"), [
    ("glossary", "  definition: >-\n    Mot hindi", "  definiton: >-\n    Mot hindi",
     "glossary.yaml: terms[7] (jugaad).definition: missing"),
    ("glossary", "- slug: nudge", "- slug: jugaad", "glossary.yaml: terms[10] (jugaad).slug: 'jugaad' is used by another term"),
    ("resources", "  date: 03/04/2019", "  date: avril 2019",
     "1-territoires.yaml: entries[0] (territoires-01).date: String should match pattern"),
    ("resources", "- id: cnfpt-02\n  title:", "- id: cnfpt-02\n  titel:", "4-cnfpt.yaml: entries[1] (cnfpt-02).title: missing"),
    ("resources", "- id: moocs-08", "- id: moocs-07", "6-moocs.yaml: entries[7] (moocs-07).id: this id is used by another entry"),
    ("resources", "  url: http://www.la27eregion.fr/la-27-quoi/", "  url: la27eregion.fr",
     "5-sites.yaml: entries[0] (sites-01).url: String should match pattern"),
    ("resources", "section:\n  slug: moocs", "section: [\n  slug: moocs", "6-moocs.yaml: line"),
], ids=["glossary-missing-field", "glossary-duplicate-slug", "resource-bad-date", "resource-missing-title",
        "resource-duplicate-id", "resource-bad-url", "malformed-yaml"])
def test_invalid_content_names_file_entry_and_field(content_copy, target, old, new, expected):
    glossary, resources = content_copy
    files = {"glossary": glossary}
    if target == "resources":
        name = expected.split(":")[0]
        files["resources"] = resources / name
    _replace(files[target], old, new)
    with pytest.raises(ContentError) as error:
        load_library_from(glossary, resources)
    assert expected in str(error.value)


def test_start_up_refuses_a_broken_library(content_copy, tmp_path):
    """create_app validates the real files: the same loader, so a broken copy must raise at load."""
    glossary, resources = content_copy
    _replace(resources / "2-design-public.yaml", "  summary: Fiche pratique", "  summary: ''\n  pages2: Fiche pratique")
    with pytest.raises(ContentError, match=r"2-design-public.yaml: entries\[0\] \(design-public-01\)"):
        load_library_from(glossary, resources)
