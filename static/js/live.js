/* The one Socket.IO client of a page: join a forum, keep its state versioned, resync on gaps.
 *
 * Every message the server sends to a forum's room carries `event_id` and `version` (one counter
 * per forum, +1 per message). A message at or below the current version is stale and dropped; one
 * more than one step ahead means we missed something, so we ask for the full state (`sync`).
 * Messages received before the join (or sync) answer are buffered and replayed if newer.
 * A message with a `stream` (tallies, quiz counts) is a snapshot counted apart: it applies when newer
 * than the last of its stream, and skipping one is no gap. A tally may come as a delta (`base`: the
 * version of the tally it was computed from, `changed`, `removed`): it applies only on that tally, and
 * on any other we ask for the full state; handlers always receive the whole tally.
 *
 *   Live.connect({eventId, token, onState(state), handlers: {proposal(msg), phase(msg), tally(msg)}})
 *   Live.on(name, handler)          register one more message type (other areas)
 *   Live.emit(name, payload)        Promise of the ack (a vote goes through Live.send instead)
 *   Live.connected()                whether the socket is up now
 *   Live.reloadWhenSafe(banner)     reload the page, unless a form holds unsent text
 *   Live.send(name, payload, key)   an action that must survive the Wi-Fi (a vote): kept in the phone's
 *                                   outbox (localStorage, across reloads) until the server answers it,
 *                                   sent now if connected, else after the next join; a later action with
 *                                   the same key replaces it (votes are absolute values). The answer goes
 *                                   to config.onSent(name, payload, ack); Live.pending() lists the outbox.
 *
 * A status line ([data-live-status]) says when the page is offline, and how many actions wait.
 */
