// The monthly report form (monthly/report.html): 同上月 fills last month's figure or progress,
// and after a refused submission the first card with a problem is brought into view and its
// field focused. CSP forbids inline script; everything here also works without it (server side).
(function () {
  "use strict";

  // 同上月 beside an indicator's value: ticking it types last month's figure (read-only while
  // ticked; the server checks the two agree); unticking gives back what was typed before.
  function applySame(label) {
    var box = label.querySelector("input[type=checkbox]");
    var input = document.getElementById(label.dataset.target);
    if (!box || !input) return;
    // Last month's 预计 goes with its figure (the server keeps it too); unticking gives back
    // the box as it was.
    var estimate = label.dataset.estimate && document.getElementById(label.dataset.estimate);
    if (box.checked && label.dataset.previous) {
      if (!input.readOnly) {
        input.dataset.typed = input.value;
        if (estimate) estimate.dataset.was = estimate.checked ? "1" : "";
      }
      input.value = label.dataset.previous;
      input.readOnly = true;
      if (estimate) estimate.checked = true;
    } else if (input.readOnly) {
      input.readOnly = false;
      input.value = input.dataset.typed || "";
      if (estimate) estimate.checked = estimate.dataset.was === "1";
    }
  }
  document.querySelectorAll(".mr-same").forEach(function (label) {
    var box = label.querySelector("input[type=checkbox]");
    if (!box) return;
    box.addEventListener("change", function () { applySame(label); });
    applySame(label);
  });

  // 同上月 above a task's progress: copies the latest progress into the empty box.
  document.querySelectorAll(".mr-same-text").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var box = document.getElementById(button.dataset.target);
      if (!box) return;
      box.value = button.dataset.text;
      box.focus();
    });
  });

  function fieldOf(card) {
    return card.querySelector("[aria-invalid=true]") ||
      card.querySelector("input[type=text]:not([readonly]), textarea, input[type=date], input[type=file]");
  }

  function bringIntoView(card) {
    for (var el = card; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    card.scrollIntoView({ block: "start" });
    var field = fieldOf(card);
    if (field) field.focus({ preventScroll: true });
  }

  // A link of the error summary opens its card and focuses the field.
  document.querySelectorAll(".mr-problem-links a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var card = document.getElementById(link.getAttribute("href").slice(1));
      if (!card) return;
      event.preventDefault();
      history.replaceState(null, "", link.getAttribute("href"));
      bringIntoView(card);
    });
  });

  var first = document.querySelector(".mr-card[data-error]");
  if (first) {
    bringIntoView(first);
  }
})();
