// The battle map on the meeting-room screen (大屏, /map/?view=wall&screen=1): reload every few
// minutes, turning to the next screen when the tasks take several; if a screen still overflows
// the window (another font, another size), shrink the type until it fits. A static file: the
// pages' CSP forbids inline script.
(function () {
  var wall = document.querySelector("[data-wall-refresh]");
  if (!wall) return;
  var seconds = parseInt(wall.getAttribute("data-wall-refresh"), 10) || 300;
  var next = wall.getAttribute("data-wall-next") || window.location.search;
  window.setTimeout(function () { window.location.replace(next); }, seconds * 1000);

  var root = document.documentElement;
  var size = 16;
  function overflows() {
    return root.scrollHeight > window.innerHeight + 1 || root.scrollWidth > window.innerWidth + 1;
  }
  while (overflows() && size > 11) {
    size -= 0.5;
    root.style.fontSize = size + "px";
  }
  wall.setAttribute("data-wall-fit", String(size));
})();
