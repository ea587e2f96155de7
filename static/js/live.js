/*
 * Live updates without a front-end framework.
 *
 * One websocket per page (/ws/live/, authenticated by the session cookie).
 * The server sends only small events ({type, kind, case, task}); the page then
 * re-fetches itself and swaps the regions marked data-live-region, so what is
 * shown is always rendered by the server with the user's permissions.
 */
(function () {
  "use strict";
  var body = document.body;
  if (!body || body.dataset.liveEnabled !== "true" || !("WebSocket" in window)) return;

  var regions = function () { return document.querySelectorAll("[data-live-region]"); };
  var announcer = document.getElementById("live-announcer");
  var pending = null;
  var retryDelay = 1000;

  function announce(text) {
    if (announcer && text) { announcer.textContent = ""; announcer.textContent = text; }
  }

  function refreshRegions() {
    if (!regions().length) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var changed = false;
        regions().forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (replacement && replacement.innerHTML !== region.innerHTML) {
            // Keep keyboard focus where it was if the focused element survives.
            var focusedId = document.activeElement && document.activeElement.id;
            region.innerHTML = replacement.innerHTML;
            changed = true;
            if (focusedId) {
              var again = document.getElementById(focusedId);
              if (again) again.focus();
            }
          }
        });
        if (changed) announce(body.dataset.liveUpdatedText);
      })
      .catch(function () { /* the next event or a reload will catch up */ });
  }

  function scheduleRefresh() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(refreshRegions, 150);
  }

  function updateBell(count) {
    var bell = document.getElementById("bell-count");
    if (!bell) return;
    bell.textContent = String(count);
    bell.hidden = count === 0;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/live/");
    socket.addEventListener("open", function () {
      retryDelay = 1000;
      body.dataset.liveConnected = "true";
      if (body.dataset.liveCase) {
        socket.send(JSON.stringify({ subscribe: "case", reference: body.dataset.liveCase }));
      }
    });
    socket.addEventListener("message", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type === "notification") updateBell(event.unread);
      else if (event.type === "case_event") scheduleRefresh();
    });
    socket.addEventListener("close", function () {
      body.dataset.liveConnected = "false";
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  connect();
})();
