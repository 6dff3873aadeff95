/* The interactive transcript, on top of player.js (window.tkPlayer).
 *
 * - Click or Enter on a line plays from it; a word with its own timing
 *   (data-w) plays from that word.  The transcript is one Tab stop: arrow keys,
 *   Home/End and PageUp/PageDown move between lines (roving tabindex); each
 *   line is a button whose description says when and who.
 * - The current line (aria-current="time") and the spoken word follow
 *   playback.  Word times come from data-w (Whisper words, the aligner) or
 *   are estimated in proportion to the characters of the line.  The word is a
 *   CSS Custom Highlight: no element is added, nothing moves.
 * - Follow-along scrolls the current line into view below the sticky player,
 *   and stops while the listener reads elsewhere ("back to the current line").
 * - #t=start[,end] media fragments (seconds, clock or npt:); a link to this
 *   moment, to the millisecond; select text to share that quote as a range
 *   that plays exactly that range.
 * - Search over the whole text, across lines and paragraphs, ignoring case,
 *   punctuation and the accents the page language ignores (Intl.Collator).
 * - Language links carry the playback position over.
 *
 * Progressive enhancement: without this script the page is a complete,
 * readable transcript.  No user text is ever parsed as HTML.
 */
(function () {
  "use strict";
  var doc = document, win = window, P = win.tkPlayer;
  var transcript = doc.getElementById("transcript");
  if (!P || !transcript) { return; }
  function $(id) { return doc.getElementById(id); }
  function slice(list) { return Array.prototype.slice.call(list); }
  var audio = P.audio, player = $("player"), lang = doc.documentElement.lang || "en";
  var strings = ($("l-strings") || { dataset: {} }).dataset;
  var cues = slice(transcript.querySelectorAll(".cue[data-m]"));
  var starts = cues.map(function (el) { return parseInt(el.getAttribute("data-m"), 10) || 0; });
  var ends = cues.map(function (el, i) { return starts[i] + (parseInt(el.getAttribute("data-d"), 10) || 0); });
  var reduceMotion = win.matchMedia && win.matchMedia("(prefers-reduced-motion: reduce)");
  var highlights = win.CSS && CSS.highlights && win.Highlight ? CSS.highlights : null;
  var wordMark = highlights ? new Highlight() : null, quoteMark = highlights ? new Highlight() : null;
  if (highlights) { highlights.set("tk-word", wordMark); highlights.set("tk-quote", quoteMark); }
  var current = -1, rover = 0, shownWord = null, stopAt = null, stopFrom = 0, suspended = false;
  var follow = $("follow"), followBack = $("follow-back");

  /* ---- the sticky player's height: scroll targets land below it ----------- */
  function syncPlayerHeight() {
    doc.documentElement.style.setProperty("--player-h", Math.ceil(player.offsetHeight) + "px");
  }
  /* after the first layout, not during it: reading a height now would force the layout of the whole
   * transcript before the page is shown (the CSS default stands in until then) */
  if (win.ResizeObserver) { new ResizeObserver(syncPlayerHeight).observe(player); }
  else { win.requestAnimationFrame(syncPlayerHeight); win.addEventListener("resize", syncPlayerHeight); }

  function smooth() { return reduceMotion && reduceMotion.matches ? "auto" : "smooth"; }
  /* Bring el into view below the sticky player (at a third of the free height);
   * when force is false, only if it is not in view already. */
  function reveal(el, force, rect) {
    var r = rect || el.getBoundingClientRect(), top = player.offsetHeight, bottom = win.innerHeight;
    if (!force && r.top >= top && r.bottom <= bottom) { return; }
    var y = win.scrollY + r.top - top - Math.max((bottom - top - r.height) / 3, 8);
    win.scrollTo({ top: Math.max(0, y), behavior: smooth() });
  }

  /* ---- lines: roles, one Tab stop, arrow keys --------------------------------- */
  cues.forEach(function (el, i) {
    var cite = el.parentNode.querySelector("cite");
    el.setAttribute("role", "button");
    el.setAttribute("aria-description", P.clock(starts[i] / 1000) + (cite ? ", " + cite.textContent : ""));
    el.tabIndex = i === 0 ? 0 : -1;
    el.tkIndex = i;
  });
  function setRover(i, focus) {
    if (i < 0 || i >= cues.length) { return; }
    cues[rover].tabIndex = -1;
    rover = i;
    cues[i].tabIndex = 0;
    if (focus) { cues[i].focus(); }
  }
  transcript.addEventListener("keydown", function (ev) {
    var i = ev.target.tkIndex;
    if (i === undefined || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (ev.key in moves) { setRover(Math.min(Math.max(i + moves[ev.key], 0), cues.length - 1), true); }
    else if (ev.key === "Home") { setRover(0, true); }
    else if (ev.key === "End") { setRover(cues.length - 1, true); }
    else if (ev.key === "Enter" || ev.key === " " || ev.key === "Spacebar") { playFrom(starts[i]); }
    else { return; }
    ev.preventDefault();
    if (ev.key !== "Enter" && ev.key !== " " && ev.key !== "Spacebar") { suspend(); }
  });
  var skipLink = doc.querySelector('a.skip[href="#transcript"]');
  if (skipLink) {
    skipLink.addEventListener("click", function (ev) { ev.preventDefault(); setRover(rover, true); });
  }

  /* ---- words: from data-w, or in proportion to the characters ------------------- */
  var wordCache = [];
  var segmenter;
  function words(i) {
    if (wordCache[i]) { return wordCache[i]; }
    if (segmenter === undefined) {
      segmenter = win.Intl && Intl.Segmenter ? new Intl.Segmenter(lang, { granularity: "word" }) : null;
    }
    var el = cues[i], text = el.textContent, out = [], m, re = /\S+/g;
    while ((m = re.exec(text))) { out.push({ a: m.index, b: m.index + m[0].length }); }
    var given = (el.getAttribute("data-w") || "").split(" ").filter(Boolean).map(Number);
    if (given.length && given.length === out.length) {
      out.forEach(function (w, k) { w.t = starts[i] + given[k]; });
      out.timed = true;
    } else {
      if (segmenter) {  /* also splits scripts written without spaces */
        out = [];
        for (var s of segmenter.segment(text)) {
          if (s.isWordLike) { out.push({ a: s.index, b: s.index + s.segment.length }); }
        }
      }
      var total = 0;
      out.forEach(function (w) { total += w.b - w.a + 1; });
      var at = 0, span = ends[i] - starts[i];
      out.forEach(function (w) { w.t = starts[i] + Math.round(span * at / Math.max(total, 1)); at += w.b - w.a + 1; });
    }
    out.forEach(function (w, k) { w.e = k + 1 < out.length ? out[k + 1].t : ends[i]; });
    return (wordCache[i] = out);
  }
  function wordAt(ws, ms) {
    var found = -1;
    for (var k = 0; k < ws.length && ws[k].t <= ms; k++) { found = k; }
    return found;
  }
  /* (text node, offset) of a character offset in el, whatever marks split its text */
  function point(el, offset) {
    var walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT, null), node, last = null;
    while ((node = walker.nextNode())) {
      if (offset <= node.data.length) { return [node, offset]; }
      offset -= node.data.length;
      last = node;
    }
    return last ? [last, last.data.length] : [el, 0];
  }
  function textRange(i, a, j, b) {
    var r = doc.createRange(), p = point(cues[i], a), q = point(cues[j], b);
    r.setStart(p[0], p[1]);
    r.setEnd(q[0], q[1]);
    return r;
  }
  function offsetIn(el, node, offset) {
    /* character offset of a boundary point inside el (null when it is not inside) */
    if (!el.contains(node)) { return null; }
    if (node.nodeType !== 3) {
      var r = doc.createRange();
      r.setStart(el, 0);
      r.setEnd(node, offset);
      return r.toString().length;
    }
    var walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT, null), n, at = 0;
    while ((n = walker.nextNode()) && n !== node) { at += n.data.length; }
    return at + offset;
  }

  /* ---- the current line and word ----------------------------------------------------- */
  function cueAt(ms) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= ms) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function showWord(i, ms) {
    if (!wordMark) { return; }
    var ws = i >= 0 ? words(i) : [], k = wordAt(ws, ms), key = i + ":" + k;
    if (key === shownWord) { return; }
    shownWord = key;
    wordMark.clear();
    if (k >= 0) { wordMark.add(textRange(i, ws[k].a, i, ws[k].b)); }
  }
  function highlight(ms) {
    var i = cueAt(ms);  /* in a pause keep the line just spoken; before the first, none */
    if (i !== current) {
      if (current >= 0) { cues[current].removeAttribute("aria-current"); }
      current = i;
      if (i >= 0) {
        cues[i].setAttribute("aria-current", "time");
        if (!transcript.contains(doc.activeElement)) { setRover(i, false); }
        if (!audio.paused && following()) { reveal(cues[i], false); }
      }
    }
    showWord(i, ms);
  }
  P.onTick(function (ms) {
    if (stopAt !== null && (ms < stopFrom - 500 || ms > stopAt + 500)) {
      stopAt = null;  /* the listener moved away from the range: it no longer ends playback */
    } else if (stopAt !== null && ms >= stopAt) {  /* the end of a #t=start,end range: within a frame */
      stopAt = null;
      audio.pause();
    }
    highlight(ms);
    langLinks(ms);
  });
  P.onjump = function (el) { if (following()) { reveal(el, true); } };

  /* ---- follow-along ---------------------------------------------------------------------- */
  function following() { return (!follow || follow.checked) && !suspended; }
  function suspend() {
    if (suspended || audio.paused || (follow && !follow.checked)) { return; }
    suspended = true;
    followBack.hidden = false;
    P.announce(strings.paused || "");
  }
  function resume(scroll) {
    if (suspended) { P.announce(strings.following || ""); }
    suspended = false;
    followBack.hidden = true;
    if (scroll && current >= 0) { reveal(cues[current], true); }
  }
  ["wheel", "touchmove"].forEach(function (type) { win.addEventListener(type, suspend, { passive: true }); });
  win.addEventListener("keydown", function (ev) {
    if (/^(PageUp|PageDown|Home|End|ArrowUp|ArrowDown|\s)$/.test(ev.key) && ev.target === doc.body) { suspend(); }
  });
  followBack.addEventListener("click", function () { resume(true); });
  if (follow) { follow.addEventListener("change", function () { if (follow.checked) { resume(true); } }); }
  audio.addEventListener("pause", function () { followBack.hidden = true; suspended = false; });

  /* ---- playing from a line, a word, a heading --------------------------------------------- */
  function playFrom(ms) {
    stopAt = null;
    if (quoteMark) { quoteMark.clear(); }
    P.seek(ms / 1000);
    P.play();
    resume(false);
  }
  transcript.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-m]") : null;
    if (!el || !transcript.contains(el)) { return; }
    if (win.getSelection && String(win.getSelection()).length > 0) { return; }  /* selecting a quote */
    var ms = parseInt(el.getAttribute("data-m"), 10);
    if (el.tkIndex !== undefined) {
      setRover(el.tkIndex, false);
      el.focus({ preventScroll: true });
      var ws = words(el.tkIndex), at = caretOffset(el, ev);
      if (ws.timed && at !== null) {  /* measured word timings: play from the word clicked */
        var k = ws.findIndex(function (w) { return at < w.b; });
        if (k > 0) { ms = ws[k].t; }
      }
    }
    if (!isNaN(ms)) { playFrom(ms); }
  });
  function caretOffset(el, ev) {
    var node = null, offset = 0;
    if (doc.caretPositionFromPoint) {
      var pos = doc.caretPositionFromPoint(ev.clientX, ev.clientY);
      if (pos) { node = pos.offsetNode; offset = pos.offset; }
    } else if (doc.caretRangeFromPoint) {
      var r = doc.caretRangeFromPoint(ev.clientX, ev.clientY);
      if (r) { node = r.startContainer; offset = r.startOffset; }
    }
    return node ? offsetIn(el, node, offset) : null;
  }
  slice(doc.querySelectorAll(".chapters a[data-m]")).forEach(function (a) {
    /* the link still jumps to the heading (below the player: scroll-padding-top) */
    a.addEventListener("click", function () { playFrom(parseInt(a.getAttribute("data-m"), 10)); });
  });

  /* ---- #t= media fragments ------------------------------------------------------------------ */
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
  function seconds(ms) { return String(Math.round(ms) / 1000); }  /* 4851 -> "4.851", 12000 -> "12" */
  function pageUrl() { return location.href.split("#")[0]; }
  function paintQuote(a, b) {
    /* the words that start in [a, b): one range per line, so headings and names between stay plain */
    var i = cueAt(a), j = cueAt(b - 1);
    if (i < 0 || j < i) { return null; }
    var wi = words(i), wj = words(j), m = -1;
    var k = wi.findIndex(function (w) { return w.e > a; });
    wj.forEach(function (w, n) { if (w.t < b) { m = n; } });
    if (k < 0 || m < 0 || (i === j && m < k)) { return null; }
    var ranges = [];
    for (var c = i; c <= j; c++) {
      ranges.push(textRange(c, c === i ? wi[k].a : 0, c, c === j ? wj[m].b : cues[c].textContent.length));
    }
    if (quoteMark) { quoteMark.clear(); ranges.forEach(function (r) { quoteMark.add(r); }); }
    return ranges;
  }
  function applyHash(initial) {
    var t = fragmentTime(location.hash);
    if (!t) {
      var heading = initial && /^#chapter-\d+$/.test(location.hash) ? doc.querySelector(location.hash) : null;
      if (!heading || !heading.hasAttribute("data-m")) { return false; }
      P.seek(parseInt(heading.getAttribute("data-m"), 10) / 1000);
      syncPlayerHeight();
      heading.scrollIntoView({ block: "start" });  /* below the player, now that its height is known */
      return true;
    }
    var ms = Math.round(t.start * 1000);
    stopAt = t.end !== null ? Math.round(t.end * 1000) : null;
    stopFrom = ms;
    if (quoteMark) { quoteMark.clear(); }
    P.seek(t.start);
    var quote = stopAt !== null ? paintQuote(ms, stopAt) : null;
    var i = cueAt(ms);
    if (quote) {
      reveal(null, true, quote[0].getBoundingClientRect());
      P.announce(quote.map(String).join(" "));
    }
    else if (i >= 0) { reveal(cues[i], true); }
    var resumeFlag = null;
    try { resumeFlag = sessionStorage.getItem("tk-resume"); sessionStorage.removeItem("tk-resume"); } catch (e) { /* off */ }
    if (initial && resumeFlag === "1") { P.play(); }  /* from another language of this page, it was playing */
    return true;
  }
  win.addEventListener("hashchange", function () { applyHash(false); });

  /* ---- a link to this moment, a quote as a time range ------------------------------------- */
  var share = $("share");
  if (share) {
    share.addEventListener("click", function () {
      P.showLink(pageUrl() + "#t=" + seconds(audio.currentTime * 1000), strings.copied, strings.link);
    });
  }
  var quoteButton = $("quote"), quoteSpan = null, quoteTimer = 0;
  function selectionSpan() {
    var sel = win.getSelection && win.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return null; }
    var r = sel.getRangeAt(0), first = -1, last = -1;
    if (!r.intersectsNode(transcript)) { return null; }
    for (var i = 0; i < cues.length; i++) {
      if (r.intersectsNode(cues[i])) { if (first < 0) { first = i; } last = i; }
    }
    if (first < 0) { return null; }
    var a = offsetIn(cues[first], r.startContainer, r.startOffset), b = offsetIn(cues[last], r.endContainer, r.endOffset);
    if (a === null) { a = 0; }
    if (b === null) { b = cues[last].textContent.length; }
    if (a >= cues[first].textContent.length && first < last) { first++; a = 0; }
    if (b === 0 && last > first) { last--; b = cues[last].textContent.length; }
    var wf = words(first), wl = words(last);
    var k = wf.findIndex(function (w) { return w.b > a; }), m = -1;
    wl.forEach(function (w, n) { if (w.a < b) { m = n; } });
    var start = a === 0 || k < 0 ? starts[first] : wf[k].t;
    var end = b >= cues[last].textContent.length || m < 0 ? ends[last] : wl[m].e;
    return end > start ? { start: start, end: end, rect: r.getBoundingClientRect() } : null;
  }
  function placeQuoteButton() {
    quoteSpan = selectionSpan();
    if (!quoteSpan) { quoteButton.hidden = true; return; }
    quoteButton.textContent = quoteButton.getAttribute("data-label") + " (" + P.clock(quoteSpan.start / 1000) +
      "–" + P.clock(quoteSpan.end / 1000) + ")";
    quoteButton.hidden = false;
    var r = quoteSpan.rect, below = r.bottom + 8 + quoteButton.offsetHeight < win.innerHeight;
    quoteButton.style.top = Math.round(win.scrollY + (below ? r.bottom + 8 : r.top - quoteButton.offsetHeight - 8)) + "px";
    quoteButton.style.left = Math.round(Math.min(Math.max(r.left, 8), win.innerWidth - quoteButton.offsetWidth - 8)) + "px";
  }
  doc.addEventListener("selectionchange", function () {
    win.clearTimeout(quoteTimer);
    quoteTimer = win.setTimeout(placeQuoteButton, 150);
  });
  quoteButton.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  /* keep the selection */
  quoteButton.addEventListener("click", function () {
    if (!quoteSpan) { return; }
    P.showLink(pageUrl() + "#t=" + seconds(quoteSpan.start) + "," + seconds(quoteSpan.end), strings.copied, strings.link);
  });

  /* ---- other languages of this page open at the same moment ------------------------------ */
  var langAnchors = slice(doc.querySelectorAll("nav.langs a[hreflang]")), langSecond = -1;
  function langLinks(ms) {
    var second = Math.floor(ms / 1000);
    if (second === langSecond && !audio.paused) { return; }
    langSecond = second;
    langAnchors.forEach(function (a) {
      var base = a.getAttribute("href").split("#")[0];
      a.setAttribute("href", ms > 0 ? base + "#t=" + seconds(ms) : base);
    });
  }
  langAnchors.forEach(function (a) {
    a.addEventListener("click", function () {
      langLinks(Math.round(audio.currentTime * 1000));
      try { sessionStorage.setItem("tk-resume", audio.paused ? "0" : "1"); } catch (e) { /* off */ }
    });
  });

  /* ---- search ------------------------------------------------------------------------------ */
  var input = $("search"), count = $("search-count");
  var collator = null, folds = new Map();
  function fold(ch) {
    /* one character -> what search compares: lower case (the page language's rules), accents
     * dropped where that language's collation ignores them ("está" = "esta" in Spanish, but
     * "ñ" stays "ñ"), dashes as spaces, other punctuation ignored. */
    var f = folds.get(ch);
    if (f !== undefined) { return f; }
    if (/\s|\p{Pd}/u.test(ch)) { f = " "; }
    else if (/\p{P}/u.test(ch)) { f = ""; }
    else {
      var lower = ch.toLocaleLowerCase(lang), base = lower.normalize("NFKD").replace(/\p{M}/gu, "");
      collator = collator || new Intl.Collator(lang, { sensitivity: "base", usage: "search" });
      f = base && base !== lower && collator.compare(base, ch) === 0 ? base : lower.normalize("NFC");
    }
    folds.set(ch, f);
    return f;
  }
  function foldQuery(text) {
    var out = "";
    for (var ch of text) { out += fold(ch); }
    return out.replace(/\s+/g, " ").trim();
  }
  var index = null;
  function build() {  /* the whole text, folded, once: cue and offsets of every character */
    var text = [], cue = [], from = [], to = [], space = true;
    cues.forEach(function (el, i) {
      var off = 0;
      if (!space) { text.push(" "); cue.push(i); from.push(0); to.push(0); space = true; }
      for (var ch of el.textContent) {
        var f = fold(ch);
        if (f === " ") {
          if (!space) { text.push(" "); cue.push(i); from.push(off); to.push(off + ch.length); }
          space = true;
        } else {
          for (var u = 0; u < f.length; u++) { text.push(f[u]); cue.push(i); from.push(off); to.push(off + ch.length); }
          if (f) { space = false; }
        }
        off += ch.length;
      }
    });
    return { text: text.join(""), cue: cue, from: from, to: to };
  }
  function getIndex() { return index || (index = build()); }
  /* built once, when the page is idle after loading (or at the first search, if that comes sooner) */
  win.addEventListener("load", function () { (win.requestIdleCallback || win.setTimeout)(getIndex); });
  var hits = [], marks = [], active = -1;

  function clearMarks() {
    marks.forEach(function (m) {
      var parent = m.parentNode;
      if (!parent) { return; }
      parent.replaceChild(doc.createTextNode(m.textContent), m);
      parent.normalize();
    });
    marks = [];
    hits = [];
    active = -1;
  }
  function isPunct(ch) { return /\p{P}/u.test(ch); }
  function wrap(i, a, b, n) {
    /* <mark> around characters a..b of line i (one or more text nodes) */
    var el = cues[i], walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT, null), node, at = 0, parts = [];
    while ((node = walker.nextNode())) {
      var s = Math.max(a - at, 0), e = Math.min(b - at, node.data.length);
      if (s < e) { parts.push([node, s, e]); }
      at += node.data.length;
    }
    parts.forEach(function (p) {
      var middle = p[0].splitText(p[1]);
      middle.splitText(p[2] - p[1]);
      var mark = doc.createElement("mark");
      mark.setAttribute("data-hit", String(n));
      mark.textContent = middle.data;
      middle.parentNode.replaceChild(mark, middle);
      marks.push(mark);
    });
  }
  function markHit(h, n, lead, trail) {
    var index = getIndex(), i = index.cue[h[0]], a = index.from[h[0]], j = index.cue[h[1] - 1], b = index.to[h[1] - 1];
    var ta = cues[i].textContent, tb = cues[j].textContent;
    while (lead > 0 && a > 0 && isPunct(ta[a - 1])) { a--; lead--; }  /* the query's own punctuation */
    while (trail > 0 && b < tb.length && isPunct(tb[b])) { b++; trail--; }
    for (var c = i; c <= j; c++) { wrap(c, c === i ? a : 0, c === j ? b : cues[c].textContent.length, n); }
    return i;
  }
  function showCount() {
    if (!count) { return; }
    if (!input.value.trim()) { count.textContent = ""; return; }
    if (hits.length === 0) { count.textContent = count.getAttribute("data-none") || "0"; return; }
    count.textContent = (count.getAttribute("data-of") || "{i} / {n}")
      .replace("{i}", String(active + 1)).replace("{n}", String(hits.length));
  }
  function go(step) {
    if (hits.length === 0) { return; }
    if (active >= 0) { hits[active].marks.forEach(function (m) { m.classList.remove("current"); }); }
    active = (active + step + hits.length) % hits.length;
    var hit = hits[active];
    hit.marks.forEach(function (m) { m.classList.add("current"); });
    setRover(hit.cue, false);
    suspend();  /* the listener reads here: do not pull them back */
    reveal(hit.marks[0], true);
    showCount();
  }
  function search() {
    clearMarks();
    var raw = input.value, q = foldQuery(raw), index = getIndex();
    if (q) {
      var lead = (raw.trim().match(/^\p{P}+/u) || [""])[0].length, trail = (raw.trim().match(/\p{P}+$/u) || [""])[0].length;
      var at = index.text.indexOf(q);
      while (at !== -1) {
        var before = marks.length, cue = markHit([at, at + q.length], hits.length, lead, trail);
        hits.push({ cue: cue, marks: marks.slice(before) });
        at = index.text.indexOf(q, at + q.length);
      }
    }
    shownWord = null;  /* the text nodes changed: draw the spoken word again on the new ones */
    highlight(Math.round(audio.currentTime * 1000));
    if (hits.length) { go(1); } else { showCount(); }
  }
  if (input) {
    var searchTimer = 0;
    input.addEventListener("input", function () { win.clearTimeout(searchTimer); searchTimer = win.setTimeout(search, 80); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); win.clearTimeout(searchTimer); if (!hits.length) { search(); } else { go(ev.shiftKey ? -1 : 1); } }
      if (ev.key === "Escape") { input.value = ""; search(); }
    });
    if (input.form) { input.form.addEventListener("submit", function (ev) { ev.preventDefault(); }); }
    $("search-next").addEventListener("click", function () { go(1); });
    $("search-prev").addEventListener("click", function () { go(-1); });
  }

  if (!applyHash(true)) { highlight(Math.round(audio.currentTime * 1000)); }
})();
