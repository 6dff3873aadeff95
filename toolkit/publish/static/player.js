/* The page player: controls of our own around the native <audio> element.
 *
 * Progressive enhancement: without JavaScript the <audio controls> element is
 * the player.  With it, the native controls are switched off and the buttons
 * in #pl (hidden until now) take over: play/pause, -15 s / +30 s, speed,
 * mute, a progress bar with chapter marks, current chapter with previous /
 * next, and keyboard shortcuts.  The <audio> element stays underneath: every
 * control only sets currentTime / playbackRate / muted / play() on it.
 *
 * It publishes window.tkPlayer for transcript.js (episode page) and show.js
 * (show page): seek, play, toggle, onTick (called every animation frame while
 * playing, and after each seek), a link "toast" and a polite status line.
 * Vanilla ES2018, no dependencies, no build step.
 */
(function () {
  "use strict";
  var doc = document, win = window;
  var audio = doc.getElementById("audio");
  var root = doc.getElementById("pl");
  if (!audio || !root) { return; }
  doc.documentElement.classList.add("js");
  Array.prototype.forEach.call(doc.querySelectorAll("[data-js]"), function (el) { el.hidden = false; });
  audio.controls = false;

  function $(id) { return doc.getElementById(id); }
  var playButton = $("pl-play"), seekBar = $("pl-seek"), rate = $("pl-rate"), mute = $("pl-mute");
  var cur = $("pl-cur"), dur = $("pl-dur"), chapterLabel = $("pl-chapter"), singleKeys = $("single-keys");
  var L = root.dataset;
  var ticks = [];
  var chapters = Array.prototype.map.call(doc.querySelectorAll("#transcript h2.chapter[data-m]"), function (h) {
    return { start: parseInt(h.getAttribute("data-m"), 10) || 0, title: h.textContent, el: h };
  });
  var chapterLinks = Array.prototype.slice.call(doc.querySelectorAll(".chapters a[data-m]"));
  var shownChapter = -2, shownSecond = -1, dragging = false, frame = 0;

  function store(key, value) {
    try { if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); } }
    catch (e) { /* storage off: the setting lasts for this page */ }
  }
  function stored(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s % 60);
  }
  function duration() {
    return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : parseFloat(seekBar.max) || 0;
  }
  function nowMs() { return Math.round(audio.currentTime * 1000); }

  /* ---- moving the playback position ------------------------------------- */
  function seek(seconds) {
    if (!isFinite(seconds)) { return; }
    var d = duration();
    seconds = Math.max(0, d ? Math.min(seconds, d) : seconds);
    /* Before metadata is loaded Chromium keeps the value as the start position,
     * Firefox may drop it: set it again once metadata is there. */
    try { audio.currentTime = seconds; } catch (e) { /* not seekable yet */ }
    if (audio.readyState < 1) {
      audio.addEventListener("loadedmetadata", function once() {
        audio.removeEventListener("loadedmetadata", once);
        audio.currentTime = seconds;
      });
    }
    tick(Math.round(seconds * 1000));
  }
  function play() {
    var p = audio.play();
    if (p && p.catch) { p.catch(function () { /* autoplay refused: the listener presses play */ }); }
  }
  function toggle() { if (audio.paused) { play(); } else { audio.pause(); } }
  function skip(delta) { seek(audio.currentTime + delta); }
  function setRate(value) {
    var r = parseFloat(value);
    if (!(r > 0)) { return; }
    audio.defaultPlaybackRate = r;
    audio.playbackRate = r;
    if (rate) { rate.value = String(r); }
    store("tk-rate", r === 1 ? null : String(r));
  }
  function stepRate(step) {
    if (!rate) { return; }
    var i = Math.min(Math.max(rate.selectedIndex + step, 0), rate.options.length - 1);
    setRate(rate.options[i].value);
  }
  function setMuted(on) {
    audio.muted = on;
    if (mute) {
      mute.setAttribute("aria-pressed", on ? "true" : "false");
      mute.querySelector("use").setAttribute("href", on ? "#i-muted" : "#i-vol");
    }
  }

  /* ---- chapters ----------------------------------------------------------- */
  function chapterAt(ms) {
    var found = -1;
    for (var i = 0; i < chapters.length && chapters[i].start <= ms; i++) { found = i; }
    return found;
  }
  function jumpChapter(i) {
    if (i < 0 || i >= chapters.length) { return; }
    seek(chapters[i].start / 1000);
    if (api.onjump) { api.onjump(chapters[i].el); }
  }
  function previousChapter() {
    var ms = nowMs(), i = chapterAt(ms);
    /* like a CD player: back to the start of this chapter, or, right after it began, the one before */
    jumpChapter(i >= 0 && ms - chapters[i].start > 3000 ? i : Math.max(i - 1, 0));
  }
  function nextChapter() { jumpChapter(chapterAt(nowMs()) + 1); }

  /* ---- showing the state -------------------------------------------------- */
  function render(ms) {
    var seconds = ms / 1000, d = duration(), second = Math.floor(seconds);
    seekBar.style.setProperty("--p", (d ? Math.min(seconds / d, 1) * 100 : 0).toFixed(2) + "%");
    if (!dragging) { seekBar.value = String(seconds); }
    var c = chapterAt(ms);
    if (c !== shownChapter && chapterLabel) {
      shownChapter = c;
      var ch = chapters[Math.max(c, 0)];
      chapterLabel.textContent = ch ? L.lChapter.replace("{i}", String(Math.max(c, 0) + 1))
        .replace("{n}", String(chapters.length)).replace("{title}", ch.title) : "";
      chapterLinks.forEach(function (a, k) {
        if (k === c) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
      });
    }
    if (second !== shownSecond) {
      shownSecond = second;
      cur.textContent = clock(seconds);
      var text = L.lOf.replace("{t}", clock(seconds)).replace("{d}", clock(d));
      if (c >= 0 && chapters[c]) { text += ", " + chapters[c].title; }
      seekBar.setAttribute("aria-valuetext", text);
    }
  }
  function tick(ms) {
    if (ms === undefined) { ms = nowMs(); }
    render(ms);
    for (var i = 0; i < ticks.length; i++) { ticks[i](ms); }
  }
  function loop() {
    frame = 0;
    tick();
    if (!audio.paused && !audio.ended) { frame = win.requestAnimationFrame(loop); }
  }
  function playState() {
    var playing = !audio.paused;
    playButton.setAttribute("aria-label", playing ? L.lPause : L.lPlay);
    playButton.querySelector("use").setAttribute("href", playing ? "#i-pause" : "#i-play");
    if (playing && !frame) { frame = win.requestAnimationFrame(loop); }
  }
  function metadata() {
    var d = duration();
    seekBar.max = String(d);
    dur.textContent = clock(d);
    shownSecond = -1;
    tick();
  }

  /* ---- wiring ------------------------------------------------------------- */
  playButton.addEventListener("click", toggle);
  $("pl-back").addEventListener("click", function () { skip(-15); });
  $("pl-fwd").addEventListener("click", function () { skip(30); });
  if ($("pl-prev")) { $("pl-prev").addEventListener("click", previousChapter); }
  if ($("pl-next")) { $("pl-next").addEventListener("click", nextChapter); }
  if (rate) { rate.addEventListener("change", function () { setRate(rate.value); }); }
  if (mute) { mute.addEventListener("click", function () { setMuted(!audio.muted); }); }
  seekBar.addEventListener("input", function () { dragging = true; seek(parseFloat(seekBar.value)); });
  seekBar.addEventListener("change", function () { dragging = false; });
  seekBar.addEventListener("keydown", function (ev) {
    var steps = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -60, PageUp: 60 };
    if (ev.key in steps) { skip(steps[ev.key]); }
    else if (ev.key === "Home") { seek(0); }
    else if (ev.key === "End") { seek(duration()); }
    else { return; }
    ev.preventDefault();
  });
  ["play", "pause", "ended"].forEach(function (type) { audio.addEventListener(type, playState); });
  ["seeked", "timeupdate"].forEach(function (type) {
    audio.addEventListener(type, function () { if (audio.paused || !frame) { tick(); } });
  });
  audio.addEventListener("loadedmetadata", metadata);
  audio.addEventListener("durationchange", metadata);
  audio.addEventListener("ratechange", function () { if (rate) { rate.value = String(audio.playbackRate); } });
  if (stored("tk-rate")) { setRate(stored("tk-rate")); }
  if (singleKeys) {
    singleKeys.checked = stored("tk-keys") !== "off";
    singleKeys.addEventListener("change", function () { store("tk-keys", singleKeys.checked ? null : "off"); });
  }

  /* ---- keyboard shortcuts (documented on the page) ------------------------- */
  var letterKeys = {
    k: toggle, j: function () { skip(-15); }, l: function () { skip(30); }, p: previousChapter, n: nextChapter,
    m: function () { setMuted(!audio.muted); }, "<": function () { stepRate(-1); }, ">": function () { stepRate(1); },
    "/": function () { var s = $("search"); if (s) { s.focus(); } }
  };
  doc.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target, tag = t.tagName || "";
    if (tag === "TEXTAREA" || tag === "SELECT" || t.isContentEditable ||
        (tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type))) { return; }
    var key = ev.key, action = null;
    if (key === " " || key === "Spacebar") {
      if (/^(BUTTON|A|SUMMARY|INPUT)$/.test(tag) || t.getAttribute("role") === "button") { return; }
      action = toggle;
    } else if (key === "ArrowLeft") {
      action = function () { skip(-15); };
    } else if (key === "ArrowRight") {
      action = function () { skip(30); };
    } else if (key.length === 1 && (!singleKeys || singleKeys.checked)) {
      action = letterKeys[key.toLowerCase()] || letterKeys[key];
      if ((key === "p" || key === "n" || key === "P" || key === "N") && !chapters.length) { action = null; }
    }
    if (action) { ev.preventDefault(); action(); }
  });

  /* ---- a shown link and a polite status ------------------------------------ */
  var toast = $("toast"), toastText = $("toast-text"), toastLink = $("share-link"), status = $("status");
  function announce(text) {
    if (!status) { return; }
    status.textContent = "";
    win.setTimeout(function () { status.textContent = text; }, 50);  /* a change, even for the same text */
  }
  function showLink(url, copiedText, plainText) {
    if (!toast) { return; }
    toastLink.href = url;
    toastLink.textContent = url;
    toastText.textContent = plainText;
    toast.hidden = false;
    announce(plainText + " " + url);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () {
        toastText.textContent = copiedText;
        announce(copiedText + " " + url);
      }, function () { /* no permission: the link is shown to copy by hand */ });
    }
  }
  if ($("toast-close")) { $("toast-close").addEventListener("click", function () { toast.hidden = true; }); }

  var api = win.tkPlayer = {
    audio: audio, seek: seek, play: play, toggle: toggle, skip: skip, setRate: setRate, clock: clock,
    onTick: function (fn) { ticks.push(fn); }, tick: tick, chapters: chapters, onjump: null,
    showLink: showLink, announce: announce, metadata: metadata
  };
  if (audio.readyState >= 1) { metadata(); } else { render(0); }
  playState();
})();
