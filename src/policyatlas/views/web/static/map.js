// The choropleth: all years' strengths are embedded in the page, so switching industry or year
// redraws without a request (and works the same in the exported static site).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("atlas-data").textContent);
  var state = { industry: data.industry, year: data.year };
  var hash = decodeURIComponent(location.hash.slice(1)).split("/");
  if (hash[0]) state.industry = hash[0];
  if (hash[1] && data.years.indexOf(+hash[1]) >= 0) state.year = +hash[1];
  var select = document.getElementById("industry");
  var names = {};
  data.industries.forEach(function (i) { names[i.slug] = i; });
  if (!names[state.industry]) state.industry = data.industry;
  select.value = state.industry;
  // legend pieces from the server: value, label, fill and the label colour readable on that fill
  var PALETTE = {};
  data.palette.forEach(function (p) { PALETTE[p.value] = p; });

  function regionUrl(adcode) {
    return data.regionUrl.replace("ADCODE", adcode).replace("9999", String(state.year));
  }
  function rows() {
    var values = (data.values[state.year] || {})[state.industry] || {};
    var reported = data.reported[state.year] || [];
    return data.regions.map(function (r) {
      var has = reported.indexOf(r.adcode) >= 0;
      var v = values[r.adcode] || 0;
      var value = has ? v : -1;
      return { name: r.map_name, value: value, adcode: r.adcode, zh: r.name_zh, en: r.name_en, has: has,
               label: { color: PALETTE[value].label_color } };
    });
  }
  var chart = null;
  var el = document.getElementById("map");
  if (el && window.echarts) {
    chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("click", function (p) {
      if (p.data && p.data.has) location.href = regionUrl(p.data.adcode);
    });
    chart.on("finished", function () { document.body.setAttribute("data-map-ready", state.industry + "/" + state.year); });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function draw() {
    var items = rows();
    var entry = names[state.industry];
    var committed = items.filter(function (r) { return r.value > 0; }).length;
    var reported = items.filter(function (r) { return r.has; }).length;
    document.getElementById("summary").textContent =
      entry.name_zh + " · " + entry.name_en + " — " + committed + " / " + reported + (reported === 1 ? " province, " : " provinces, ") + state.year;
    document.title = entry.name_zh + " " + entry.name_en + " · " + state.year + " · policyatlas";
    var png = document.getElementById("png");
    if (png) png.setAttribute("download", "map-" + state.industry + "-" + state.year + ".png");
    document.querySelectorAll(".year").forEach(function (b) { b.classList.toggle("on", +b.dataset.year === state.year); });
    var tbody = document.querySelector("#province-table tbody");
    tbody.textContent = "";
    items.filter(function (r) { return r.has; }).sort(function (a, b) { return b.value - a.value || (a.adcode < b.adcode ? -1 : 1); })
      .forEach(function (r) {
        var tr = document.createElement("tr"); tr.dataset.adcode = r.adcode;
        var a = document.createElement("a"); a.href = regionUrl(r.adcode); a.textContent = r.zh + " " + r.en;
        var td1 = document.createElement("td"); td1.appendChild(a);
        var td2 = document.createElement("td"); td2.className = "strength";
        td2.textContent = r.value > 0 ? r.value + " " + (data.levels[r.value] || "") : "";
        var td3 = document.createElement("td"); td3.textContent = "yes";
        tr.appendChild(td1); tr.appendChild(td2); tr.appendChild(td3); tbody.appendChild(tr);
      });
    if (location.protocol === "file:") {
      history.replaceState(null, "", "#" + state.industry + "/" + state.year);
    } else {
      history.replaceState(null, "", "?industry=" + encodeURIComponent(state.industry) + "&year=" + state.year);
    }
    if (!chart) return;
    chart.setOption({
      title: { text: entry.name_zh + "  " + state.year, subtext: entry.name_en, left: "center", top: 8 },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data || {};
          if (!d.has) return (d.zh || p.name) + "<br>no report / 无报告";
          return d.zh + " " + d.en + "<br>" + (d.value > 0 ? "strength " + d.value + " " + (data.levels[d.value] || "") + " / " + (data.levels["zh" + d.value] || "") : "not committed / 未提及");
        }
      },
      toolbox: { right: 12, top: 8, feature: { saveAsImage: { name: "map-" + state.industry + "-" + state.year, pixelRatio: 2,
                                                                backgroundColor: "#ffffff", title: "PNG" } } },
      visualMap: {
        type: "piecewise", left: 12, bottom: 20,
        pieces: data.palette.map(function (p) { return { value: p.value, label: p.label, color: p.color }; })
      },
      series: [{
        type: "map", map: "china", roam: false, selectedMode: false, top: 70, bottom: 10,
        label: { show: true, fontSize: 10, color: "#1d2733" },  // overridden per province: readable on its fill
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#fdae6b" } },
        itemStyle: { borderColor: "#999", borderWidth: 0.6 },
        data: items
      }]
    });
  }
  var png = document.getElementById("png");
  if (png) png.addEventListener("click", function () {
    // the chart as a PNG file: ECharts draws it on a white background at twice the screen resolution
    if (chart) png.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
  });
  select.addEventListener("change", function () { state.industry = select.value; draw(); });
  document.querySelectorAll(".year").forEach(function (b) {
    b.addEventListener("click", function () { state.year = +b.dataset.year; draw(); });
  });
  draw();
})();
