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

  // "The same" element in a fresh copy of a region: its id, else its
  // data-live-key, else a link's href, else its form's action with its tag,
  // name (and value, for a radio or a checkbox); the n-th element with that
  // key in the region. The queue's buttons and links have no ids, and a
  // colleague's claim removes rows above them, so position alone will not do.
  var KEYED = "a[href], button, input, select, textarea, summary, details, [tabindex]";
  var CONTROLS = "input, select, textarea";

  function baseKey(el) {
    if (el.id) return "#" + el.id;
    if (el.getAttribute("data-live-key")) return "k:" + el.getAttribute("data-live-key");
    var tag = el.tagName.toLowerCase();
    if (tag === "a") return "a:" + el.getAttribute("href");
    var form = el.closest("form");
    var details = el.closest("details");
    var where = form ? "f:" + (form.getAttribute("action") || "")
      : "d:" + (details ? details.className : "");
    var choice = el.type === "radio" || el.type === "checkbox" ? el.value : "";
    return where + "|" + tag + "|" + (el.getAttribute("name") || "") + "|" + choice;
  }

  function keyed(root, selector) {
    var byKey = {}, seen = {};
    Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
      var base = baseKey(el);
      seen[base] = (seen[base] || 0) + 1;
      byKey[base + "~" + seen[base]] = el;
    });
    return byKey;
  }

  function keyOf(byKey, el) {
    for (var key in byKey) { if (byKey[key] === el) return key; }
    return null;
  }

  // What the user typed, ticked or chose and has not sent yet.
  function isDirty(el) {
    var type = el.type;
    if (type === "hidden" || type === "submit" || type === "button" || type === "reset") return false;
    if (type === "file") return !!(el.files && el.files.length);
    if (type === "checkbox" || type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }

  function copyInput(from, to) {
    if (from.type === "checkbox" || from.type === "radio") { to.checked = from.checked; return; }
    if (from.tagName === "SELECT") {
      var chosen = {};
      Array.prototype.forEach.call(from.options, function (o) { chosen[o.value] = o.selected; });
      Array.prototype.forEach.call(to.options, function (o) { o.selected = !!chosen[o.value]; });
      return;
    }
    to.value = from.value;
  }

  // Swap one region for its fresh copy, keeping what the user typed, which
  // <details> they opened or closed, and the keyboard focus. A region whose
  // typed input would have nowhere to go (its form is gone, or a file is
  // chosen) is left as it is: "held". Returns "changed", "held" or "".
  function swap(region, replacement) {
    if (replacement.innerHTML === region.innerHTML) return "";
    var controls = keyed(region, CONTROLS);
    var freshControls = keyed(replacement, CONTROLS);
    var typed = [];
    for (var key in controls) {
      if (!isDirty(controls[key])) continue;
      if (controls[key].type === "file" || !freshControls[key]) return "held";
      typed.push(key);
    }
    var opened = {};
    var details = keyed(region, "details");
    for (var name in details) opened[name] = details[name].open;

    var active = document.activeElement;
    var hadFocus = !!active && active !== region && region.contains(active);
    var focusKey = null, selection = null;
    if (hadFocus) {
      focusKey = keyOf(keyed(region, KEYED), active);
      try {
        if (typeof active.selectionStart === "number") {
          selection = [active.selectionStart, active.selectionEnd];
        }
      } catch (e) { /* inputs without a selection */ }
    }
    var old = {};
    typed.forEach(function (k) { old[k] = controls[k]; });

    region.innerHTML = replacement.innerHTML;

    var now = keyed(region, CONTROLS);
    typed.forEach(function (k) { if (now[k]) copyInput(old[k], now[k]); });
    var freshDetails = keyed(region, "details");
    for (var d in freshDetails) { if (d in opened) freshDetails[d].open = opened[d]; }
    if (hadFocus) restoreFocus(region, focusKey, selection);
    return "changed";
  }

  function restoreFocus(region, focusKey, selection) {
    var again = focusKey && keyed(region, KEYED)[focusKey];
    if (!again) {
      // Gone (a colleague took the task): the region's heading, not <body>.
      again = region.querySelector("h1, h2, h3") || region;
      if (!again.hasAttribute("tabindex")) again.setAttribute("tabindex", "-1");
    }
    again.focus({ preventScroll: true });
    if (selection && typeof again.setSelectionRange === "function") {
      try { again.setSelectionRange(selection[0], selection[1]); } catch (e) { /* not a text input */ }
    }
  }

  function refreshRegions() {
    if (!regions().length) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var changed = false, held = false;
        regions().forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (!replacement) return;
          var result = swap(region, replacement);
          changed = changed || result === "changed";
          held = held || result === "held";
        });
        var texts = [];
        if (changed && body.dataset.liveUpdatedText) texts.push(body.dataset.liveUpdatedText);
        if (held && body.dataset.liveHeldText) texts.push(body.dataset.liveHeldText);
        if (texts.length) announce(texts.join(" "));
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
