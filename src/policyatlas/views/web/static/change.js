// The change map: each province coloured by how its commitment moved (gained, lost, strengthened …),
// its label in the colour readable on that fill; the chart downloads as PNG (toolbox or the button).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("change-data").textContent);
  var el = document.getElementById("map");
  if (!el || !window.echarts) return;
  var PALETTE = {};
  data.palette.forEach(function (p) { PALETTE[p.value] = p; });
  var chart = echarts.init(el, null, { renderer: "canvas" });
  var items = data.provinces.map(function (r) {
    var p = PALETTE[r.change];
    return { name: r.map_name, value: r.change, adcode: r.adcode, zh: r.name_zh, en: r.name_en, from: r.strength_from, to: r.strength_to,
             itemStyle: { areaColor: p.color }, label: { color: p.label_color } };
  });
  chart.on("click", function (p) {
    if (p.data && p.data.value !== "no_data") location.href = data.regionUrl.replace("ADCODE", p.data.adcode);
  });
  chart.on("finished", function () { document.body.setAttribute("data-map-ready", "change/" + data.industry); });
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    title: { text: data.name_zh + "  " + data.year_from + " → " + data.year_to, subtext: data.name_en, left: "center", top: 8 },
    toolbox: { right: 12, top: 8, feature: { saveAsImage: { name: "change-" + data.industry + "-" + data.year_from + "-" + data.year_to,
                                                            pixelRatio: 2, backgroundColor: "#ffffff", title: "PNG" } } },
    tooltip: { trigger: "item", formatter: function (p) {
      var d = p.data || {};
      return (d.zh || p.name) + " " + (d.en || "") + "<br>" + (PALETTE[d.value] ? PALETTE[d.value].label : "") +
        (d.value && d.value !== "no_data" ? " (" + d.from + " → " + d.to + ")" : "");
    } },
    legend: { show: false },
    series: [{ type: "map", map: "china", roam: false, selectedMode: false, top: 70, bottom: 10,
               label: { show: true, fontSize: 10, color: "#1d2733" }, emphasis: { label: { show: true }, itemStyle: { areaColor: "#fdae6b" } },
               itemStyle: { borderColor: "#999", borderWidth: 0.6 }, data: items }],
    graphic: [{ type: "group", left: 12, bottom: 20, children: data.palette.map(function (p, i) {
      return { type: "group", top: i * 20, children: [
        { type: "rect", shape: { width: 18, height: 12 }, style: { fill: p.color, stroke: "#999" } },
        { type: "text", left: 24, style: { text: p.label, fill: "#333", font: "12px sans-serif" } }] };
    }) }]
  });
  var png = document.getElementById("png");
  if (png) png.addEventListener("click", function () {
    png.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
  });
})();
