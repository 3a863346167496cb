// Small page behaviours shared by the dashboard pages (no data of their own).
(function () {
  "use strict";
  // /compare: the ticked provinces become one regions=A,B,… parameter
  var form = document.getElementById("compare-form");
  if (form) form.addEventListener("submit", function () {
    var picked = Array.prototype.map.call(form.querySelectorAll("input[name=pick]:checked"), function (i) { return i.value; });
    document.getElementById("regions").value = picked.join(",");
    form.querySelectorAll("input[name=pick]").forEach(function (i) { i.disabled = true; });
  });
})();
