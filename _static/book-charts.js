// Draws every chart of a page (the <figure class="book-chart"> blocks that
// analysis.report.charts.render_html writes) with the locally served vega-embed
// (_static/vega/vega-bundle.js), and makes each chart's "Data (CSV)" and "Spec (JSON)"
// links from its spec. Served from the book's own files: no CDN. One copy for all charts.
(function () {
  function chart(el) {  // el: a chart's .book-chart-view element; its spec is in #<id>-spec
    var id = el.id, spec = JSON.parse(document.getElementById(id + "-spec").textContent);
    var drawnAt = 0, drawn = null;
    var wrap = function (t, n) {
      if (typeof t !== "string" || t.length <= n) { return t; }
      return t.split(" ").reduce(function (ls, w) {
        if (ls[ls.length - 1] && (ls[ls.length - 1] + " " + w).length > n) { ls.push(w); }
        else { ls[ls.length - 1] = (ls[ls.length - 1] ? ls[ls.length - 1] + " " : "") + w; }
        return ls;
      }, [""]);
    };
    var plain = function (v) {
      return !(v.vconcat || v.hconcat || v.concat || v.facet || v.repeat) &&
        (v.width === undefined || typeof v.width === "number");
    };
    function layout() {
      // Lay the chart out at the column's width, text at full size: a single view fills the column;
      // panels stacked one above the other are drawn, measured and redrawn to fit. Titles wrap.
      var px = el.clientWidth || 640, view = spec;
      var single = plain(spec), stacked = Array.isArray(spec.vconcat) && spec.vconcat.every(plain);
      drawnAt = px;
      if (single || stacked) {
        var t = typeof spec.title === "object" ? Object.assign({}, spec.title) : {text: spec.title || ""};
        t.text = wrap(t.text, px / 10 | 0);  // about 10 px a character at the title's size
        if (t.subtitle) { t.subtitle = wrap(t.subtitle, px / 7 | 0); }
        var config = Object.assign({}, spec.config);
        // Legends wrap into columns, and several legends stack rather than run off the right edge.
        // On a phone, x-axis titles and legends align right: they run left, under the y labels.
        var columns = Math.max(1, px / 260 | 0), phone = px < 480;
        config.legend = Object.assign({}, config.legend, {columns: columns, labelLimit: px / columns - 40 | 0,
          layout: {bottom: {direction: "vertical", anchor: phone ? "end" : "start"}}});
        if (phone) { config.axisX = Object.assign({titleAnchor: "end"}, config.axisX); }
        view = Object.assign({}, spec, {title: t, config: config});
      }
      if (single) {
        view = Object.assign(view, {width: "container", autosize: {type: "fit-x", contains: "padding"}});
        el.style.display = "block";
      }
      var embed = function (panel) {  // panel: the plot width of each stacked panel
        var v = stacked ? Object.assign({}, view, {vconcat: spec.vconcat.map(function (p) {
          return Object.assign({}, p, {width: panel});
        })}) : view;
        if (drawn) { drawn.finalize(); }
        return vegaEmbed(el, v, {actions: false, renderer: "svg"}).then(function (r) { drawn = r; });
      };
      var fit = function (panel, tries) {  // stacked panels: redrawn until the drawing fits the column
        return embed(panel).then(function () {
          var svg = el.querySelector("svg"), over = svg ? parseFloat(svg.getAttribute("width")) - px : 0;
          if (stacked && tries > 0 && (over > 0 || over < -2)) { return fit(panel - over, tries - 1); }
        });
      };
      fit(px - 120, 4).catch(function (err) {  // px - 120: a first guess at the room the y labels leave
        el.textContent = "Chart failed to render: " + err;
      });
    }
    function draw() {
      layout();
      if (window.ResizeObserver) {  // the column changed width (window resized, page layout settled)
        new ResizeObserver(function () { if (Math.abs(el.clientWidth - drawnAt) > 1) { layout(); } }).observe(el);
      }
      var rows = ((spec.datasets || {})[Object.keys(spec.datasets || {})[0]]) || [];
      var cols = rows.length ? Object.keys(rows[0]) : [];
      var esc = function (v) {
        var s = v === null || v === undefined ? "" : String(v);
        return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
      };
      var csv = [cols.map(esc).join(",")].concat(rows.map(function (r) {
        return cols.map(function (c) { return esc(r[c]); }).join(",");
      })).join("\n") + "\n";
      var title = spec.title && spec.title.text !== undefined ? spec.title.text : spec.title || "";
      var meta = document.querySelector('meta[name="book-provenance"]'), p = window.bookProvenance;
      var build = meta ? meta.content : p ? "commit " + p.commit + ", built " + p.built + ", scenario " +
        p.scenario + ", data hash " + p.inputs : "";
      var head = [["page", location.href.split("#")[0]], ["chart", [].concat(title).join(" ")],
        ["source", (spec.usermeta || {}).source || ""], ["build", build]];
      csv = head.filter(function (h) { return h[1]; }).map(function (h) {
        return "# " + h[0] + ": " + String(h[1]).replace(/\s+/g, " ");
      }).join("\n") + "\n" + csv;
      var link = function (sel, text, type) {
        var a = document.querySelector("#" + id + "-downloads " + sel);
        a.href = URL.createObjectURL(new Blob([text], {type: type}));
      };
      link(".csv", csv, "text/csv");
      link(".json", JSON.stringify(spec, null, 2), "application/json");
    }
    draw();
  }

  function drawAll() { document.querySelectorAll(".book-chart-view").forEach(chart); }
  function start() {
    if (window.vegaEmbed) { drawAll(); } else { window.addEventListener("vega-ready", drawAll, {once: true}); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
