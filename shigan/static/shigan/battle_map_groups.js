// The collapsed battle map (/map/ above MAP_EXPAND_LIMIT tasks): a group's heading opens the
// group, fetching its rows from /map/group/ (data-src: the page's own filters and the group's
// key) and inserting them under the heading; a second click folds them away, a third shows
// them again without fetching. "显示更多" fetches the group's next rows in place of itself.
// A static file: the CSP forbids inline script.
(function () {
  function rowsOf(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function load(url, before, body) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        body.insertBefore(rowsOf(html), before);
      });
  }

  function failed(body, colspan) {
    var row = document.createElement("tr");
    row.className = "group-error";
    var cell = document.createElement("td");
    cell.colSpan = colspan;
    cell.textContent = "读取失败，请刷新页面后重试。";
    row.appendChild(cell);
    body.appendChild(row);
  }

  document.querySelectorAll("tbody.map-group").forEach(function (body) {
    var button = body.querySelector(".group-toggle");
    var colspan = body.querySelector(".group-row th").colSpan;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      body.classList.toggle("open", !open);
      if (open || body.dataset.loaded) return;
      body.dataset.loaded = "loading";
      body.setAttribute("aria-busy", "true");
      load(body.dataset.src, null, body)
        .catch(function () { failed(body, colspan); })
        .then(function () {
          body.dataset.loaded = "yes";
          body.removeAttribute("aria-busy");
        });
    });
    body.addEventListener("click", function (event) {
      var more = event.target.closest(".group-more");
      if (!more || more.disabled) return;
      more.disabled = true;
      var row = more.closest("tr");
      load(more.dataset.src, row, body)
        .then(function () { row.remove(); })
        .catch(function () { more.disabled = false; });
    });
  });
})();
