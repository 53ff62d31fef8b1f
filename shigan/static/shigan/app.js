/* Every page's small behaviours (issue 15), loaded by base.html: the 更多 menu closes like a
   menu, filter forms fold into one 筛选 button on a phone, and data tables carry their column
   names on each cell so app.css can show a row as a card below 640 px. Without JavaScript the
   pages stay as they are: a filter form unfolded, a table a table (scrolling in its own box). */
(function () {
  "use strict";

  var PHONE = window.matchMedia("(max-width: 640px)");
  // Fewer fields than this (a year or campaign switcher) fit one line: not folded.
  var FOLD_FROM_FIELDS = 3;
  // Tables that are grids by nature keep their rows and scroll inside their own box.
  // The row's status: a status badge (.status, or an app's own like .cstatus-overdue), or the
  // cell of the column named 状态.
  var STATUS_BADGE = ".status, [class*='status-']";
  // A link this far left names the row's record (further right: 操作's links).
  var TITLE_COLUMNS = 3;
  var NOT_CARDS = ".stack-table, .gantt, .no-cards, [data-cards='off'] table";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  /* 更多: a click elsewhere or Escape closes it, as a menu does. */
  function navMenu() {
    document.addEventListener("click", function (event) {
      each("details.nav-more[open]", function (menu) {
        if (!menu.contains(event.target)) menu.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      each("details.nav-more[open]", function (menu) {
        menu.open = false;
        menu.querySelector("summary").focus();
      });
    });
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (el.tagName === "BUTTON" || el.tagName === "FIELDSET" || el.tagName === "OUTPUT") return false;
      return !/^(hidden|submit|button|reset|image)$/.test(el.type);
    });
  }

  /* How many of the form's fields the address sets (a checkbox group counts once). */
  function activeFilters(fields) {
    var params = new URLSearchParams(window.location.search);
    var names = {};
    fields.forEach(function (el) {
      if (el.name && params.getAll(el.name).some(function (v) { return v !== ""; })) names[el.name] = true;
    });
    return Object.keys(names).length;
  }

  /* Each filter form (form.filters) not already folded by its page goes into a
     <details class="filter-fold">: open on a desk, closed on a phone, its summary 筛选 with the
     number of filters in use. data-fold="off" keeps a form as it is, data-fold="on" folds a
     short one. A form showing an error stays open. */
  function foldFilters() {
    each("main form.filters", function (form) {
      if (form.closest("details") || form.dataset.fold === "off") return;
      var fields = fieldsOf(form);
      if (fields.length < FOLD_FROM_FIELDS && form.dataset.fold !== "on") return;
      var fold = document.createElement("details");
      fold.className = "filter-fold no-print";
      var summary = document.createElement("summary");
      summary.textContent = "筛选";
      var active = activeFilters(fields);
      if (active) {
        var count = document.createElement("span");
        count.className = "filter-count";
        count.textContent = "已选 " + active + " 项";
        summary.appendChild(count);
      }
      fold.appendChild(summary);
      form.parentNode.insertBefore(fold, form);
      fold.appendChild(form);
      fold.dataset.keepOpen = form.querySelector(".error, .errorlist") ? "1" : "";
      fold.open = !PHONE.matches || fold.dataset.keepOpen === "1";
    });
  }

  function refold() {
    each("details.filter-fold", function (fold) {
      if (fold.dataset.keepOpen !== "1") fold.open = !PHONE.matches;
    });
  }

  /* Rows of figures after a heading cell (a tally by month and level): a grid by nature, read
     across and down, so it stays a table when the screen is wide enough for it. */
  function figuresGrid(rows) {
    var figures = 0;
    var grid = rows.every(function (row) {
      if (row.cells.length < 2) return true;
      return Array.prototype.slice.call(row.cells, 1).every(function (cell) {
        var text = cell.textContent.trim();
        if (/^[\d.,，%％+\-−—]+$/.test(text)) figures++;
        return /^[\d.,，%％+\-−—\s]*$/.test(text);
      });
    });
    return grid && figures > 0;
  }

  function fitsItsBox(table) {
    var box = table.closest(".table-wrap") || table.parentElement;
    return table.offsetWidth <= box.clientWidth + 1;
  }

  function blank(cell) {
    return cell.children.length === 0 && /^[\s—-]*$/.test(cell.textContent);
  }

  /* Each column's name from the header rows: a grouped column is "group·name" (与上年同期比·增减);
     none when the header does not name every column. */
  function columnLabels(head) {
    var grid = [];
    Array.prototype.forEach.call(head.rows, function (row, r) {
      grid[r] = grid[r] || [];
      var c = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (grid[r][c]) c++;
        for (var dr = 0; dr < cell.rowSpan; dr++) {
          grid[r + dr] = grid[r + dr] || [];
          for (var dc = 0; dc < cell.colSpan; dc++) grid[r + dr][c + dc] = cell;
        }
        c += cell.colSpan;
      });
    });
    var width = grid[0] ? grid[0].length : 0;
    var labels = [];
    for (var c = 0; c < width; c++) {
      var parts = [];
      grid.forEach(function (row) {
        var cell = row[c];
        var text = cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
        if (text && parts[parts.length - 1] !== text) parts.push(text);
      });
      labels.push(parts.join("·"));
    }
    return labels;
  }

  /* A table with a header naming its columns: each cell gets its column's name (data-label), the
     cell with the row's status .card-status, and the table .card-rows — app.css turns it into
     one card per row below 640 px, the status on its first line. */
  function labelTable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return false;
    // Cells its template labelled: the page lays the table out on a phone itself.
    if (table.querySelector("td[data-label], th[data-label]")) return false;
    var labels = columnLabels(head);
    if (labels.length < 3) return false;
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.push.apply(rows, body.rows);
    });
    if (table.tFoot) Array.prototype.push.apply(rows, table.tFoot.rows);
    var spanned = rows.some(function (row) {
      return Array.prototype.some.call(row.cells, function (c) { return c.rowSpan > 1; });
    });
    if (spanned || (figuresGrid(rows) && fitsItsBox(table))) return false;
    rows.forEach(function (row) {
      var column = 0;
      var statusSeen = false;
      var titleSeen = false;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.colSpan >= labels.length) {
          cell.classList.add("card-full");
        } else {
          if (!cell.hasAttribute("data-label") && labels[column]) cell.dataset.label = labels[column];
          if (!statusSeen && (cell.querySelector(STATUS_BADGE) || labels[column] === "状态")) {
            cell.classList.add("card-status");
            statusSeen = true;
          } else if (!titleSeen && column < TITLE_COLUMNS && cell.querySelector("a[href]")) {
            // The record's name (its link, in the first columns): the card's heading.
            cell.classList.add("card-title");
            titleSeen = true;
          } else if (blank(cell)) {
            cell.classList.add("card-empty");
          }
        }
        column += cell.colSpan;
      });
    });
    table.classList.add("card-rows");
    return true;
  }

  function scrollsInABox(table) {
    for (var el = table.parentElement; el && el.tagName !== "MAIN"; el = el.parentElement) {
      if (/(auto|scroll|hidden)/.test(window.getComputedStyle(el).overflowX)) return true;
    }
    return false;
  }

  function cardTables() {
    each("main table", function (table) {
      var carded = !table.matches(NOT_CARDS) && !table.closest(".card-rows") && labelTable(table);
      // A table left as a table scrolls inside its own box, never the page.
      if (!carded && !table.matches(".stack-table") && !scrollsInABox(table)) {
        var wrap = document.createElement("div");
        wrap.className = "table-wrap";
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
    });
  }

  function start() {
    navMenu();
    foldFilters();
    cardTables();
    if (PHONE.addEventListener) PHONE.addEventListener("change", refold);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
