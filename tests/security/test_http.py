"""HTTP protections: CSRF on every form, security headers and CSP, cookies, request size, no inline code."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from barcamp import create_app
from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db
from barcamp.security.headers import CSP
from tests.security.conftest import login

ROOT = Path(__file__).resolve().parents[2]
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _page_rules(app, methods):
    """The URL rules of pages (not the bearer-token JSON API, not static files) with these methods."""
    return [rule for rule in app.url_map.iter_rules()
            if rule.methods & methods and not rule.rule.startswith("/api/") and rule.endpoint != "static"]


def _fill(rule, values) -> str | None:
    """A URL for the rule: known argument names from `values`, other integers 1; None if it cannot."""
    args = {}
    for name in rule.arguments:
        if name in values:
            args[name] = values[name]
        elif type(rule._converters[name]).__name__ == "IntegerConverter":
            args[name] = 1
        else:
            return None
    return rule.build(args)[1]


def test_every_state_changing_page_route_refuses_a_post_without_csrf_token(prod_app, make_event, make_organiser):
    organiser = make_organiser()
    event = make_event(organiser=organiser)
    client = prod_app.test_client()
    rules = _page_rules(prod_app, STATE_CHANGING)
    # the forms that exist today; later areas' routes are enumerated too
    assert {"participants.home", "participants.join", "accounts.login", "accounts.logout", "events.set_phase",
            "proposals.page_create", "voting.page_vote"} <= {r.endpoint for r in rules}
    values = {"event_id": event["id"], "code": event["join_code"], "token": event["projector_token"]}
    refused = {}
    for rule in rules:
        url = _fill(rule, values)
        assert url is not None, f"cannot build a URL for {rule.rule}: add its argument to `values`"
        for method in sorted(rule.methods & STATE_CHANGING):
            response = client.open(url, method=method, data={"name": "x", "title": "x"})
            refused[f"{method} {rule.rule}"] = response.status_code
    assert {route: status for route, status in refused.items() if status != 400} == {}


def test_api_routes_are_the_only_csrf_exempt_ones(prod_app):
    """A page route exempted from CSRF (a form without the token) is caught here."""
    from barcamp.extensions import csrf

    exempt = {name for name in csrf._exempt_views}
    page_views = {f"{view.__module__}.{view.__name__}" for endpoint, view in prod_app.view_functions.items()
                  if not any(r.rule.startswith("/api/") for r in prod_app.url_map.iter_rules(endpoint=endpoint))}
    assert exempt & page_views == set()


@pytest.mark.parametrize("path", ["/", "/organiser/login", "/api/v1/openapi.json"], ids=["page", "form", "api"])
def test_every_response_carries_the_csp_and_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert csp == CSP.format(ws="ws://localhost")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Permissions-Policy"].startswith("camera=(), microphone=()")
    assert "Strict-Transport-Security" not in response.headers  # plain http: no HSTS


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[0]


def test_session_cookie_is_httponly_samesite_lax_and_not_secure_over_http(client, make_organiser):
    organiser = make_organiser()
    response = client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_and_hsts_sent_when_the_public_url_is_https(app, make_organiser):
    organiser = make_organiser()
    https_app = create_app({**app.config, "PUBLIC_URL": "https://forum.example.org", "SECURE_COOKIES": None})
    try:
        client = https_app.test_client()
        response = client.post("/organiser/login", base_url="https://forum.example.org",
                               data={"email": organiser["email"], "password": organiser["password"]})
        assert response.status_code == 302
        cookie = _session_cookie(response)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        remember = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
        assert "Secure" in remember and "HttpOnly" in remember and "SameSite=Lax" in remember
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
        assert "connect-src 'self' wss://forum.example.org;" in response.headers["Content-Security-Policy"]
    finally:
        https_app.extensions["barcamp_live"].stop()
        with https_app.app_context():
            db.engine.dispose()


def test_request_body_over_max_content_length_is_refused_with_413(client, make_event):
    make_event()
    assert client.application.config["MAX_CONTENT_LENGTH"] == 4 * 1024 * 1024
    response = client.post("/api/v1/join", data=b"{" + b" " * (4 * 1024 * 1024 + 10) + b"}",
                           content_type="application/json")
    assert response.status_code == 413
    with client.application.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(db.table("participants"))) == 0


# -- no inline script, style or event handler (the CSP would block them) ----------------------------
class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        # a JSON data block is not executed and the CSP allows it; any other script must be a file
        self._in_script = tag == "script" and "src" not in attrs and attrs.get("type") != "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_inline_finder_catches_what_the_csp_blocks():
    html = ('<p style="color:red" onclick="x()">a</p><script>alert(1)</script><style>p{}</style>'
            '<a href="javascript:alert(1)">b</a><script type="application/json">{"a": 1}</script>'
            '<script src="/static/js/live.js"></script>')
    assert inline_problems(html) == ["<p style=…>", "<p onclick=…>", "inline <script>: 'alert(1)'", "<style> element",
                                     "<a href=javascript:…>"]


#: templates that are never served as pages under our CSP, and why
NOT_PAGES = {"restitution/standalone.html": "a downloaded stand-alone file: its CSS travels inside it"}


@pytest.mark.parametrize("template", sorted(str(p.relative_to(ROOT / "templates"))
                                              for p in (ROOT / "templates").rglob("*.html")
                                              if str(p.relative_to(ROOT / "templates")) not in NOT_PAGES))
def test_template_source_has_no_inline_script_style_or_handler(template):
    source = (ROOT / "templates" / template).read_text()
    # Jinja expressions may hide a `style=`; the rendered pages are checked below as well
    assert re.findall(r"""\sstyle\s*=|\son[a-z]+\s*=\s*["']|<style\b""", source, flags=re.IGNORECASE) == []
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", source, flags=re.DOTALL | re.IGNORECASE):
        attrs, body = match.groups()
        assert "src=" in attrs or 'type="application/json"' in attrs or not body.strip(), match.group(0)[:80]


def test_every_page_renders_without_inline_script_style_or_handler(app, client, make_organiser, make_event,
                                                                   make_participant, make_proposal):
    organiser = make_organiser()
    event = make_event(organiser=organiser, phase="proposals")
    participant_page = app.test_client()
    camille = make_participant(event, name="Camille")
    with participant_page.session_transaction() as session:  # the phone that joined as Camille
        session["participants"] = {str(event["id"]): camille["token"]}
    proposal = make_proposal(event, camille, title="Mobilité douce")  # hers: her edit page renders
    login(client, organiser)
    values = {"event_id": event["id"], "proposal_id": proposal, "code": event["join_code"],
              "token": event["projector_token"], "question_index": 0, "fmt": "svg"}
    rules = _page_rules(app, {"GET"})
    rendered = set()
    for phase in ("proposals", "voting", "closed"):
        if phase != "proposals":
            with app.app_context(), write_transaction():
                transition_phase(db.session.get(Event, event["id"]), phase)
        for rule in rules:
            url = _fill(rule, values)
            if url is None:
                continue
            for who in (client, participant_page):
                response = who.get(url)
                if response.status_code == 200 and response.mimetype == "text/html":
                    rendered.add(rule.endpoint)
                    assert inline_problems(response.get_data(as_text=True)) == [], (phase, url)
    assert {"participants.home", "participants.join", "participants.forum", "accounts.login",
            "events.dashboard_list", "events.dashboard", "events.new_event", "events.projector",
            "proposals.page_edit"} <= rendered
