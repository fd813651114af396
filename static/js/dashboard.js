/* The organiser's dashboard: live topic list (with its hide forms), live results.
 * Only the lists are re-rendered; a hide form being filled in is never replaced. */
(function () {
  "use strict";

  var body = document.body;
  if (body.getAttribute("data-page") !== "dashboard") return;

  var eventId = Number(body.getAttribute("data-event-id"));
  var phase = body.getAttribute("data-phase");
  var grades = JSON.parse(body.getAttribute("data-grades") || "[]");
  var list = document.querySelector("[data-topics]");
  var results = document.querySelector("[data-results]");
  var banner = document.querySelector("[data-phase-banner]");

  function clone(selector) {
    return document.querySelector(selector).content.firstElementChild.cloneNode(true);
  }

  function updateCount() {
    var n = list.querySelectorAll("[data-proposal-id]").length;
    var count = document.querySelector("[data-slot=topic-count]");
    if (count) count.textContent = String(n);
    var empty = document.querySelector("[data-empty]");
    if (empty) empty.hidden = n > 0;
  }

  function fill(item, p) {
    item.querySelector("[data-slot=title]").textContent = p.title;
    var description = item.querySelector("[data-slot=description]");
    description.textContent = p.description || "";
    description.hidden = !p.description;
  }

  function upsert(p) {
    var item = list.querySelector('[data-proposal-id="' + p.id + '"]');
    if (p.status !== "visible") {
      if (item) item.remove();
      updateCount();
      return;
    }
    if (!item) {
      item = clone("[data-mod-template]");
      item.setAttribute("data-proposal-id", String(p.id));
      var form = item.querySelector("form");
      form.action = form.getAttribute("action").replace("/proposals/0/", "/proposals/" + p.id + "/");
      var input = item.querySelector("input[name=reason]");
      input.id = "reason-" + p.id;
      item.querySelector("[data-slot=reason-label]").setAttribute("for", input.id);
      list.appendChild(item);
    }
    fill(item, p);
    updateCount();
  }

  function syncTopics(proposals) {
    var ids = {};
    proposals.forEach(function (p) { ids[p.id] = true; upsert(p); });
    Array.prototype.forEach.call(list.querySelectorAll("[data-proposal-id]"), function (item) {
      if (!ids[item.getAttribute("data-proposal-id")]) item.remove();
    });
    updateCount();
  }

  function showResults(tally) {
    if (!results || !tally || !tally.ranking) return;
    while (results.firstChild) results.removeChild(results.firstChild);
    tally.ranking.forEach(function (entry) {
      var row = clone("[data-result-template]");
      row.querySelector("[data-slot=rank]").textContent = String(entry.rank);
      row.querySelector("[data-slot=title]").textContent = entry.title;
      row.querySelector("[data-slot=score]").textContent =
        tally.mode === "majority" ? (grades[entry.grade || 0] || "") : String(entry.score);
      row.querySelector("[data-slot=voters]").textContent = String(entry.voters);
      results.appendChild(row);
    });
    var voted = document.querySelector("[data-slot=voted]");
    if (voted) voted.textContent = String(tally.participants_voted);
  }

  if (!window.Live) return;
  Live.connect({
    eventId: eventId,
    token: body.getAttribute("data-live-token"),
    onState: function (state) {
      if (state.event.phase !== phase) {
        Live.reloadWhenSafe(banner);
        return;
      }
      syncTopics(state.proposals);
      showResults(state.tally);
    },
    handlers: {
      proposal: function (msg) { upsert(msg.proposal); },
      tally: function (msg) { showResults(msg); },
      phase: function (msg) { if (msg.phase !== phase) Live.reloadWhenSafe(banner); },
    },
  });
})();
