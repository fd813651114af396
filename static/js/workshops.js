/* A workshop board, live: cards by section, facilitator tools, dots, conflicts shown side by side.
 *
 * The socket joins the workshop's room (`workshop_join`, again after every reconnection) and gets
 * the whole board with its version. The server then sends coalesced `board` messages, each the
 * whole board with a higher version: a message at or below our version is dropped; a gap needs
 * no resync since the message replaces everything. Writes (`card_add`, `card_edit`, `card_remove`,
 * `card_merge`, `workshop_dot`) are acknowledged after commit. A card being edited is not
 * replaced by incoming boards: its save carries the version it started from, and a stale save
 * comes back as `card_conflict` with the current card, shown next to the user's text.
 * A new card gets a random `client_key` and waits in `pending` (memory and sessionStorage) until
 * its acknowledgement: after a lost or timed-out ack, or a reconnection, it is sent again with
 * the SAME key, and the server answers with the card it already stored instead of a second one.
 * User text only ever goes through textContent.
 */
(function () {
  "use strict";

  var body = document.body;
  var page = body.getAttribute("data-page");
  if (page !== "workshop-board" && page !== "workshop-projector") return;

  var ACK_TIMEOUT_MS = 8000;
  var RETRY_MS = 3000;
  //: refusals worth another try with the same key (nothing was refused about the card itself)
  var TRANSIENT = ["timeout", "offline", "internal_error", "rate_limited"];
  var PENDING_KEY = "barcamp:pending-cards:" + window.location.pathname;
  var workshopId = parseInt(body.getAttribute("data-workshop-id"), 10);
  var token = body.getAttribute("data-live-token");
  var projector = page === "workshop-projector";
  var strings = document.querySelector("[data-strings]");
  var cardTemplate = document.querySelector("[data-card-template]");
  var errorBox = document.querySelector("[data-board-error]");
  var noticeBox = document.querySelector("[data-board-notice]");
  var remainingBox = document.querySelector("[data-remaining]");
  var status = document.querySelector("[data-live-status]");
  var socket = null;
  var version = null;
  var board = null;
  var me = { kind: projector ? "projector" : "", facilitator: false, dots: {}, remaining: null, reported: [] };
  var addForm = document.querySelector("[data-add-card]");
  var editing = {};   // card id -> its <li> while the user edits it
  var selected = {};  // card id -> true (facilitator: cards ticked for a merge)
  var deleted = false;

  function t(name) { return strings ? strings.getAttribute("data-" + name) || "" : ""; }

  function showError(error) {
    if (!errorBox) return;
    errorBox.textContent = error && error.message ? error.message : "";
    errorBox.hidden = !errorBox.textContent;
  }

  function showNotice(text) {
    if (!noticeBox) return;
    noticeBox.textContent = text || "";
    noticeBox.hidden = !noticeBox.textContent;
  }

  function setStatus(state) {
    document.documentElement.setAttribute("data-live", state);
    if (status) status.textContent = state === "offline" ? t("offline") : "";
  }

  function emit(name, payload) {
    return new Promise(function (resolve) {
      if (!socket || !socket.connected) { resolve({ ok: false, error: { code: "offline", message: t("offline") } }); return; }
      socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, function (err, ack) {
        resolve(err ? { ok: false, error: { code: "timeout", message: t("offline") } } : ack);
      });
    });
  }

  // -- rendering ---------------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, onClick, className) {
    var b = el("button", "button button-small" + (className ? " " + className : ""), label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function fill(li, card) {
    li.id = "card-" + card.id;
    li.setAttribute("data-card-id", card.id);
    li.setAttribute("data-version", card.version);
    var slot = function (name) { return li.querySelector('[data-slot="' + name + '"]'); };
    slot("number").textContent = card.number ? "#" + card.number : "";
    slot("number").hidden = !card.number;
    // glossary terms stay marked while the text is unchanged; a new text is marked as the server does
    if (slot("text").getAttribute("data-text") !== card.text) {
      slot("text").setAttribute("data-text", card.text);
      if (window.barcampGlossary) window.barcampGlossary.fill(slot("text"), card.text); else slot("text").textContent = card.text;
    }
    slot("gain").textContent = card.gain || "";
    slot("gain-row").hidden = !card.gain;
    slot("indicator").textContent = card.indicator || "";
    slot("indicator-row").hidden = !card.indicator;
    slot("dots").textContent = card.dots;
    slot("dots-row").hidden = card.section !== "propositions";
  }

  function cardNode(card, list, index) {
    var li = cardTemplate.content.firstElementChild.cloneNode(true);
    fill(li, card);
    if (projector) return li;
    var tools = el("div", "card-tools");
    if (card.section === "propositions" && me.kind === "participant") tools.appendChild(dotControl(card));
    var mine = me.participant_id && card.author_id === me.participant_id;
    if (me.kind === "participant" && !mine) tools.appendChild(reportControl(card));
    if (me.facilitator || mine) {
      tools.appendChild(button(t("edit"), function () { startEdit(card, li); }));
      tools.appendChild(button(t("remove"), function () { removeCard(card); }, "button-danger"));
    }
    if (me.facilitator) {
      if (index > 0) tools.appendChild(button("↑", function () { swap(list, index, index - 1); }, "icon"));
      if (index < list.length - 1) tools.appendChild(button("↓", function () { swap(list, index, index + 1); }, "icon"));
      var label = el("label", "select-line");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !!selected[card.id];
      box.addEventListener("change", function () {
        if (box.checked) selected[card.id] = true; else delete selected[card.id];
        updateMergeBars();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + t("select")));
      tools.appendChild(label);
    }
    if (tools.childNodes.length) li.appendChild(tools);
    return li;
  }

  function reportControl(card) {
    if ((me.reported || []).indexOf(card.id) >= 0) {
      var done = button(t("reported"), function () {});
      done.disabled = true;
      return done;
    }
    var b = button(t("report"), function () { reportCard(card); }, "button-quiet");
    var excerpt = card.text.length > 60 ? card.text.slice(0, 57) + "..." : card.text;
    b.setAttribute("aria-label", t("report-card").replace("{text}", excerpt));
    return b;
  }

  function dotControl(card) {
    var mineDots = me.dots[String(card.id)] || 0;
    var wrap = el("span", "dot-control");
    var minus = button("−", function () { setDots(card, mineDots - 1); }, "icon");
    minus.setAttribute("aria-label", t("remove-dot"));
    minus.disabled = mineDots <= 0;
    var plus = button("+", function () { setDots(card, mineDots + 1); }, "icon");
    plus.setAttribute("aria-label", t("add-dot"));
    plus.disabled = me.remaining !== null && me.remaining <= 0;
    wrap.appendChild(minus);
    wrap.appendChild(el("span", "my-dots", mineDots + " " + t("my-dots")));
    wrap.appendChild(plus);
    return wrap;
  }

  function pendingNode(entry) {
    var li = el("li", "board-card is-pending");
    li.setAttribute("data-pending-key", entry.key);
    li.appendChild(el("p", "board-card-text", entry.payload.text));
    if (entry.payload.gain) li.appendChild(el("p", "board-card-gain", t("gain") + " : " + entry.payload.gain));
    li.appendChild(el("p", "hint", t("pending")));
    return li;
  }

  function render() {
    if (!board) return;
    board.sections.forEach(function (section) {
      var list = document.querySelector('[data-cards="' + section.key + '"]');
      if (!list) return;
      var nodes = section.cards.map(function (card, index) {
        return editing[card.id] || cardNode(card, section.cards, index);
      });
      Object.keys(editing).forEach(function (id) {  // a card being edited stays, even if moved or gone
        if (editing[id].getAttribute("data-section") === section.key && nodes.indexOf(editing[id]) < 0) {
          nodes.push(editing[id]);
        }
      });
      pending.forEach(function (entry) {  // written here, not acknowledged yet: shown as waiting
        if (entry.payload.section === section.key && !projector) nodes.push(pendingNode(entry));
      });
      list.replaceChildren.apply(list, nodes);
      var count = document.querySelector('[data-count="' + section.key + '"]');
      if (count) count.textContent = "(" + section.cards.length + ")";
    });
    if (remainingBox && me.remaining !== null) {
      remainingBox.textContent = remainingBox.getAttribute("data-text").replace("{n}", me.remaining);
    }
    updateMergeBars();
  }

  function updateMergeBars() {
    var bars = document.querySelectorAll("[data-merge-bar]");
    for (var i = 0; i < bars.length; i++) {
      var key = bars[i].querySelector("[data-merge]").getAttribute("data-merge");
      var section = board && board.sections.filter(function (s) { return s.key === key; })[0];
      var ticked = section ? section.cards.filter(function (c) { return selected[c.id]; }).length : 0;
      bars[i].hidden = ticked < 2;
    }
  }

  function applyBoard(state, stateVersion) {
    if (version !== null && stateVersion <= version) return;
    version = stateVersion;
    var previous = board;
    board = state;
    showTitle(state.workshop.title);
    if (state.workshop.deleted) { markDeleted(); return; }
    render();
    if (myDotsMayHaveChanged(previous, state)) refreshMe();
  }

  // The board is the same for every phone; my own dots are not in it. A card I put dots on left the
  // board (hidden, removed, merged: the dots come back), or a card holding dots came back (restored:
  // the server trimmed the dots that would exceed a budget): ask again for my dots and what remains.
  function myDotsMayHaveChanged(previous, next) {
    if (projector || me.kind !== "participant" || !previous) return false;
    var before = {}, after = {}, back = false;
    previous.sections.forEach(function (s) { s.cards.forEach(function (c) { before[c.id] = true; }); });
    next.sections.forEach(function (s) {
      s.cards.forEach(function (c) {
        after[c.id] = true;
        if (!before[c.id] && c.dots > 0) back = true;
      });
    });
    return back || Object.keys(me.dots).some(function (id) { return !after[id]; });
  }

  function refreshMe() {
    emit("workshop_join", { workshop_id: workshopId }).then(function (ack) {
      if (!ack || !ack.ok || !ack.board.me) return;
      me = ack.board.me;
      me.reported = me.reported || [];
      render();
    });
  }

  var initialTitle = document.querySelector("[data-workshop-title]");
  var titleSuffix = initialTitle ? document.title.slice(initialTitle.textContent.length) : "";

  function showTitle(title) {  // the organiser may rename the workshop while the board is open
    var nodes = document.querySelectorAll("[data-workshop-title]");
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = title;
    if (initialTitle) document.title = title + titleSuffix;
  }

  function markDeleted() {
    // the organiser deleted the workshop: nothing more can be written here
    deleted = true;
    var notice = document.querySelector("[data-deleted-notice]");
    if (notice) notice.hidden = false;
    ["[data-board]", "[data-add-section]", "[data-section-nav]", "[data-remaining]"].forEach(function (sel) {
      var node = document.querySelector(sel);
      if (node) node.hidden = true;
    });
    showError(null);
    setStatus("closed");
    if (socket) socket.disconnect();
  }

  // -- actions -------------------------------------------------------------------------------------
  function findCard(id) {
    for (var i = 0; board && i < board.sections.length; i++) {
      for (var j = 0; j < board.sections[i].cards.length; j++) {
        if (board.sections[i].cards[j].id === id) return board.sections[i].cards[j];
      }
    }
    return null;
  }

  function field(labelText, control) {
    var wrap = el("div", "field");
    var label = el("label", "", labelText);
    control.id = "edit-" + Math.random().toString(36).slice(2);
    label.htmlFor = control.id;
    wrap.appendChild(label);
    wrap.appendChild(control);
    return wrap;
  }

  function startEdit(card, li) {
    var form = el("form", "edit-card stack");
    var text = el("textarea"); text.value = card.text; text.maxLength = 2000; text.rows = 3; text.required = true;
    form.appendChild(field(t("text"), text));
    var gain = null, indicator = null, number = null, section = null;
    if (card.section === "propositions") {
      gain = el("textarea"); gain.value = card.gain || ""; gain.maxLength = 2000; gain.rows = 2;
      form.appendChild(field(t("gain"), gain));
      indicator = el("input"); indicator.value = card.indicator || ""; indicator.maxLength = 2000;
      form.appendChild(field(t("indicator"), indicator));
      if (me.facilitator) {
        number = el("input"); number.type = "number"; number.min = 1; number.max = 1000;
        number.value = card.number || "";
        form.appendChild(field(t("number"), number));
      }
    }
    if (me.facilitator) {
      section = el("select");
      var keys = JSON.parse(t("sections")), labels = JSON.parse(t("labels"));
      keys.forEach(function (key, i) {
        var option = el("option", "", labels[i]);
        option.value = key;
        option.selected = key === card.section;
        section.appendChild(option);
      });
      form.appendChild(field(t("section"), section));
    }
    var actions = el("p", "phase-actions");
    var save = el("button", "button button-primary button-small", t("save")); save.type = "submit";
    actions.appendChild(save);
    actions.appendChild(button(t("cancel"), function () { stopEdit(card.id); }));
    form.appendChild(actions);
    var box = el("div", "conflict-box");
    box.hidden = true;
    form.appendChild(box);
    li.setAttribute("data-section", card.section);
    li.classList.add("is-editing");
    li.appendChild(form);
    editing[card.id] = li;
    text.focus();
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var changes = { text: text.value };
      if (gain) changes.gain = gain.value;
      if (indicator) changes.indicator = indicator.value;
      if (number) changes.number = number.value ? parseInt(number.value, 10) : null;
      if (section && section.value !== card.section) changes.section = section.value;
      saveEdit(card, parseInt(li.getAttribute("data-version"), 10), changes, box);
    });
  }

  function stopEdit(id) {
    delete editing[id];
    render();
  }

  function saveEdit(card, baseVersion, changes, box) {
    var payload = Object.assign({ workshop_id: workshopId, card_id: card.id, version: baseVersion }, changes);
    emit("card_edit", payload).then(function (ack) {
      if (ack && ack.ok) {
        showError(null);
        replaceCard(ack.card);
        stopEdit(card.id);
      } else if (ack && ack.error && ack.error.code === "card_conflict") {
        showConflict(card, ack.error.current, changes, box);
      } else {
        showError(ack && ack.error);
      }
    });
  }

  function showConflict(card, current, changes, box) {
    box.replaceChildren();
    box.appendChild(el("p", "conflict-title", t("conflict")));
    var cols = el("div", "conflict-cols");
    var theirs = el("div", "conflict-theirs");
    theirs.appendChild(el("p", "eyebrow", t("theirs")));
    theirs.appendChild(el("p", "conflict-text", current.text + (current.gain ? "\n" + t("gain") + " : " + current.gain : "")));
    var mine = el("div", "conflict-mine");
    mine.appendChild(el("p", "eyebrow", t("mine")));
    mine.appendChild(el("p", "conflict-text", changes.text + (changes.gain ? "\n" + t("gain") + " : " + changes.gain : "")));
    cols.appendChild(theirs);
    cols.appendChild(mine);
    box.appendChild(cols);
    var actions = el("p", "phase-actions");
    actions.appendChild(button(t("reapply"), function () { saveEdit(card, current.version, changes, box); }, "button-primary"));
    actions.appendChild(button(t("keep"), function () { replaceCard(current); stopEdit(card.id); }));
    box.appendChild(actions);
    box.hidden = false;
  }

  function replaceCard(card) {
    var old = findCard(card.id);
    if (old) Object.assign(old, card);
  }

  function removeCard(card) {
    if (!window.confirm(t("confirm-remove"))) return;
    emit("card_remove", { workshop_id: workshopId, card_id: card.id }).then(function (ack) {
      showError(ack && ack.ok ? null : ack && ack.error);
    });
  }

  function reportCard(card) {
    if (!window.confirm(t("confirm-report"))) return;
    emit("card_report", { workshop_id: workshopId, card_id: card.id }).then(function (ack) {
      if (ack && ack.ok) {
        showError(null);
        if (me.reported.indexOf(card.id) < 0) me.reported.push(card.id);
        showNotice(t("report-thanks"));
        render();  // hidden past the threshold: the next board message takes it off every screen
      } else {
        showError(ack && ack.error);
      }
    });
  }

  function swap(list, from, to) {
    var a = list[from], b = list[to];
    var posA = a.position, posB = b.position === a.position ? b.position + (to > from ? 1 : -1) : b.position;
    if (posB < 0) posB = 0;
    emit("card_edit", { workshop_id: workshopId, card_id: a.id, version: a.version, position: posB })
      .then(function (ack) {
        if (!ack || !ack.ok) { showError(ack && ack.error); return null; }
        return emit("card_edit", { workshop_id: workshopId, card_id: b.id, version: b.version, position: posA });
      })
      .then(function (ack) { if (ack && !ack.ok) showError(ack.error); });
  }

  function mergeSection(key) {
    var section = board.sections.filter(function (s) { return s.key === key; })[0];
    var ids = section.cards.filter(function (c) { return selected[c.id]; }).map(function (c) { return c.id; });
    if (ids.length < 2) return;
    emit("card_merge", { workshop_id: workshopId, target_id: ids[0], source_ids: ids.slice(1) }).then(function (ack) {
      if (ack && ack.ok) ids.forEach(function (id) { delete selected[id]; });
      showError(ack && ack.ok ? null : ack && ack.error);
    });
  }

  function setDots(card, value) {
    if (value < 0) return;
    emit("workshop_dot", { workshop_id: workshopId, card_id: card.id, value: value }).then(function (ack) {
      if (ack && ack.ok) {
        showError(null);
        if (ack.value) me.dots[String(card.id)] = ack.value; else delete me.dots[String(card.id)];
        me.remaining = ack.remaining;
        render();
      } else {
        showError(ack && ack.error);
      }
    });
  }

  // -- new cards: one client_key each, kept until acknowledged -------------------------------------
  var pending = loadPending();  // [{key, payload}] in the order they were written

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function loadPending() {
    try {
      var list = JSON.parse(window.sessionStorage.getItem(PENDING_KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (e) { return e && e.key && e.payload; }) : [];
    } catch (e) {
      return [];
    }
  }

  function savePending() {
    try {
      if (!pending.length) { window.sessionStorage.removeItem(PENDING_KEY); return; }
      window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending.map(function (e) {
        return { key: e.key, payload: e.payload };
      })));
    } catch (e) { /* storage refused (private mode, quota): memory still holds them */ }
  }

  function dropPending(entry) {
    var index = pending.indexOf(entry);
    if (index >= 0) pending.splice(index, 1);
    savePending();
  }

  function sendPending(entry) {
    if (entry.sending || !socket || !socket.connected) return;  // reconnecting: join() sends it
    entry.sending = true;
    var attempt = entry.attempt = (entry.attempt || 0) + 1;
    emit("card_add", entry.payload).then(function (ack) {
      if (pending.indexOf(entry) < 0 || attempt !== entry.attempt) return;  // a later attempt settled it
      entry.sending = false;
      if (ack && ack.ok) {
        dropPending(entry);
        showError(null);
        // show it at once; the coalesced board that follows is the same card
        var section = board && board.sections.filter(function (s) { return s.key === ack.card.section; })[0];
        if (section && !findCard(ack.card.id)) section.cards.push(ack.card);
        render();
      } else if (ack && ack.error && TRANSIENT.indexOf(ack.error.code) >= 0) {
        render();
        setTimeout(function () { sendPending(entry); }, RETRY_MS);
      } else {  // refused for good (phase over, empty text…): give the text back to the form
        dropPending(entry);
        restoreDraft(entry.payload);
        showError(ack && ack.error);
        render();
      }
    });
  }

  function flushPending() {
    pending.forEach(sendPending);
  }

  function restoreDraft(payload) {
    if (!addForm) return;
    var text = addForm.querySelector("textarea[name=text]");
    if (text.value.trim()) return;  // never overwrite what the user is typing now
    addForm.querySelector("select[name=section]").value = payload.section;
    text.value = payload.text;
    var gainBox = addForm.querySelector("textarea[name=gain]");
    if (gainBox) gainBox.value = payload.gain || "";
  }

  function addCard(form) {
    var data = new FormData(form);
    var payload = { workshop_id: workshopId, section: data.get("section"), text: (data.get("text") || "").trim() };
    var gain = (data.get("gain") || "").trim();
    if (gain && payload.section === "propositions") payload.gain = gain;
    if (!payload.text) return;
    // the same card written again while it waits keeps its key: it can only be stored once
    var entry = pending.filter(function (e) {
      return e.payload.section === payload.section && e.payload.text === payload.text &&
        (e.payload.gain || "") === (payload.gain || "");
    })[0];
    if (!entry) {
      payload.client_key = newKey();
      entry = { key: payload.client_key, payload: payload };
      pending.push(entry);
      savePending();
    }
    form.querySelector("textarea[name=text]").value = "";
    var gainBox = form.querySelector("textarea[name=gain]");
    if (gainBox) gainBox.value = "";
    render();
    sendPending(entry);
  }

  // -- wiring ------------------------------------------------------------------------------------------
  function join() {
    emit("workshop_join", { workshop_id: workshopId }).then(function (ack) {
      if (!ack || !ack.ok) {
        if (ack && ack.error && ack.error.code === "workshop_not_found") { markDeleted(); return; }
        showError(ack && ack.error);
        setTimeout(function () { if (socket.connected) join(); }, 3000);
        return;
      }
      setStatus("live");
      if (ack.board.me) me = ack.board.me;
      me.reported = me.reported || [];
      // a board message newer than this snapshot may already have arrived: the usual rule keeps it
      // (versions only grow, across server restarts too)
      applyBoard(ack.board, ack.board.version);
      render();
      flushPending();  // cards written offline, or whose acknowledgement was lost
    });
  }

  if (addForm) {
    addForm.addEventListener("submit", function (e) {
      if (!socket) return;  // no live channel at all: the form posts as usual
      e.preventDefault();  // connected or reconnecting: the card waits in `pending` until acknowledged
      addCard(addForm);
    });
    var sectionSelect = addForm.querySelector("select[name=section]");
    var gainField = addForm.querySelector("[data-gain-field]");
    var toggleGain = function () { gainField.hidden = sectionSelect.value !== "propositions"; };
    sectionSelect.addEventListener("change", toggleGain);
    toggleGain();
  }
  var mergeButtons = document.querySelectorAll("[data-merge]");
  for (var i = 0; i < mergeButtons.length; i++) {
    mergeButtons[i].addEventListener("click", function (e) { mergeSection(e.currentTarget.getAttribute("data-merge")); });
  }

  if (typeof window.io !== "function" || !token) { setStatus("unavailable"); return; }
  setStatus("connecting");
  socket = window.io("/live", { auth: { token: token }, transports: ["websocket", "polling"] });
  socket.on("connect", join);
  socket.on("disconnect", function () {
    if (deleted) return;
    setStatus("offline");
    // acknowledgements never cross a reconnection: every waiting card is sent again after join
    pending.forEach(function (entry) { entry.sending = false; entry.attempt = (entry.attempt || 0) + 1; });
  });
  socket.on("connect_error", function () { setStatus("offline"); });
  socket.on("board", function (msg) {
    if (!msg || msg.workshop_id !== workshopId || typeof msg.version !== "number") return;
    applyBoard(msg.board, msg.version);
  });
})();
