/* The grid: drag and drop for the organiser, live seats and changes on phones and the projector.
 *
 * Organiser page: dropping a session card on a cell sets the room and slot selects of that
 * session's own form and submits it; the form works the same with the keyboard or without JS.
 * Phone and projector: Live (live.js) delivers `schedule` messages {grid}; seat counts are updated
 * in place, and the page reloads when the grid itself changed (publication, moves, formats).
 * A phone waiting for a seat fetches its own sign-ups on each message: a promotion updates its
 * status in place and is announced in the page's polite live region ("Une place s'est libérée…").
 * Every user text goes through textContent.
 */
(function () {
  "use strict";

  var body = document.body;
  var page = body.getAttribute("data-page");

  // -- organiser: drag and drop ---------------------------------------------------------------
  function setupDragAndDrop() {
    var dragged = null;
    document.querySelectorAll("[data-session-id][draggable]").forEach(function (card) {
      card.addEventListener("dragstart", function (e) {
        dragged = card;
        card.classList.add("is-dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", card.getAttribute("data-session-id"));
      });
      card.addEventListener("dragend", function () {
        card.classList.remove("is-dragging");
        dragged = null;
      });
    });
    document.querySelectorAll("[data-drop-cell]").forEach(function (cell) {
      cell.addEventListener("dragover", function (e) {
        if (!dragged) return;
        e.preventDefault();
        cell.classList.add("is-drop-target");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("is-drop-target"); });
      cell.addEventListener("drop", function (e) {
        e.preventDefault();
        cell.classList.remove("is-drop-target");
        if (!dragged) return;
        var form = dragged.querySelector("[data-place-form]");
        form.querySelector("[data-room-select]").value = cell.getAttribute("data-room-id");
        form.querySelector("[data-slot-select]").value = cell.getAttribute("data-slot-id");
        form.submit();
      });
    });
  }

  // -- phone and projector: live grid ------------------------------------------------------------
  function signature(grid) {
    if (!grid || !grid.published) return "unpublished";
    return JSON.stringify([
      grid.rooms.map(function (r) { return [r.id, r.name, r.capacity]; }),
      grid.slots.map(function (s) { return [s.id, s.starts_at, s.ends_at]; }),
      grid.sessions.map(function (s) { return [s.id, s.title, s.room_id, s.slot_id, s.format, s.capacity]; }),
    ]);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function updateSeats(grid) {
    grid.sessions.forEach(function (s) {
      var item = document.querySelector('.grid-public-session[data-session-id="' + s.id + '"]');
      if (!item || s.capacity === null) return;
      var seats = item.querySelector('[data-slot="seats"]');
      seats.textContent = s.confirmed >= s.capacity
        ? fill(body.getAttribute("data-text-full"), { n: s.waiting })
        : fill(body.getAttribute("data-text-free"), { n: s.capacity - s.confirmed, cap: s.capacity });
    });
  }

  function setupLive() {
    var token = body.getAttribute("data-live-token");
    var eventId = parseInt(body.getAttribute("data-event-id"), 10);
    var banner = document.querySelector("[data-grid-banner]");
    var shown = null; // signature of the grid the page shows

    function reload() {
      if (page === "schedule-projector") window.location.reload();
      else window.Live.reloadWhenSafe(banner);
    }

    function showMine(m) {
      // one of "mon programme"'s sessions: its card and its line; true when a waiting place became a seat
      var el = document.querySelector('.grid-public-session[data-session-id="' + m.session_id + '"] [data-my-status]');
      var line = document.querySelector('[data-mine-status="' + m.session_id + '"]');
      if (!el) return false;
      var promoted = m.status === "confirmed" && el.getAttribute("data-status") !== "confirmed";
      el.setAttribute("data-status", m.status);
      el.textContent = m.status === "confirmed" ? body.getAttribute("data-text-confirmed")
        : fill(body.getAttribute("data-text-waiting"), { n: m.position });
      if (line) {
        line.textContent = m.status === "confirmed" ? body.getAttribute("data-text-mine-confirmed")
          : fill(body.getAttribute("data-text-mine-waiting"), { n: m.position });
      }
      return promoted;
    }

    function announcePromotion(sessionId) {
      var news = document.querySelector("[data-grid-news]");
      var title = document.querySelector('.grid-public-session[data-session-id="' + sessionId + '"] .grid-session-title');
      if (!news || !title) return;
      news.textContent = fill(body.getAttribute("data-text-promoted"), { title: title.textContent });
    }

    function checkMine() {
      // seats changed: if this phone waits somewhere, it may have been promoted or moved up the list
      if (!window.fetch || !document.querySelector('[data-my-status][data-status="waiting"]')) return;
      fetch("/api/v1/events/" + eventId + "/schedule", { headers: { Authorization: "Bearer " + token } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (grid) {
          if (!grid || !grid.me) return;
          grid.me.forEach(function (m) {
            if (showMine(m)) announcePromotion(m.session_id);
          });
        });
    }

    function apply(grid) {
      var sig = signature(grid);
      if (shown === null) {
        shown = sig;
        var published = body.getAttribute("data-published") === "true";
        if (published !== (sig !== "unpublished")) reload();
      } else if (sig !== shown) {
        reload();
        return;
      }
      if (grid && grid.published) {
        updateSeats(grid);
        checkMine();
      }
    }

    window.Live.connect({
      eventId: eventId,
      token: token,
      onState: function (state) { apply(state.schedule || { published: false }); },
      handlers: { schedule: function (msg) { apply(msg.grid); } },
    });
  }

  if (page === "schedule-organiser") setupDragAndDrop();
  if ((page === "schedule-phone" || page === "schedule-projector") && window.Live) setupLive();
})();
