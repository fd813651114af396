"""The accessibility statement (/accessibilite): the RGAA model's sections, linked from every page's footer."""
from __future__ import annotations

import re
from html import unescape

import pytest

from barcamp.accessibility.views import AXE_CASES
from tests.a11y.test_axe import CASES

#: the sections of the RGAA 4.1 model statement, in order
SECTIONS = ["État de conformité", "Résultats des tests", "Contenus non accessibles",
            "Établissement de cette déclaration d'accessibilité", "Retour d'information et contact",
            "Voies de recours"]


def test_statement_has_the_rgaa_sections_in_french(client):
    r = client.get("/accessibilite", headers={"Accept-Language": "fr-FR"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<html lang="fr">' in html
    h2 = [unescape(re.sub(r"\s+", " ", h).strip()) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    assert h2 == SECTIONS
    assert unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)) == "Déclaration d'accessibilité"
    assert "axe-core 4.14.1" in html
    assert f"0 violation sur {len(CASES)} états de pages" in html
    assert "Défenseur des droits" in html


def test_statement_counts_the_page_states_axe_checks():
    assert AXE_CASES == len(CASES)


@pytest.mark.parametrize("path", ["/", "/glossaire", "/organiser/login", "/accessibilite"])
def test_every_page_footer_links_the_statement(client, path):
    html = client.get(path, headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    assert 'href="/accessibilite"' in footer
    assert "Accessibilité : non conforme" in footer


def test_statement_in_english(client):
    html = client.get("/accessibilite", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Déclaration" not in html
