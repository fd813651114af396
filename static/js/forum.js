/* The participant's phone page: live topic list, votes over the socket, live scores.
 * Renders with textContent/createElement only; never touches the forms the user types in. */
(function () {
  "use strict";

  var body = document.body;

  // -- character counters (title 120, description 2000) ------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("[data-counter-for]"), function (counter) {
    var input = document.getElementById(counter.getAttribute("data-counter-for"));
    var max = Number(counter.getAttribute("data-max"));
    if (!input) return;
    function update() {
      counter.textContent = input.value.length + " / " + max;
      counter.classList.toggle("counter-full", input.value.length >= max);
    }
    input.addEventListener("input", update);
    update();
  });

  if (body.getAttribute("data-page") !== "forum") return;

  var eventId = Number(body.getAttribute("data-event-id"));
  var me = Number(body.getAttribute("data-participant-id"));
  var phase = body.getAttribute("data-phase");
  var mode = body.getAttribute("data-mode");
  var grades = JSON.parse(body.getAttribute("data-grades") || "[]");
  var list = document.querySelector("[data-topics]");
  var remainingEl = document.querySelector("[data-remaining]");
  var banner = document.querySelector("[data-phase-banner]");

  // -- topics --------------------------------------------------------------------------------
  // Glossary terms are marked in titles and descriptions (data-text holds the plain text): keep that
  // markup while the text is unchanged, mark a new text as the server does (static/js/resources.js).
  function setText(node, text) {
    if (node.getAttribute("data-text") === text) return;
    node.setAttribute("data-text", text);
    if (window.barcampGlossary) window.barcampGlossary.fill(node, text); else node.textContent = text;
  }

  function fillTopic(item, p) {
    setText(item.querySelector("[data-slot=title]"), p.title);
    var description = item.querySelector("[data-slot=description]");
    setText(description, p.description || "");
    description.hidden = !p.description;
    var theme = item.querySelector("[data-slot=theme]");
    theme.textContent = p.theme || "";
    theme.hidden = !p.theme;
    var tags = item.querySelector("[data-slot=tags]");
    while (tags.firstChild) tags.removeChild(tags.firstChild);
    (p.tags || []).forEach(function (tag) {
      var span = document.createElement("span");
      span.className = "tag";
      span.textContent = "#" + tag;
      tags.appendChild(span);
      tags.appendChild(document.createTextNode(" "));
    });
    var author = item.querySelector("[data-slot=author]");
    if (p.author_name) author.textContent = p.author_name;
  }

  function newTopicItem(p) {
    var template = document.querySelector("[data-topic-template]");
    if (!template) return null;
    var item = template.content.firstElementChild.cloneNode(true);
    item.id = "proposal-" + p.id;
    item.setAttribute("data-proposal-id", String(p.id));
    if (p.author_id === me) {
      var actions = document.querySelector("[data-own-actions-template]");
      if (actions) {
        var block = actions.content.firstElementChild.cloneNode(true);
        block.querySelector("a").href = block.querySelector("a").getAttribute("href").replace("/proposals/0/", "/proposals/" + p.id + "/");
        var form = block.querySelector("form");
        form.action = form.getAttribute("action").replace("/proposals/0/", "/proposals/" + p.id + "/");
        item.appendChild(block);
      }
    }
    return item;
  }

  function updateCount() {
    if (!list) return;
    var n = list.querySelectorAll("[data-proposal-id]").length;
    var count = document.querySelector("[data-slot=topic-count]");
    if (count) count.textContent = String(n);
    var empty = document.querySelector("[data-empty]");
    if (empty) empty.hidden = n > 0;
  }

  function upsertTopic(p) {
    if (!list) return;
    var item = list.querySelector('[data-proposal-id="' + p.id + '"]');
    if (p.status === "merged" && phase === "voting") {
      Live.reloadWhenSafe(banner); // a merge moved ballots: this phone's votes and dots left changed
      return;
    }
    if (p.status !== "visible") {
      if (item) item.remove();
      updateCount();
      return;
    }
    if (!item) {
      if (phase !== "proposals") {
        Live.reloadWhenSafe(banner); // a topic added during the vote: the server renders its controls
        return;
      }
      item = newTopicItem(p);
      if (!item) return;
      list.appendChild(item);
    }
    fillTopic(item, p);
    updateCount();
  }

  function syncTopics(proposals) {
    if (!list) return;
    var ids = {};
    proposals.forEach(function (p) { ids[p.id] = true; upsertTopic(p); });
    Array.prototype.forEach.call(list.querySelectorAll("[data-proposal-id]"), function (item) {
      if (!ids[item.getAttribute("data-proposal-id")]) item.remove();
    });
    updateCount();
  }

  // -- votes ----------------------------------------------------------------------------------
  function showRemaining(n) {
    if (!remainingEl || n === null || n === undefined) return;
    remainingEl.setAttribute("data-remaining", String(n));
    var text = remainingEl.getAttribute(n <= 1 ? "data-text-one" : "data-text-other");
    remainingEl.textContent = text.replace("{n}", String(n));
    if (list) Array.prototype.forEach.call(list.querySelectorAll("form[data-vote]"), showPlus);
  }

  // « + » is disabled, with its reason as its label's description, when the budget is spent or the
  // topic holds the most a participant may give it (the server refuses both anyway)
  var maxPerTopic = Number(body.getAttribute("data-max-per-proposal"));
  function showPlus(form) {
    var plus = mode === "dots" && remainingEl && form.querySelector('[data-step="1"]');
    if (!plus) return;
    var value = Number(form.getAttribute("data-value") || 0);
    var reason = "";
    if (maxPerTopic > 0 && value >= maxPerTopic) reason = remainingEl.getAttribute("data-text-max");
    else if (Number(remainingEl.getAttribute("data-remaining")) <= 0) reason = remainingEl.getAttribute("data-text-no-dots");
    plus.disabled = !!reason;
    if (reason) plus.setAttribute("title", reason); else plus.removeAttribute("title");
  }

  function showValue(form, value) {
    form.setAttribute("data-value", String(value));
    if (mode === "dots") {
      form.querySelector("[data-slot=value]").textContent = String(value);
      var minus = form.querySelector('[data-step="-1"]');
      var plus = form.querySelector('[data-step="1"]');
      minus.value = String(value - 1);
      minus.disabled = value <= 0;
      plus.value = String(value + 1);
      showPlus(form);
    } else if (mode === "approval") {
      var toggle = form.querySelector("[data-toggle]");
      toggle.value = String(1 - value);
      toggle.setAttribute("aria-pressed", value ? "true" : "false");
    } else {
      Array.prototype.forEach.call(form.querySelectorAll("[data-grade]"), function (button) {
        button.setAttribute("aria-pressed", Number(button.value) === value ? "true" : "false");
      });
    }
  }

  function showVoteError(form, message) {
    var error = form.parentNode.querySelector("[data-slot=vote-error]");
    if (!error) return;
    error.textContent = message || "";
    error.hidden = !message;
  }

  // A vote goes through the phone's outbox (static/js/live.js): shown at once as pending, sent now or,
  // offline, as soon as the phone is back (kept across a reload); the server's answer settles it. Without
  // JavaScript, the plain form posts the vote.
  function voteForm(proposalId) {
    return list && list.querySelector('form[data-vote][data-proposal-id="' + proposalId + '"]');
  }

  function showPending(form, pending) {
    if (pending) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
    form.classList.toggle("vote-pending", pending);
  }

  // what the server last said (a state or an ack), so that the budget shown counts the pending votes too
  var acked = { votes: {}, remaining: null };

  function showOutbox() {
    var remaining = acked.remaining;
    (Live.pending() || []).forEach(function (action) {
      if (action.name !== "vote") return;
      var form = voteForm(action.payload.proposal_id);
      if (remaining !== null) remaining -= action.payload.value - (acked.votes[action.payload.proposal_id] || 0);
      if (!form) return;
      showValue(form, action.payload.value);
      showPending(form, true);
    });
    if (mode === "dots" && remaining !== null) showRemaining(Math.max(0, remaining));
  }

  function voteAnswered(payload, ack) {
    var form = voteForm(payload.proposal_id);
    if (!form) return;
    showPending(form, false);
    if (ack && ack.ok) {
      showVoteError(form, "");
      showValue(form, ack.value);
      acked.votes[payload.proposal_id] = ack.value;
      acked.remaining = ack.remaining;
      showRemaining(ack.remaining);
      showOutbox();
    } else {
      showVoteError(form, ack && ack.error ? ack.error.message : "");
      Live.resync(); // back to the values the server holds
    }
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-vote") || !window.Live || !Live.send) return;
    var button = e.submitter;
    if (!button || button.name !== "value") return;
    e.preventDefault();
    var value = Number(button.value);
    var proposalId = Number(form.getAttribute("data-proposal-id"));
    showVoteError(form, "");
    Live.send("vote", { proposal_id: proposalId, value: value }, "vote:" + proposalId);
    showOutbox();
  });

  // -- live scores ----------------------------------------------------------------------------
  function showTally(tally) {
    if (!list || !tally || !tally.ranking) return;
    var max = 0;
    tally.ranking.forEach(function (entry) { if (entry.score > max) max = entry.score; });
    tally.ranking.forEach(function (entry) {
      var item = list.querySelector('[data-proposal-id="' + entry.proposal_id + '"]');
      if (!item) return;
      var score = item.querySelector("[data-slot=score]");
      if (!score) return;
      score.textContent = tally.mode === "majority" ? (grades[entry.grade || 0] || "") : String(entry.score);
      item.querySelector("[data-slot=voters]").textContent = String(entry.voters);
      var width = tally.mode === "majority" ? (entry.score / 4) * 100 : (max > 0 ? (entry.score / max) * 100 : 0);
      item.querySelector("[data-slot=bar]").style.width = Math.max(0, Math.min(100, width)) + "%";
    });
  }

  // -- announcing others' topics (polite live region, at most one message per ANNOUNCE_MS) --------
  // Screen-reader users hear "Nouveau sujet : …" (or "3 nouveaux sujets") without losing their place;
  // a burst of topics becomes one message instead of a stream that would drown what they type.
  var announcer = document.querySelector("[data-announce]");
  var ANNOUNCE_MS = 3000;
  var pending = [];
  var announceTimer = null;
  function flushAnnouncements() {
    announceTimer = null;
    if (!pending.length) return;
    var title = pending[0];  // user text: a replacer function, so "$&" in a title stays literal
    var text = pending.length === 1
      ? announcer.getAttribute("data-text-one").replace("{title}", function () { return title; })
      : announcer.getAttribute("data-text-many").replace("{n}", String(pending.length));
    pending = [];
    announcer.textContent = text;
    announceTimer = setTimeout(flushAnnouncements, ANNOUNCE_MS);
  }
  function announce(title) {
    if (!announcer) return;
    pending.push(title);
    if (!announceTimer) flushAnnouncements();
  }

  // -- connection -------------------------------------------------------------------------------
  if (!window.Live) return;
  Live.connect({
    eventId: eventId,
    token: body.getAttribute("data-live-token"),
    outbox: eventId + ":" + me,
    onSent: function (name, payload, ack) { if (name === "vote") voteAnswered(payload, ack); },
    onState: function (state) {
      if (state.event.phase !== phase) {
        Live.reloadWhenSafe(banner);
        return;
      }
      syncTopics(state.proposals);
      if (state.me && state.me.votes && list) {
        Array.prototype.forEach.call(list.querySelectorAll("form[data-vote]"), function (form) {
          showValue(form, Number(state.me.votes[form.getAttribute("data-proposal-id")] || 0));
        });
        showRemaining(state.me.remaining);
        acked = { votes: Object.assign({}, state.me.votes), remaining: state.me.remaining };
      }
      showOutbox(); // what waits in the outbox shows over the server's values until it is answered
      showTally(state.tally);
    },
    handlers: {
      proposal: function (msg) {
        var fresh = list && !list.querySelector('[data-proposal-id="' + msg.proposal.id + '"]');
        upsertTopic(msg.proposal);
        if (fresh && msg.proposal.author_id !== me) announce(msg.proposal.title);
      },
      tally: function (msg) { showTally(msg); },
      phase: function (msg) { if (msg.phase !== phase) Live.reloadWhenSafe(banner); },
    },
  });
  showOutbox(); // votes tapped before a reload, not yet answered
})();
