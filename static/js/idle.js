/*
 * The warning before an idle logout (WCAG 2.2.1; varde/idle.py,
 * templates/_idle_warning.html). The server ends the session after
 * data-idle-seconds without a request; data-warning-seconds before that the
 * dialog opens with "Stay logged in" focused. That button posts the extend
 * form (its CSRF token included) without leaving the page, so what was typed
 * stays; Esc does the same. If the time runs out, the dialog says so. Nothing
 * typed is stored anywhere.
 */
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var seconds = Number(dialog.getAttribute("data-idle-seconds"));
  var warning = Number(dialog.getAttribute("data-warning-seconds"));
  if (!(seconds > warning && warning > 0)) return;
  var warningPart = dialog.querySelector("[data-idle-state=warning]");
  var endedPart = dialog.querySelector("[data-idle-state=ended]");
  var extend = dialog.querySelector("form[data-idle-extend]");
  var stay = extend.querySelector("button");
  // A few seconds' margin: the server's clock started when it answered.
  var MARGIN = 5000;
  var deadline, ended = false, busy = false, returnTo = null, timer = null;

  function restart() { deadline = Date.now() + seconds * 1000 - MARGIN; }

  function open() {
    if (dialog.open) return;
    returnTo = document.activeElement;
    dialog.showModal();
  }

  dialog.addEventListener("close", function () {
    if (returnTo && returnTo.focus && document.contains(returnTo)) returnTo.focus();
    returnTo = null;
  });

  function end() {
    ended = true;
    clearInterval(timer);
    warningPart.hidden = true;
    endedPart.hidden = false;
    dialog.setAttribute("aria-labelledby", "idle-ended-heading");
    dialog.setAttribute("aria-describedby", "idle-ended-text");
    open();
    document.getElementById("idle-ended-heading").focus();
  }

  function check() {
    var left = deadline - Date.now();
    if (left <= 0) end();
    else if (left <= warning * 1000 && !dialog.open) { open(); stay.focus(); }
  }

  extend.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    fetch(extend.action, {
      method: "POST", body: new FormData(extend), credentials: "same-origin",
      redirect: "manual", headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.signed_in) { restart(); dialog.close(); }
        else end();
      })
      .catch(function () { /* offline: the dialog stays, the button can be pressed again */ })
      .then(function () { busy = false; });
  });

  // Esc while warned means "I am here": stay logged in; after the end it closes.
  dialog.addEventListener("cancel", function (event) {
    if (ended) return;
    event.preventDefault();
    extend.requestSubmit();
  });

  dialog.querySelector("[data-idle-close]").addEventListener("click", function () { dialog.close(); });

  restart();
  timer = setInterval(check, 1000);
}());
