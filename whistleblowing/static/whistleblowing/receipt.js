// The receipt page: a button that copies the receipt as one piece, and a
// warning before leaving until "I have saved it" is ticked.
(function () {
  "use strict";
  var copy = document.getElementById("receipt-copy");
  var receipt = document.getElementById("receipt");
  if (copy && receipt && navigator.clipboard) {
    var status = copy.querySelector("[role=status]");
    copy.hidden = false;
    copy.querySelector("button").addEventListener("click", function () {
      navigator.clipboard.writeText(receipt.textContent.trim()).then(function () {
        status.textContent = status.getAttribute("data-done");
      });
    });
  }
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
