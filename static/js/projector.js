/* The projector: live wall of topics, live bars during the vote. No forms here, lists are rebuilt. */
(function () {
  "use strict";

  var body = document.body;
  if (body.getAttribute("data-page") !== "projector") return;

  var eventId = Number(body.getAttribute("data-event-id"));
  var phase = body.getAttribute("data-phase");
  var grades = JSON.parse(body.getAttribute("data-grades") || "[]");
  var wall = document.querySelector("[data-wall]");
  var bars = document.querySelector("[data-bars]");
  var topics = {}; // id -> proposal, for the wall

  // Denser type and more columns as the wall fills up (4 topics … 60+).
  function sizeFor(n) {
    if (n <= 6) return "xl";
    if (n <= 12) return "l";
    if (n <= 20) return "m";
    if (n <= 40) return "s";
    return "xs";
  }

  function clone(selector) {
    return document.querySelector(selector).content.firstElementChild.cloneNode(true);
  }

  // -- wall (draft, proposals) -------------------------------------------------------------------
  function wallCard(p) {
    var card = clone("[data-wall-template]");
    card.setAttribute("data-proposal-id", String(p.id));
    card.querySelector("[data-slot=title]").textContent = p.title;
    var theme = card.querySelector("[data-slot=theme]");
    theme.textContent = p.theme || "";
    theme.hidden = !p.theme;
    return card;
  }

  function renderWall(fresh) {
    if (!wall) return;
    // grouped by theme (themed topics first, by theme name), newest first within a theme
    var byTheme = function (a, b) {
      var ta = topics[a].theme || "\uffff", tb = topics[b].theme || "\uffff";
      return ta === tb ? b - a : (ta < tb ? -1 : 1);
    };
    var onlyTheme = new URLSearchParams(window.location.search).get("theme") || ""; // projector URL ?theme=
    var ids = Object.keys(topics).map(Number).filter(function (id) {
      return !onlyTheme || topics[id].theme === onlyTheme;
    }).sort(byTheme);
    while (wall.firstChild) wall.removeChild(wall.firstChild);
    ids.forEach(function (id) {
      var card = wallCard(topics[id]);
      if (fresh === id) card.classList.add("is-new");
      wall.appendChild(card);
    });
    wall.setAttribute("data-size", sizeFor(ids.length));
    var count = document.querySelector("[data-slot=topic-count]");
    if (count) count.textContent = String(ids.length);
  }

  function onProposal(p) {
    var isNew = !topics[p.id];
    if (p.status === "visible") topics[p.id] = p; else delete topics[p.id];
    renderWall(isNew && p.status === "visible" ? p.id : null);
  }

  // -- bars (voting) -------------------------------------------------------------------------------
  function renderBars(tally) {
    if (!bars || !tally || !tally.ranking) return;
    var max = 0;
    tally.ranking.forEach(function (entry) { if (entry.score > max) max = entry.score; });
    while (bars.firstChild) bars.removeChild(bars.firstChild);
    tally.ranking.forEach(function (entry) {
      var row = clone("[data-bar-template]");
      row.setAttribute("data-proposal-id", String(entry.proposal_id));
      row.querySelector("[data-slot=rank]").textContent = String(entry.rank);
      row.querySelector("[data-slot=title]").textContent = entry.title;
      row.querySelector("[data-slot=score]").textContent =
        tally.mode === "majority" ? (grades[entry.grade || 0] || "") : String(entry.score);
      var width = tally.mode === "majority" ? (entry.score / 4) * 100 : (max > 0 ? (entry.score / max) * 100 : 0);
      row.querySelector("[data-slot=bar]").style.width = Math.max(0, Math.min(100, width)) + "%";
      bars.appendChild(row);
    });
    bars.setAttribute("data-size", sizeFor(tally.ranking.length));
    var voted = document.querySelector("[data-slot=voted]");
    if (voted) voted.textContent = String(tally.participants_voted);
  }

  if (wall) wall.setAttribute("data-size", sizeFor(wall.children.length));
  if (bars) bars.setAttribute("data-size", sizeFor(bars.children.length));
  if (!window.Live) return;
  Live.connect({
    eventId: eventId,
    token: body.getAttribute("data-live-token"),
    onState: function (state) {
      if (state.event.phase !== phase) {
        window.location.reload();
        return;
      }
      topics = {};
      state.proposals.forEach(function (p) { topics[p.id] = p; });
      renderWall(null);
      renderBars(state.tally);
    },
    handlers: {
      proposal: function (msg) { onProposal(msg.proposal); },
      tally: function (msg) { renderBars(msg); },
      phase: function (msg) { if (msg.phase !== phase) window.location.reload(); },
    },
  });
})();
