// The battle map on the meeting-room screen (大屏, /map/?view=wall&screen=1): reload every few
// minutes, turning to the next screen when the tasks take several; size the type to the window:
// the largest that fits the window, again on every resize. A static file: the pages' CSP
// forbids inline script.
(function () {
  var wall = document.querySelector("[data-wall-refresh]");
  if (!wall) return;
  var seconds = parseInt(wall.getAttribute("data-wall-refresh"), 10) || 300;
  var next = wall.getAttribute("data-wall-next") || window.location.search;
  window.setTimeout(function () { window.location.replace(next); }, seconds * 1000);

  // The type (the root font: every size on the screen is in rem) is the largest that still
  // fits the window without scrolling, found by halving, and found again when the window
  // changes (F11, another screen): 1366×768 gets smaller type, a 4K screen larger.
  var root = document.documentElement;
  function overflows() {
    return root.scrollHeight > window.innerHeight || root.scrollWidth > window.innerWidth;
  }
  function setSize(px) {
    root.style.fontSize = px + "px";
  }
  function fit() {
    // In quarter pixels, so 16 px (the size the server packed the screen for) is a candidate.
    var lo = 16, hi = 320; // lo: 4 px, taken when nothing fits; hi: 80 px, never fits
    while (hi - lo > 1) {
      var mid = Math.floor((lo + hi) / 2);
      setSize(mid / 4);
      if (overflows()) hi = mid; else lo = mid;
    }
    setSize(lo / 4);
    wall.setAttribute("data-wall-fit", String(lo / 4));
  }
  fit();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(fit, 100);
  });
})();
