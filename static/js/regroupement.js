/* Regroupement: similar-topic suggestions under the propose form, theme filter and grouping of the
 * phone's topic list, the threshold slider of the organiser's page. Plain JS, textContent only.
 * Everything here is an enhancement: without it the form posts, the list shows, the slider submits. */
(function () {
  "use strict";

  // -- organiser page: show the slider's value as it moves -------------------------------------
  var slider = document.querySelector("[data-threshold]");
  var sliderOut = document.querySelector("[data-threshold-output]");
  if (slider && sliderOut) {
    slider.addEventListener("input", function () { sliderOut.textContent = Number(slider.value).toFixed(2); });
  }

  var body = document.body;
  if (body.getAttribute("data-page") !== "forum") return;
  var token = body.getAttribute("data-live-token");

  // -- suggestions while typing a title ---------------------------------------------------------
  var box = document.querySelector("[data-suggestions]");
  var title = document.querySelector(".proposal-form input[name=title]");
  if (box && title && window.fetch) {
    var url = box.getAttribute("data-similar-url");
    var supportUrl = box.getAttribute("data-support-url");
    var listEl = box.querySelector("[data-suggestion-list]");
    var template = box.querySelector("[data-suggestion-template]");
    var cache = {};
    var timer = null;
    var inFlight = null;
    var latest = "";
    var DELAY = 400; // ms after the last key: one request per pause, not per key (slow connections)

    var render = function (items) {
      while (listEl.firstChild) listEl.removeChild(listEl.firstChild);
      items.slice(0, 3).forEach(function (item) {
        var li = template.content.firstElementChild.cloneNode(true);
        li.querySelector("[data-slot=title]").textContent = item.title;
        li.querySelector("form").action = supportUrl.replace("/proposals/0/", "/proposals/" + item.proposal_id + "/");
        listEl.appendChild(li);
      });
      box.hidden = items.length === 0;
    };

    var query = function (text) {
      if (cache[text]) { render(cache[text]); return; }
      if (inFlight && inFlight.abort) inFlight.abort(); // only the latest text matters
      inFlight = window.AbortController ? new AbortController() : null;
      fetch(url + "?text=" + encodeURIComponent(text), {
        headers: { Authorization: "Bearer " + token, Accept: "application/json" },
        signal: inFlight ? inFlight.signal : undefined,
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (items) {
        cache[text] = items;
        if (text === latest) render(items); // a late answer for an older text is dropped
      }).catch(function () { /* offline or aborted: keep what is shown */ });
    };

    title.addEventListener("input", function () {
      var text = title.value.trim();
      latest = text;
      clearTimeout(timer);
      if (text.length < 4) { render([]); return; }
      timer = setTimeout(function () { query(text); }, DELAY);
    });
  }

  // -- theme filter and grouping of the topic list -------------------------------------------------
  var filter = document.querySelector("[data-theme-filter]");
  var topics = document.querySelector("[data-topics]");
  if (!filter || !topics) return;
  filter.hidden = false;
  var noTheme = filter.getAttribute("data-no-theme") || "";
  var order = Array.prototype.map.call(filter.querySelectorAll("[data-theme]"), function (b) {
    return b.getAttribute("data-theme");
  }).filter(Boolean);
  var current = "";
  var observer = null;

  var themeOf = function (item) {
    var slot = item.querySelector("[data-slot=theme]");
    return slot && !slot.hidden ? slot.textContent.trim() : "";
  };

  var arrange = function () {
    Array.prototype.forEach.call(topics.querySelectorAll("[data-theme-heading]"), function (h) { h.remove(); });
    var items = Array.prototype.slice.call(topics.querySelectorAll(":scope > [data-proposal-id]"));
    var groups = {};
    items.forEach(function (item) {
      var theme = themeOf(item);
      (groups[theme] = groups[theme] || []).push(item);
      item.hidden = current !== "" && theme !== current;
    });
    order.concat([""]).forEach(function (theme) {
      var members = groups[theme];
      if (!members || !members.length) return;
      if (current === "" || current === theme) {
        var heading = document.createElement("li");
        heading.className = "theme-heading";
        heading.setAttribute("data-theme-heading", "");
        heading.textContent = theme || noTheme;
        topics.appendChild(heading);
      }
      members.forEach(function (item) { topics.appendChild(item); });
    });
    // our own moves are mutations too: drop them, or the observer would call us forever
    if (observer) observer.takeRecords();
  };

  filter.addEventListener("click", function (e) {
    var button = e.target.closest("[data-theme]");
    if (!button) return;
    current = button.getAttribute("data-theme");
    Array.prototype.forEach.call(filter.querySelectorAll("[data-theme]"), function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    arrange();
  });

  // Topics arrive live (forum.js appends them): put each under its theme.
  if (window.MutationObserver) {
    observer = new MutationObserver(function (records) {
      var added = records.some(function (r) {
        return Array.prototype.some.call(r.addedNodes, function (n) { return n.nodeType === 1 && n.hasAttribute("data-proposal-id"); });
      });
      if (added) arrange();
    });
    observer.observe(topics, { childList: true });
  }
  arrange();
})();
