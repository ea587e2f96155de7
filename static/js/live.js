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
  var pausedTimer = null;
  var paused = null;

  // When the socket stays closed (server restarting, Redis gone), say so
  // quietly once; when it is back, remove the note and catch up.
  function showPaused() {
    if (paused || !body.dataset.livePausedText) return;
    paused = document.createElement("p");
    paused.className = "live-paused";
    paused.setAttribute("role", "status");
    paused.textContent = body.dataset.livePausedText;
    var main = document.getElementById("main");
    if (main) main.insertBefore(paused, main.firstChild);
  }

  function hidePaused() {
    if (pausedTimer) { clearTimeout(pausedTimer); pausedTimer = null; }
    if (paused) {
      paused.remove();
      paused = null;
      scheduleRefresh();
    }
  }

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
      hidePaused();
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
      if (!pausedTimer && !paused) pausedTimer = setTimeout(showPaused, 4000);
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  connect();
})();
