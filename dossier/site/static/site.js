// Filters and search of the master list: no libraries, no network. Rows carry their values in data-*.
(function () {
  "use strict";
  var table = document.getElementById("master-list");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var kind = document.getElementById("filter-kind");
  var state = document.getElementById("filter-state");
  var department = document.getElementById("filter-department");
  var search = document.getElementById("search");
  var count = document.getElementById("shown-count");
  var none = document.getElementById("no-match");

  function apply() {
    var query = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var match = (!kind.value || row.dataset.kind === kind.value) &&
        (!state.value || row.dataset.state === state.value) &&
        (!department.value || row.dataset.department === department.value) &&
        (!query || row.dataset.search.indexOf(query) !== -1);
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = String(shown);
    none.hidden = shown !== 0;
  }

  [kind, state, department].forEach(function (select) { select.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  apply();
}());
