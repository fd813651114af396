// Glossary terms marked in user text (app/resources/glossary.py): each term is a link to the
// glossary page; with JavaScript it becomes a disclosure button that shows the definition in place.
// Loaded on every page by base.html; no inline script, no innerHTML.
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
  window.barcampGlossary = { enhance: enhance };
})();
