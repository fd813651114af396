"""The wheel's layout (metadata: pyproject.toml).

The repository keeps the Python package in app/ and its run-time files at the top level
(templates/, static/, migrations/, content/). Installed, they are one package, `barcamp`:
app/ → barcamp/, templates/ → barcamp/templates/, and so on (app/paths.py finds either layout).
"""
from setuptools import find_packages, setup

#: top-level folders the app reads at run time
DATA = ("templates", "static", "migrations", "content")

setup(
    packages=["barcamp", *(f"barcamp.{name}" for name in find_packages("app")), *(f"barcamp.{d}" for d in DATA)],
    package_dir={"barcamp": "app", **{f"barcamp.{d}": d for d in DATA}},
    package_data={"barcamp": ["translations/*/LC_MESSAGES/*.mo", "translations/*/LC_MESSAGES/*.po",
                              "translations/*.pot"],
                  **{f"barcamp.{d}": ["**/*"] for d in DATA}},
    exclude_package_data={"": ["__pycache__/*", "*.pyc"]},
)
