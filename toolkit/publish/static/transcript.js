/* Interactive transcript: click/Enter a cue to seek, highlight of the current
 * cue, search, "link to current time" and #t= media fragments.
 *
 * Progressive enhancement: the page is a complete, readable transcript without
 * this script (WCAG 1.2.1).  Controls that need it carry the `hidden`
 * attribute and a `data-js` marker; they are revealed here.  No user text is
 * ever parsed as HTML: everything goes through textContent / text nodes.
 * Vanilla ES2017, no dependencies, no build step.
 */
(function () {
  "use strict";
  var doc = document;
  var audio = doc.getElementById("audio");
  var transcript = doc.getElementById("transcript");
  if (!audio || !transcript) { return; }
  doc.documentElement.classList.add("js");

  var cues = Array.prototype.slice.call(transcript.querySelectorAll(".cue[data-m]"));
  var starts = cues.map(function (el) { return parseInt(el.getAttribute("data-m"), 10) || 0; });
  var current = null;
  var stopAt = null;          /* end of a #t=start,end fragment, in seconds */
  var lastUserScroll = -1e9;  /* performance.now() of the user's own scrolling */
  var USER_SCROLL_GRACE_MS = 4000;
  var follow = doc.getElementById("follow");
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");

  Array.prototype.forEach.call(doc.querySelectorAll("[data-js]"), function (el) {
    el.hidden = false;
  });
  cues.forEach(function (el) { el.tabIndex = 0; });

  /* ---- seeking ---------------------------------------------------------- */
  function seek(seconds) {
    if (!isFinite(seconds) || seconds < 0) { return; }
    /* Before metadata is loaded Chromium keeps the value as the default start
     * position, Firefox may drop it: set it again once metadata is there. */
    try { audio.currentTime = seconds; } catch (e) { /* not seekable yet */ }
    if (audio.readyState < 1) {
      audio.addEventListener("loadedmetadata", function once() {
        audio.removeEventListener("loadedmetadata", once);
        audio.currentTime = seconds;
      });
    }
    highlight(seconds * 1000, true);
  }

  function seekTo(el) {
    var ms = parseInt(el.getAttribute("data-m"), 10);
    if (isNaN(ms)) { return; }
    stopAt = null;
    seek(ms / 1000);
  }

  transcript.addEventListener("click", function (ev) {
    var target = ev.target.closest ? ev.target.closest("[data-m]") : null;
    if (!target || !transcript.contains(target)) { return; }
    if (window.getSelection && String(window.getSelection()).length > 0) { return; } /* selecting text */
    seekTo(target);
  });
  transcript.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " " && ev.key !== "Spacebar") { return; }
    var target = ev.target;
    if (!target.classList || !target.classList.contains("cue")) { return; }
    ev.preventDefault();  /* Space would scroll the page */
    seekTo(target);
  });
  Array.prototype.forEach.call(doc.querySelectorAll(".chapters a[data-m]"), function (a) {
    a.addEventListener("click", function () { seekTo(a); });  /* and the link still jumps to the heading */
  });

  /* ---- current cue -------------------------------------------------------- */
  function indexAt(ms) {
    /* last cue starting at or before ms (binary search; cues are in time order) */
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= ms) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function highlight(ms, scroll) {
    var i = indexAt(ms);
    /* In a pause between cues keep the one just spoken; before the first cue none. */
    var el = i >= 0 ? cues[i] : null;
    if (el === current) { return; }
    if (current) { current.removeAttribute("aria-current"); }
    current = el;
    if (!el) { return; }
    el.setAttribute("aria-current", "time");
    if (scroll) { scrollToCue(el); }
  }

  function scrollToCue(el) {
    if (follow && !follow.checked) { return; }
    if (performance.now() - lastUserScroll < USER_SCROLL_GRACE_MS) { return; }  /* don't fight the user */
    var r = el.getBoundingClientRect();
    var top = (doc.querySelector(".player") || { offsetHeight: 0 }).offsetHeight;
    if (r.top >= top && r.bottom <= window.innerHeight) { return; }
    var smooth = !(reduceMotion && reduceMotion.matches);
    el.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  }

  ["wheel", "touchmove"].forEach(function (type) {
    window.addEventListener(type, function () { lastUserScroll = performance.now(); }, { passive: true });
  });
  window.addEventListener("keydown", function (ev) {
    if (/^(PageUp|PageDown|Home|End|ArrowUp|ArrowDown)$/.test(ev.key) && ev.target === doc.body) {
      lastUserScroll = performance.now();
    }
  });

  audio.addEventListener("timeupdate", function () {
    var t = audio.currentTime;
    if (stopAt !== null && t >= stopAt) { audio.pause(); stopAt = null; }
    highlight(t * 1000, !audio.paused);
  });
  audio.addEventListener("seeked", function () { highlight(audio.currentTime * 1000, false); });

  /* ---- #t= media fragments ------------------------------------------------ */
  function parseClock(text) {
    /* "123", "123.5", "2:03", "1:02:03(.5)"; "npt:" prefix allowed (Media Fragments URI 1.0) */
    text = text.replace(/^npt:/, "");
    if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(text)) { return NaN; }
    return text.split(":").reduce(function (acc, part) { return acc * 60 + parseFloat(part); }, 0);
  }

  function fragmentTime(hash) {
    var params = hash.replace(/^#/, "").split("&");
    for (var i = 0; i < params.length; i++) {
      var kv = params[i].split("=");
      if (kv[0] !== "t" || kv.length !== 2) { continue; }
      var range = decodeURIComponent(kv[1]).split(",");
      var start = range[0] === "" ? 0 : parseClock(range[0]);
      var end = range.length > 1 ? parseClock(range[1]) : NaN;
      if (isNaN(start)) { return null; }
      return { start: start, end: isNaN(end) || end <= start ? null : end };
    }
    return null;
  }

  function applyHash() {
    var t = fragmentTime(location.hash);
    if (!t) { return; }
    stopAt = t.end;
    seek(t.start);
    if (current) { scrollToCue(current); }
  }
  window.addEventListener("hashchange", applyHash);
  applyHash();

  /* ---- link to the current time ------------------------------------------- */
  var shareButton = doc.getElementById("share");
  var shareLink = doc.getElementById("share-link");
  if (shareButton && shareLink) {
    shareButton.addEventListener("click", function () {
      var url = location.href.split("#")[0] + "#t=" + Math.floor(audio.currentTime);
      shareLink.href = url;
      shareLink.textContent = url;
      shareLink.hidden = false;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).catch(function () { /* no permission: the link is shown */ });
      }
    });
  }

  /* ---- search ------------------------------------------------------------- */
  var input = doc.getElementById("search");
  var count = doc.getElementById("search-count");
  var marks = [];
  var active = -1;

  function clearMarks() {
    marks.forEach(function (m) {
      var parent = m.parentNode;
      if (!parent) { return; }
      parent.replaceChild(doc.createTextNode(m.textContent), m);
      parent.normalize();
    });
    marks = [];
    active = -1;
  }

  function findFrom(text, needle, from) {
    /* Case-insensitive indexOf.  toLowerCase may change a string's length
     * (e.g. "İ"): positions would not line up, so such text is matched
     * case-sensitively instead. */
    var hay = text.toLowerCase();
    if (hay.length !== text.length) { return text.indexOf(needle, from); }
    return hay.indexOf(needle.toLowerCase(), from);
  }

  function markIn(el, needle) {
    /* Wrap every occurrence of needle in el's text nodes in a <mark>. */
    var walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT, null);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var at = findFrom(node.data, needle, 0);
      while (at !== -1) {
        var match = node.splitText(at);
        node = match.splitText(needle.length);
        var mark = doc.createElement("mark");
        mark.textContent = match.data;
        match.parentNode.replaceChild(mark, match);
        marks.push(mark);
        at = findFrom(node.data, needle, 0);
      }
    });
  }

  function showCount() {
    if (!count) { return; }
    if (!input.value.trim()) { count.textContent = ""; return; }
    if (marks.length === 0) { count.textContent = count.getAttribute("data-none") || "0"; return; }
    count.textContent = (count.getAttribute("data-of") || "{i} / {n}")
      .replace("{i}", String(active + 1)).replace("{n}", String(marks.length));
  }

  function go(step) {
    if (marks.length === 0) { return; }
    if (active >= 0) { marks[active].classList.remove("current"); }
    active = (active + step + marks.length) % marks.length;
    var m = marks[active];
    m.classList.add("current");
    var smooth = !(reduceMotion && reduceMotion.matches);
    m.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    lastUserScroll = performance.now();  /* the user is reading here: don't pull them back */
    showCount();
  }

  function search() {
    clearMarks();
    var needle = input.value.trim();
    if (needle) { cues.forEach(function (el) { markIn(el, needle); }); }
    if (marks.length) { go(1); } else { showCount(); }
  }

  if (input) {
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); go(ev.shiftKey ? -1 : 1); }
      if (ev.key === "Escape") { input.value = ""; search(); }
    });
    var form = input.form;
    if (form) { form.addEventListener("submit", function (ev) { ev.preventDefault(); }); }
    var next = doc.getElementById("search-next");
    var prev = doc.getElementById("search-prev");
    if (next) { next.addEventListener("click", function () { go(1); }); }
    if (prev) { prev.addEventListener("click", function () { go(-1); }); }
  }
})();
