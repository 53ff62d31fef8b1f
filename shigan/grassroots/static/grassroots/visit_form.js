// 添加一件诉求: a copy of the formset's empty form, numbered, and TOTAL_FORMS counted up.
(function () {
  var button = document.getElementById("add-concern");
  if (!button) return;
  button.addEventListener("click", function () {
    var total = document.getElementById("id_concern-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = document.getElementById("concern-empty").innerHTML.replace(/__prefix__/g, index);
    document.getElementById("concern-forms").insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
  });
})();
