// The battle map's timeline (/map/?view=timeline): on a narrow screen the chart scrolls
// sideways inside its frame; open it with today's line in view (a little left of the middle,
// past the sticky task column) instead of on January. A static file: the CSP forbids inline
// script.
(function () {
  var wrap = document.querySelector(".gantt-wrap");
  var tag = wrap && wrap.querySelector(".today-tag");
  if (!wrap || !tag || wrap.scrollWidth <= wrap.clientWidth) return;
  var label = wrap.querySelector("thead .gantt-label");
  var sticky = label ? label.getBoundingClientRect().width : 0;
  var frame = wrap.getBoundingClientRect();
  var x = tag.getBoundingClientRect().left + tag.getBoundingClientRect().width / 2 - frame.left + wrap.scrollLeft;
  var visible = wrap.clientWidth - sticky;
  wrap.scrollLeft = Math.max(0, x - sticky - visible * 0.4);
  wrap.setAttribute("data-scrolled-to-today", String(Math.round(wrap.scrollLeft)));
})();
