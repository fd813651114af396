// Glossary terms marked in user text (app/resources/glossary.py): each term is a link to the
// glossary page; with JavaScript it becomes a disclosure button that shows the definition in place.
// Text that arrives live is marked here the same way, from the page's term list
// (templates/resources/_glossary_data.html, made by glossary.py's matcher_data).
// Loaded on every page by base.html; no inline script, no innerHTML: user text only goes into text nodes.
//
//   barcampGlossary.fill(node, text)   replace node's content with text, its glossary terms marked
//   barcampGlossary.enhance(root)      make the marked terms under root disclosure buttons
(function () {
  "use strict";

  function toggle(link) {
    var def = document.getElementById(link.getAttribute("data-glossary-for"));
    if (!def) return;
    var open = link.getAttribute("aria-expanded") === "true";
    link.setAttribute("aria-expanded", open ? "false" : "true");
    def.hidden = open;
  }

  function enhance(root) {
    var links = (root || document).querySelectorAll("a.glossary-term[data-glossary-for]:not([role])");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      link.setAttribute("role", "button");
      link.setAttribute("aria-expanded", "false");
      link.setAttribute("aria-controls", link.getAttribute("data-glossary-for"));
    }
  }

  // -- marking live text: the rules of app/resources/glossary.py -------------------------------------
  var matcher; // undefined: not read yet; null: no term list on this page
  var liveIds = 0;

  function loadMatcher() {
    if (matcher !== undefined) return matcher;
    matcher = null;
    var block = document.getElementById("glossary-data");
    if (!block) return null;
    var data;
    try { data = JSON.parse(block.textContent); } catch (error) { return null; }
    if (!data || !data.phrases || !data.phrases.length) return null;
    var owner = {};
    var alternatives = data.phrases.map(function (pair) {
      owner[pair[0]] = pair[1];
      return pair[0].replace(/[\\^$.*+?()[\]{}|\/]/g, "\\$&");
    });
    // longest first as sent; never inside a word (Python's Unicode \w is [\p{L}\p{N}_])
    matcher = {
      url: data.url, terms: data.terms, owner: owner,
      pattern: new RegExp("(?<![\\p{L}\\p{N}_])(" + alternatives.join("|") + ")(?![\\p{L}\\p{N}_])", "giu"),
    };
    return matcher;
  }

  function marked(text, term) {
    var uid = "gdef-live-" + (++liveIds);
    var link = document.createElement("a");
    link.className = "glossary-term";
    link.href = matcher.url + "#term-" + term.slug;
    link.setAttribute("data-glossary-for", uid);
    link.textContent = text;
    var def = document.createElement("span");
    def.className = "glossary-def";
    def.id = uid;
    def.setAttribute("role", "note");
    def.hidden = true;
    var name = document.createElement("strong");
    name.textContent = term.term;
    def.appendChild(name);
    def.appendChild(document.createTextNode(" : " + term.definition));
    return [link, def];
  }

  function fill(node, text) {
    while (node.firstChild) node.removeChild(node.firstChild);
    text = text || "";
    var m = loadMatcher();
    if (!m || !text) {
      node.textContent = text;
      return;
    }
    var done = {};
    var end = 0;
    var found;
    m.pattern.lastIndex = 0;
    while ((found = m.pattern.exec(text)) !== null) {
      var index = m.owner[found[1].toLowerCase()];
      if (index === undefined || done[index]) continue;
      done[index] = true;
      if (found.index > end) node.appendChild(document.createTextNode(text.slice(end, found.index)));
      marked(found[1], m.terms[index]).forEach(function (part) { node.appendChild(part); });
      end = found.index + found[0].length;
    }
    if (end < text.length) node.appendChild(document.createTextNode(text.slice(end)));
    enhance(node);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.glossary-term[role=button]");
    if (!link) return;
    event.preventDefault();
    toggle(link);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== " ") return;
    var link = event.target.closest && event.target.closest("a.glossary-term[role=button]");
    if (!link) return;
    event.preventDefault();
    toggle(link);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  window.barcampGlossary = { enhance: enhance, fill: fill };
})();