(function () {
  "use strict";

  var ACK_TIMEOUT_MS = 8000;
  var socket = null;
  var config = null;
  var handlers = {};
  var version = null;
  var streams = {};   // stream name -> last version applied (tallies, quiz counts)
  var latest = {};    // stream name -> the whole snapshot shown (a tally delta applies on it)
  var topics = {};    // topic id -> topic, as shown (kept across a resync that leaves them out)
  var ready = false; // true once the join/sync answer gave us a snapshot
  var pending = [];   // messages received while not ready
  var outboxKey = null; // localStorage key of this page's outbox (per forum and participant)
  var outbox = {};    // key -> {name, payload}: actions not yet answered by the server
  var sending = {};   // key -> the JSON of the payload on its way (sent once per connection)
  var everLive = false;

  function setStatus(status) {
    document.documentElement.setAttribute("data-live", status);
    if (status === "live") everLive = true;
    showStatusLine();
  }

  function showStatusLine() {
    var line = document.querySelector("[data-live-status]");
    if (!line) return;
    var status = document.documentElement.getAttribute("data-live");
    var waiting = Object.keys(outbox).length;
    var offline = (status === "offline" || status === "error") && (everLive || waiting > 0);
    var text = "";
    if (offline) text = line.getAttribute("data-text-offline") || "";
    if (waiting) {
      var many = line.getAttribute(waiting === 1 ? "data-text-pending-one" : "data-text-pending-many") || "";
      text = (text ? text + " " : "") + many.replace("{n}", String(waiting));
    }
    if (line.textContent !== text) line.textContent = text;
    line.hidden = !text;
  }

  // -- the outbox: actions kept until the server answers them ------------------------------------
  function saveOutbox() {
    if (!outboxKey) return;
    try {
      if (Object.keys(outbox).length) window.localStorage.setItem(outboxKey, JSON.stringify(outbox));
      else window.localStorage.removeItem(outboxKey);
    } catch (e) { /* private mode, full: the outbox still lives as long as the page */ }
    showStatusLine();
  }

  function loadOutbox() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(outboxKey) || "{}");
      outbox = stored && typeof stored === "object" ? stored : {};
    } catch (e) { outbox = {}; }
  }

  function flushOutbox() {
    if (!socket || !socket.connected || !ready) return;
    Object.keys(outbox).forEach(function (key) {
      var item = outbox[key];
      var body = JSON.stringify(item.payload);
      if (sending[key] === body) return; // already on its way on this connection
      sending[key] = body;
      emitOnce(item.name, item.payload).then(function (ack) {
        if (sending[key] === body) delete sending[key];
        var retry = !ack || (ack.ok === false && ack.error && (ack.error.code === "rate_limited"
          || ack.error.code === "internal_error"));
        if (retry) return; // stays in the outbox: sent again after the next join
        if (outbox[key] && JSON.stringify(outbox[key].payload) === body) {
          delete outbox[key];
          saveOutbox();
        }
        if (config.onSent) config.onSent(item.name, item.payload, ack);
      }, function () {
        if (sending[key] !== body) return;
        delete sending[key]; // no answer: kept, sent again after the next join (or in a moment)
        setTimeout(flushOutbox, 1000);
      });
    });
  }

  function send(name, payload, key) {
    outbox[key] = { name: name, payload: payload };
    saveOutbox();
    flushOutbox();
  }

  function pendingActions() {
    return Object.keys(outbox).map(function (key) { return { key: key, name: outbox[key].name, payload: outbox[key].payload }; });
  }

  /* The whole tally after a delta: changed entries merged by topic, removed ones dropped, ranked by
   * (rank, topic id) as the server ranks them (app/realtime/deltas.py does the same). */
  function applyDelta(previous, delta) {
    var entries = {};
    (previous.ranking || []).forEach(function (entry) { entries[entry.proposal_id] = Object.assign({}, entry); });
    (delta.removed || []).forEach(function (id) { delete entries[id]; });
    (delta.changed || []).forEach(function (entry) {
      entries[entry.proposal_id] = Object.assign(entries[entry.proposal_id] || {}, entry);
    });
    var ranking = Object.keys(entries).map(function (id) { return entries[id]; });
    ranking.sort(function (a, b) { return (a.rank - b.rank) || (a.proposal_id - b.proposal_id); });
    var whole = {};
    Object.keys(delta).forEach(function (key) {
      if (key !== "changed" && key !== "removed" && key !== "base") whole[key] = delta[key];
    });
    whole.ranking = ranking;
    return whole;
  }

  /* The topics as this page holds them: the last snapshot's, with every `proposal` message applied
   * since (a resync from a current version leaves them out: `proposals_kept`). */
  function keepTopics(state) {
    if (state.proposals_kept) {
      state.proposals = Object.keys(topics).map(function (id) { return topics[id]; })
        .sort(function (a, b) { return a.id - b.id; });
    }
    topics = {};
    (state.proposals || []).forEach(function (p) { topics[p.id] = p; });
  }

  function trackTopic(msg) {
    var p = msg && msg.proposal;
    if (!p || typeof p.id !== "number") return;
    if (p.status === "visible") topics[p.id] = p; else delete topics[p.id];
  }

  function applyState(state) {
    keepTopics(state);
    version = state.version;
    streams = Object.assign({}, state.streams || {});
    latest = { tally: state.tally || null };
    ready = true;
    if (config.onState) config.onState(state);
    var queued = pending.sort(function (a, b) { return a.msg.version - b.msg.version; });
    pending = [];
    queued.forEach(function (item) { receive(item.name, item.msg); });
    flushOutbox(); // what the phone did offline, now that it holds the forum's state again
  }

  function requestState(kind) {
    ready = false;
    var ask = { event_id: config.eventId };
    // current at `version` with its topics: the server leaves them out when they did not change since
    if (version !== null && Object.keys(topics).length) ask.version = String(version);
    socket.timeout(ACK_TIMEOUT_MS).emit(kind, ask, function (err, ack) {
      if (err || !ack || !ack.ok) {
        setStatus("error");
        if (config.onError) config.onError(ack && ack.error ? ack.error : { code: "timeout", message: "" });
        // try again a little later: the connection may still be coming up
        setTimeout(function () { if (socket.connected && !ready) requestState(kind); }, 3000);
        return;
      }
      setStatus("live");
      applyState(ack.state);
    });
  }

  function receive(name, msg) {
    if (!msg || typeof msg !== "object" || msg.event_id !== config.eventId || typeof msg.version !== "number") {
      return;
    }
    if (!ready) {
      pending.push({ name: name, msg: msg });
      return;
    }
    if (typeof msg.stream === "string") {
      if (msg.version <= (streams[msg.stream] || 0)) return; // older than what we show
      if (typeof msg.base === "number") {
        // a delta (tallies): it applies only on the exact snapshot it was computed from
        if (msg.base !== streams[msg.stream] || !latest[msg.stream]) {
          pending.push({ name: name, msg: msg });
          requestState("sync");
          return;
        }
        msg = applyDelta(latest[msg.stream], msg);
      }
      streams[msg.stream] = msg.version;
      latest[msg.stream] = msg;
      dispatch(name, msg);
      return;
    }
    if (msg.version <= version) return; // stale or already in the snapshot
    if (msg.version > version + 1) {
      pending.push({ name: name, msg: msg });
      requestState("sync");
      return;
    }
    version = msg.version;
    if (name === "proposal") trackTopic(msg);
    dispatch(name, msg);
  }

  function dispatch(name, msg) {
    var handler = handlers[name];
    if (handler) {
      try {
        handler(msg);
      } catch (error) {
        if (window.console) console.error("live handler " + name + " failed", error);
      }
    }
  }

  function connect(options) {
    config = options;
    handlers = Object.assign({}, handlers, options.handlers || {});
    if (typeof window.io !== "function") {
      setStatus("unavailable");
      return null;
    }
    if (options.outbox) {  // a page whose actions must survive the Wi-Fi: its outbox, kept across reloads
      outboxKey = "barcamp-outbox:" + options.outbox;
      loadOutbox();
    }
    setStatus("connecting");
    socket = window.io("/live", {
      auth: { token: options.token },
      transports: ["websocket", "polling"],
    });
    socket.on("connect", function () { requestState("join"); }); // also after every reconnection
    socket.on("disconnect", function () { ready = false; sending = {}; setStatus("offline"); });
    socket.on("connect_error", function () { setStatus("offline"); });
    socket.onAny(receive);
    // the phone knows it lost the network before the heartbeat does (up to 40 s): go offline now, and
    // reconnect (then resync and send the outbox) as soon as the network is back
    window.addEventListener("offline", function () { if (socket.connected) socket.io.engine.close(); });
    window.addEventListener("online", function () { if (!socket.connected) socket.connect(); });
    return socket;
  }

  function on(name, handler) {
    handlers[name] = handler;
  }

  function emitOnce(name, payload) {
    return new Promise(function (resolve, reject) {
      socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, function (err, ack) {
        if (err) reject(err); else resolve(ack);
      });
    });
  }

  function emit(name, payload) {
    if (!socket) return Promise.reject(new Error("not connected"));
    return emitOnce(name, payload);
  }

  function hasUnsentText() {
    var fields = document.querySelectorAll("form input[type=text], form input:not([type]), form textarea");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() !== "" && fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }

  function reloadWhenSafe(banner) {
    if (!banner || !hasUnsentText()) {
      window.location.reload();
      return;
    }
    banner.hidden = false;
    banner.addEventListener("click", function () { window.location.reload(); });
  }

  function connected() {
    return !!socket && socket.connected;
  }

  window.Live = { connect: connect, on: on, emit: emit, connected: connected, reloadWhenSafe: reloadWhenSafe,
                  hasUnsentText: hasUnsentText, send: send, pending: pendingActions,
                  resync: function () { if (socket && socket.connected) requestState("sync"); } };
})();
