// The battle map on the meeting-room screen (大屏, /map/?view=wall&screen=1): reload every few
// minutes, turning to the next screen when the tasks take several; size the type to the window:
// larger while the screen still fits, smaller if it overflows (another font, another size). A static file: the
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
  function setSize(px) {
    size = px;
    root.style.fontSize = px + "px";
  }
  if (overflows()) {
    while (overflows() && size > 11) setSize(size - 0.5);
  } else {
    // Room to spare (a small campaign): larger type, as far as it still fits.
    while (size < 22) {
      setSize(size + 0.5);
      if (overflows()) {
        setSize(size - 0.5);
        break;
      }
    }
  }
  wall.setAttribute("data-wall-fit", String(size));
})();
