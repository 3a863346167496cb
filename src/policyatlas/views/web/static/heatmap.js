// Click a column head to sort provinces by that industry's strength (click again to reverse).
(function () {
  "use strict";
  var table = document.getElementById("heatmap");
  if (!table) return;
  var dir = {};
  table.querySelectorAll("thead tr:first-child th[data-col]").forEach(function (th, i) {
    th.style.cursor = "pointer";
    th.addEventListener("click", function () {
      var col = i + 1;  // cell index after the row head
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      dir[col] = -(dir[col] || 1);
      rows.sort(function (a, b) {
        var x = +a.cells[col].textContent || 0, y = +b.cells[col].textContent || 0;
        return dir[col] * (x - y);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
