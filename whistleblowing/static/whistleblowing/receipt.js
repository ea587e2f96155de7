// Warn before leaving the receipt page until "I have saved it" is ticked.
(function () {
  "use strict";
  var box = document.getElementById("id_saved");
  if (!box) { return; }
  function guard(event) {
    if (!box.checked) { event.preventDefault(); event.returnValue = ""; }
  }
  window.addEventListener("beforeunload", guard);
  document.getElementById("receipt-saved-form").addEventListener("submit", function () {
    window.removeEventListener("beforeunload", guard);
  });
}());
