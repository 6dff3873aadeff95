/* The show page, on top of player.js (window.tkPlayer): one shared player at
 * the bottom of the page plays whichever episode's Play button was pressed
 * (pressing it again pauses), and "Copy feed URL" puts the feed on the
 * clipboard.  Without JavaScript every episode keeps its audio link and the
 * subscribe buttons are plain links.
 */
(function () {
  "use strict";
  var doc = document, win = window, P = win.tkPlayer;
  if (!P) { return; }
  function $(id) { return doc.getElementById(id); }
  var audio = P.audio, section = $("player"), title = $("now-title");
  var strings = ($("l-strings") || { dataset: {} }).dataset;
  var buttons = Array.prototype.slice.call(doc.querySelectorAll(".ep-play[data-src]"));
  var chosen = null;

  function sync() {
    buttons.forEach(function (b) {
      var playing = b === chosen && !audio.paused, word = playing ? strings.pause : strings.play;
      b.classList.toggle("playing", playing);
      b.setAttribute("aria-label", word + ": " + b.getAttribute("data-title"));
      b.querySelector("use").setAttribute("href", playing ? "#i-pause" : "#i-play");
      b.lastChild.textContent = " " + word;
    });
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      if (b === chosen) { P.toggle(); return; }
      chosen = b;
      audio.src = b.getAttribute("data-src");
      title.textContent = b.getAttribute("data-title");
      title.href = b.getAttribute("data-page") || b.getAttribute("data-src");
      section.hidden = false;
      P.seek(0);
      P.play();
      sync();
    });
  });
  ["play", "pause", "ended", "emptied"].forEach(function (type) { audio.addEventListener(type, sync); });

  var copy = $("copy-feed");
  if (copy) {
    copy.addEventListener("click", function () {
      P.showLink(copy.getAttribute("data-copy"), strings.copied, strings.link);
    });
  }
})();
