/* The icebreaker quiz on phones and on the projector, on top of Live (static/js/live.js).
 *
 * The page is server-rendered and works without JavaScript (answers are plain form posts). With
 * JavaScript, answers go over Socket.IO (`quiz_answer`, acknowledged after commit) and the view is
 * rebuilt from the state: `join`/`sync` snapshots (state.quiz) and `quiz` messages (state changes at
 * once; counts and room distribution coalesced by the server). Text is only ever set with textContent.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("quiz-data");
  var root = document.querySelector("[data-quiz-root]");
  if (!dataNode || !root) return;
  var data = JSON.parse(dataNode.textContent);
  var page = document.body.getAttribute("data-page");
  var joinBits = root ? Array.prototype.slice.call(
    root.querySelectorAll(".quiz-proj-intro .qr, .quiz-proj-intro .join-code-label, .quiz-proj-intro .join-code")) : [];
  var eventId = parseInt(document.body.getAttribute("data-event-id"), 10);
  var token = document.body.getAttribute("data-live-token");
  var quiz = data.quiz, state = data.state, me = data.me || null, room = data.room || null;
  var LETTERS = "ABCDEF";
  var shown = firstUnanswered();
  var errorText = "";
  var timer = null;
  // Interface strings in the page's language (app/resources/i18n.py JS_MESSAGES, <meta name="barcamp-i18n">)
  var I18N = (function () {
    var meta = document.querySelector('meta[name="barcamp-i18n"]');
    try { return meta ? JSON.parse(meta.getAttribute("content")) : {}; } catch (e) { return {}; }
  })();

  function t(key, fallback, vars) {
    var text = I18N[key] || fallback;
    Object.keys(vars || {}).forEach(function (name) { text = text.split("%(" + name + ")s").join(String(vars[name])); });
    return text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function answers() { return (me && me.answers) || {}; }

  function firstUnanswered(after) {
    var given = answers();
    var start = after === undefined ? 0 : after + 1;
    for (var i = start; i < quiz.questions.length; i++) if (!(String(i) in given)) return i;
    for (var j = 0; j < start && j < quiz.questions.length; j++) if (!(String(j) in given)) return j;
    return null;
  }

  // -- pieces -------------------------------------------------------------------------------
  function countdown() {
    var node = el("p", "quiz-countdown");
    node.setAttribute("data-deadline", state.deadline);
    tick(node);
    return node;
  }

  function tick(node) {
    var left = Math.max(0, Math.round((Date.parse(node.getAttribute("data-deadline")) - Date.now()) / 1000));
    node.textContent = t("quiz.time_left", "Temps restant : %(n)s s", { n: left });
  }

  function questionView(index) {
    var q = quiz.questions[index];
    var section = el("section", "card quiz-question");
    section.appendChild(el("p", "eyebrow", t("quiz.question_of", "Question %(n)s sur %(total)s", { n: index + 1, total: quiz.questions.length })));
    section.appendChild(el("h1", "quiz-q-text", q.text));
    if (state.deadline && state.status === "open") section.appendChild(countdown());
    var list = el("div", "quiz-answers");
    var chosen = answers()[String(index)];
    var open = state.accepting && (state.mode === "self_paced" || state.question === index);
    q.answers.forEach(function (a, j) {
      var button = el("button", "quiz-answer" + (chosen === j ? " is-chosen" : ""));
      button.type = "button";
      button.setAttribute("aria-pressed", chosen === j ? "true" : "false");
      button.appendChild(el("span", "quiz-answer-letter", LETTERS[j])).setAttribute("aria-hidden", "true");
      button.appendChild(document.createTextNode(" " + a.text));
      if (state.counts && state.question === index) {
        button.appendChild(el("strong", "quiz-bar-value", " " + state.counts[j]));
      }
      button.disabled = !open;
      button.addEventListener("click", function () { answer(index, j, button); });
      list.appendChild(button);
    });
    section.appendChild(list);
    if (!open && state.mode === "live" && state.status === "closed") {
      section.appendChild(el("p", "hint", t("quiz.closed_wait", "Question close. En attente de la suivante…")));
    }
    if (errorText) section.appendChild(el("p", "error-text", errorText)).setAttribute("role", "alert");
    return section;
  }

  function navView() {
    var nav = el("nav", "quiz-nav");
    nav.setAttribute("aria-label", "Questions");
    var list = el("ol");
    quiz.questions.forEach(function (_q, i) {
      var item = el("li");
      var button = el("button", String(i) in answers() ? "is-answered" : "", i + 1);
      button.type = "button";
      if (i === shown) button.setAttribute("aria-current", "step");
      button.addEventListener("click", function () { shown = i; errorText = ""; render(); });
      item.appendChild(button);
      list.appendChild(item);
    });
    nav.appendChild(list);
    return nav;
  }

  function profileView() {
    var section = el("section", "card quiz-result");
    section.id = "quiz-result";
    if (quiz.kind === "scored") {
      // no score while answers can still change (the server sends null): it would give the right answers away
      section.appendChild(el("h2", null, me && me.score !== null && me.score !== undefined
        ? t("quiz.score", "Votre score : %(n)s points", { n: me.score })
        : t("quiz.score_later", "Votre score s'affichera quand vos réponses seront définitives.")));
      return section;
    }
    var profile = me && me.profile;
    if (!profile) {
      section.appendChild(el("h2", null, t("quiz.not_answered", "Vous n'avez pas encore répondu.")));
      return section;
    }
    section.appendChild(el("h2", null, profile.mixed ? t("quiz.mixed", "Votre profil est mixte") : t("quiz.style", "Votre style d'innovation")));
    profile.profiles.forEach(function (p) {
      var article = el("article", "quiz-profile");
      var title = el("h3");
      title.appendChild(el("span", "quiz-symbol", p.symbol)).setAttribute("aria-hidden", "true");
      title.appendChild(document.createTextNode(" " + t("quiz.majority", "Une majorité de « %(name)s »", { name: p.name })));
      article.appendChild(title);
      article.appendChild(el("p", null, p.description));
      var ex = el("p"); ex.appendChild(el("strong", null, t("quiz.example", "Exemple inspirant :") + " ")); ex.appendChild(document.createTextNode(p.example));
      var att = el("p"); att.appendChild(el("strong", null, t("quiz.attention", "Points d'attention :") + " ")); att.appendChild(document.createTextNode(p.attention));
      article.appendChild(ex);
      article.appendChild(att);
      section.appendChild(article);
    });
    return section;
  }

  function bar(label, value, total) {
    var item = el("li", "quiz-bar");
    item.appendChild(el("span", "quiz-bar-label", label));
    var progress = el("progress", "quiz-bar-track");
    progress.max = total || 1;
    progress.value = value;
    item.appendChild(progress);
    item.appendChild(el("span", "quiz-bar-value", value));
    return item;
  }

  function roomView(results) {
    var section = el("section", "quiz-room");
    var title = el("h2", null, t("quiz.room", "La salle") + " ");
    title.appendChild(el("span", "count", results.respondents));
    title.appendChild(el("span", "hint", " " + t("quiz.respondents", "répondant·es")));
    section.appendChild(title);
    if (results.profiles) {
      var list = el("ul", "quiz-bars");
      quiz.profiles.forEach(function (p) {
        list.appendChild(bar(p.symbol + " " + p.name, results.profiles[p.symbol] || 0, results.respondents));
      });
      list.appendChild(bar(t("quiz.mixed_bar", "Profils mixtes (ex æquo)"), results.mixed || 0, results.respondents));
      section.appendChild(list);
    } else {
      var board = el("ol", "quiz-leaderboard");
      (results.leaderboard || []).forEach(function (e) {
        var li = el("li");
        li.appendChild(el("span", "quiz-rank", e.rank));
        li.appendChild(document.createTextNode(" " + e.name + " "));
        li.appendChild(el("span", "quiz-bar-value", e.score));
        board.appendChild(li);
      });
      section.appendChild(board);
    }
    return section;
  }

  function notice(title, text) {
    var section = el("section", "card notice");
    section.appendChild(el("h1", null, title));
    if (text) section.appendChild(el("p", null, text));
    return section;
  }

  // -- views ----------------------------------------------------------------------------------
  function phoneView() {
    var frag = document.createDocumentFragment();
    if (state.status === "results" || (state.mode === "self_paced" && shown === null)) {
      frag.appendChild(profileView());
      var results = state.results || room;
      if (results) { var card = el("div", "card"); card.appendChild(roomView(results)); frag.appendChild(card); }
      return frag;
    }
    if (state.mode === "live") {
      if (state.question === null || state.question === undefined) {
        frag.appendChild(notice(quiz.title, t("quiz.first_soon", "La première question va s'afficher ici. Gardez cette page ouverte.")));
      } else {
        frag.appendChild(questionView(state.question));
      }
      return frag;
    }
    frag.appendChild(questionView(shown));
    frag.appendChild(navView());
    return frag;
  }

  function projectorView() {
    var frag = document.createDocumentFragment();
    if (state.mode === "live" && state.status !== "results" && state.question !== null && state.question !== undefined) {
      var q = quiz.questions[state.question];
      var section = el("section", "quiz-proj-question");
      section.appendChild(el("p", "eyebrow", t("quiz.question_of", "Question %(n)s sur %(total)s", { n: state.question + 1, total: quiz.questions.length })));
      section.appendChild(el("h2", "quiz-q-text", q.text));
      if (state.deadline && state.status === "open") section.appendChild(countdown());
      var list = el("ol", "quiz-proj-answers");
      var total = state.counts ? state.counts.reduce(function (a, b) { return a + b; }, 0) : 0;
      q.answers.forEach(function (a, j) {
        if (state.counts) {
          list.appendChild(bar(LETTERS[j] + " " + a.text, state.counts[j], total));
        } else {
          var li = el("li");
          li.appendChild(el("span", "quiz-answer-letter", LETTERS[j]));
          li.appendChild(document.createTextNode(" " + a.text));
          list.appendChild(li);
        }
      });
      section.appendChild(list);
      var count = el("p", "quiz-proj-count", t("quiz.answers", "Réponses :") + " ");
      count.appendChild(el("span", null, state.counts ? total : (state.answered || 0)));
      section.appendChild(count);
      frag.appendChild(section);
      return frag;
    }
    if (state.mode === "live" && state.status === "waiting") {
      var waiting = notice(quiz.title, quiz.intro);
      // keep the server-rendered QR code with the join code in text beside it (RGAA: never a QR alone)
      joinBits.forEach(function (node) { waiting.appendChild(node.cloneNode(true)); });
      frag.appendChild(waiting);
      return frag;
    }
    frag.appendChild(roomView(state.results || room || { respondents: 0, profiles: {}, mixed: 0, leaderboard: [] }));
    return frag;
  }

  function render() {
    if (page === "quiz-phone" && state.mode === "self_paced" && shown !== null && !(shown < quiz.questions.length)) {
      shown = firstUnanswered();
    }
    // a live re-render must not drop the focus (WCAG 2.4.3): note where it is, put it back after
    var active = document.activeElement;
    var inside = active && active !== root && root.contains(active);
    var focusIndex = inside ? Array.prototype.indexOf.call(root.querySelectorAll("button"), active) : -1;
    var focusHeading = inside && focusIndex < 0;
    root.replaceChildren(page === "quiz-phone" ? phoneView() : projectorView());
    if (focusIndex >= 0 && root.querySelectorAll("button")[focusIndex]) {
      root.querySelectorAll("button")[focusIndex].focus();
    } else if (focusHeading) {
      var heading = root.querySelector(".quiz-q-text") || document.getElementById("quiz-result");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
    if (timer) clearInterval(timer);
    var node = root.querySelector(".quiz-countdown");
    if (node) timer = setInterval(function () { tick(node); }, 1000);
  }

  // -- answering --------------------------------------------------------------------------------
  function answer(question, choice, button) {
    button.setAttribute("aria-busy", "true");
    window.Live.emit("quiz_answer", { question: question, choice: choice }).then(function (ack) {
      if (ack && ack.ok) {
        me = ack.me;
        errorText = "";
        if (state.mode === "self_paced") shown = firstUnanswered(question);
      } else {
        errorText = (ack && ack.error && ack.error.message) || t("quiz.not_saved", "Réponse non enregistrée.");
      }
      render();
      // the pressed button went with the re-render: put the focus on what replaced it (the next
      // question's heading, or the result) rather than back at the top of the page (RGAA 7.1)
      var next = state.mode === "self_paced" && shown === null
        ? document.getElementById("quiz-result") : root.querySelector(".quiz-q-text");
      if (next) {
        next.setAttribute("tabindex", "-1");
        next.focus();
        next.scrollIntoView();
      }
    }, function () {
      errorText = t("quiz.lost", "Connexion perdue : réponse non enregistrée, réessayez.");
      render();
    });
  }

  // -- live ----------------------------------------------------------------------------------------
  function onQuiz(msg) {
    if (msg.kind === "state") {
      var wasQuestion = state.question;
      state = msg.state;
      if (state.question !== wasQuestion) errorText = "";
    } else if (msg.kind === "counts") {
      if (msg.question === state.question && state.status === "open") state.answered = msg.answered;
      else return;
    } else if (msg.kind === "room") {
      room = msg.results;
    }
    render();
  }

  if (!window.Live || typeof window.io !== "function") return; // the forms keep working
  window.Live.connect({
    eventId: eventId,
    token: token,
    onState: function (snapshot) {
      if (snapshot.event && snapshot.event.phase !== "icebreaker") { window.Live.reloadWhenSafe(null); return; }
      if (snapshot.quiz) {
        quiz = snapshot.quiz;
        state = snapshot.quiz.state;
        if (snapshot.quiz.me) me = snapshot.quiz.me;
      }
      render();
    },
    handlers: {
      phase: function () { window.Live.reloadWhenSafe(null); },
      quiz: onQuiz,
    },
  });
})();
