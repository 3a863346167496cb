// Search in the exported site: regions and industries from an embedded index (no server).
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("search-index").textContent);
  var input = document.getElementById("static-q"), list = document.getElementById("static-results");
  function run() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) return;
    index.filter(function (e) { return e.keys.some(function (k) { return k.toLowerCase().indexOf(q) >= 0; }); })
      .slice(0, 30).forEach(function (e) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = e.url; a.textContent = e.label; li.appendChild(a); list.appendChild(li);
      });
  }
  input.addEventListener("input", run);
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(); }
})();
