/* The counter floor's screens: one EventSource per page on the unit's state stream
   (`data-stream` on <body>), then what each page does with a new state. No inline script. */
(function () {
  "use strict";
  var body = document.body;
  var page = body.getAttribute("data-page");

  function listen(onState) {
    var url = body.getAttribute("data-stream");
    if (!url || !window.EventSource) return;
    var status = document.getElementById("live-status");
    var source = new EventSource(url);
    source.addEventListener("state", function (event) {
      var state;
      try { state = JSON.parse(event.data); } catch (e) { return; }
      if (status) { status.textContent = status.getAttribute("data-online"); status.classList.remove("offline"); }
      onState(state);
    });
    source.onerror = function () {
      if (status) { status.textContent = status.getAttribute("data-offline"); status.classList.add("offline"); }
    };
    window.floorSource = source;
  }

  function chime() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      var ctx = new Ctx();
      [[660, 0], [880, 0.35]].forEach(function (tone) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.frequency.value = tone[0];
        gain.gain.setValueAtTime(0.25, ctx.currentTime + tone[1]);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + tone[1] + 0.6);
        osc.connect(gain); gain.connect(ctx.destination);
        osc.start(ctx.currentTime + tone[1]); osc.stop(ctx.currentTime + tone[1] + 0.6);
      });
    } catch (e) { /* no audio device */ }
  }

  function spokenNumber(number) {
    // "A015" -> "A 0 1 5": read digit by digit, as the halls do.
    return number.split("").join(" ");
  }

  function say(template, call) {
    if (!window.speechSynthesis) return;
    var lang = body.getAttribute("data-voice-lang") || "vi-VN";
    var voices = window.speechSynthesis.getVoices();
    var voice = null;
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(lang.slice(0, 2).toLowerCase()) === 0) { voice = voices[i]; break; }
    }
    if (!voice) return; // only where the browser has a voice of the page's language
    var text = template.replace("{number}", spokenNumber(call.number)).replace("{counter}", call.counter);
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice; utterance.lang = voice.lang;
    window.speechSynthesis.speak(utterance);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  if (page === "display") {
    var seen = {};
    var first = true;
    document.querySelectorAll("#calling .num").forEach(function (n) { seen[n.textContent] = true; });
    listen(function (state) {
      var list = document.getElementById("calling");
      list.textContent = "";
      var fresh = [];
      state.calling.forEach(function (call) {
        var key = call.number + "@" + call.counter;
        var li = el("li");
        li.appendChild(el("span", "num", call.number));
        li.appendChild(el("span", "arrow", "→"));
        li.appendChild(el("span", "ctr", call.counter));
        if (!seen[key] && !first) { li.classList.add("fresh"); fresh.push(call); }
        seen[key] = true;
        list.appendChild(li);
      });
      var last = document.getElementById("last-calls");
      last.textContent = "";
      state.last_calls.forEach(function (call) { last.appendChild(el("li", "", call.number + " → " + call.counter)); });
      document.querySelectorAll("#waiting dd[data-group]").forEach(function (dd) {
        var n = state.waiting[dd.getAttribute("data-group")];
        dd.textContent = n === undefined ? "0" : String(n);
      });
      body.setAttribute("data-version", String(state.version));
      if (fresh.length) {
        chime();
        var template = body.getAttribute("data-say");
        fresh.forEach(function (call) { say(template, call); });
      }
      first = false;
    });
  } else if (page === "phone") {
    var statusUrl = body.getAttribute("data-status-url");
    listen(function () {
      fetch(statusUrl, { headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (view) {
          if (!view) return;
          var before = document.getElementById("p-before");
          var called = document.getElementById("p-called");
          before.textContent = before.getAttribute("data-template").replace("{n}", view.waiting_before);
          before.hidden = view.status !== "waiting";
          called.textContent = view.counter ? called.getAttribute("data-template").replace("{counter}", view.counter) : "";
          called.hidden = view.status !== "called";
          document.getElementById("p-status").textContent = view.status_name;
          if (view.status === "called" && navigator.vibrate) navigator.vibrate([200, 100, 200]);
        });
    });
  } else if (page === "tablet") {
    var fragmentUrl = body.getAttribute("data-fragment-url");
    var holder = document.getElementById("tablet-body");
    listen(function () {
      if (holder.querySelector("form.rate-form input[type=checkbox]:checked")) return; // answering
      fetch(fragmentUrl, { cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var current = holder.querySelector("input[name=ticket]");
          var doc = new DOMParser().parseFromString(html, "text/html");
          var next = doc.querySelector("input[name=ticket]");
          if ((current && current.value) === (next && next.value) && !holder.querySelector(".thanks")) return;
          holder.replaceChildren.apply(holder, Array.prototype.slice.call(doc.body.childNodes));
        });
    });
  } else if (page === "kiosk") {
    listen(function (state) {
      document.querySelectorAll("[data-waiting]").forEach(function (node) {
        var n = state.waiting[node.getAttribute("data-waiting")] || 0;
        node.textContent = node.getAttribute("data-label") ? node.getAttribute("data-label").replace("{n}", n) : String(n);
      });
    });
  } else if (page === "ticket") {
    var back = body.getAttribute("data-back");
    window.addEventListener("afterprint", function () { setTimeout(function () { window.location.assign(back); }, 1500); });
    if (!/[?&]noprint=1/.test(window.location.search)) setTimeout(function () { window.print(); }, 300);
  }
})();
