// Varde: small helpers on every page, for people on phones and with a keyboard.
// Everything works without this file; it only adds comfort.
(function () {
  "use strict";

  // After a failed submit, move focus to the list of problems (it is
  // announced as an alert) so nobody has to search for it below the fold.
  function focusProblems() {
    var main = document.getElementById("main");
    if (!main) { return; }
    var summary = main.querySelector(".error-summary, .message--error[role=alert]");
    if (!summary) { return; }
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }

  // A link in the summary puts the focus in its field, not only scrolls to it.
  function followProblemLinks(event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    field.focus();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({block: "start"});
  }

  // On narrow screens tables become cards (varde.css); each cell shows its
  // column heading, which is copied here from the table's <thead>.
  function labelCells(root) {
    var tables = (root || document).querySelectorAll("table.table");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.tHead && table.tHead.rows.length ? table.tHead.rows[0].cells : null;
      if (!heads) { return; }
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var head = heads[column];
            if (head && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", head.textContent.trim());
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  focusProblems();
  labelCells(document);
  document.addEventListener("click", followProblemLinks);
  if (window.MutationObserver) {
    // Live regions (live.js) swap in fresh tables.
    new MutationObserver(function () { labelCells(document); })
      .observe(document.body, {childList: true, subtree: true});
  }
}());
