// The party organisation chart as an ECharts tree (the nested list below stays the accessible version).
(function () {
  var holder = document.getElementById("party-chart");
  var source = document.getElementById("party-tree-data");
  if (!holder || !source || !window.echarts) { return; }
  var roots = JSON.parse(source.textContent);
  function convert(node, depth) {
    var label = node.name + " (" + node.member_count + ")";
    return {
      name: label,
      value: node.id,
      collapsed: depth >= 2,
      itemStyle: node.flagged ? { color: "#d97706", borderColor: "#d97706" } : undefined,
      children: node.children.map(function (c) { return convert(c, depth + 1); })
    };
  }
  var data = roots.length === 1 ? convert(roots[0], 0) : { name: "", children: roots.map(function (r) { return convert(r, 1); }) };
  var chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "item", triggerOn: "mousemove" },
    series: [{
      type: "tree", data: [data], top: "2%", left: "12%", bottom: "2%", right: "22%",
      symbolSize: 8, initialTreeDepth: 2, expandAndCollapse: true, animationDuration: 300,
      label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
      leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } }
    }]
  });
  var count = 0;
  (function walk(nodes) { nodes.forEach(function (n) { count += 1; walk(n.children); }); })(roots);
  holder.setAttribute("data-nodes", String(count));
  chart.on("dblclick", function (params) {
    if (params.value) { window.location.href = holder.getAttribute("data-detail-url").replace("/0/", "/" + params.value + "/"); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
