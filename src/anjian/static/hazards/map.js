// 挂图作战: hazards as points coloured by state and level, clustered at district zoom, over an
// intranet tile server when configured, else a vector base of the district boundary and town points.
// No inline script or style (CSP): data comes from data-* attributes and scoped JSON endpoints;
// colours are CSS classes (hazards.css); user text is set with textContent, never innerHTML.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  var OPEN = { reported: 1, assigned: 1, rectifying: 1, extension_requested: 1, submitted: 1, verified: 1 };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + r.statusText);
      return r.json();
    });
  }

  function popup(point, data, labels) {
    var box = document.createElement("div");
    box.className = "hz-popup";
    var number = document.createElement("div");
    number.className = "fw-semibold font-monospace";
    number.textContent = point[5];
    var title = document.createElement("div");
    title.className = "hz-popup-title";
    title.textContent = point[6];
    var meta = document.createElement("div");
    meta.className = "small text-muted";
    meta.textContent = (data.labels.status[point[3]] || point[3]) + " · " + (data.labels.level[point[4]] || point[4]);
    var link = document.createElement("a");
    link.href = data.detail_url.replace("{id}", String(point[0]));
    link.className = "btn btn-sm btn-primary mt-1 text-white";
    link.textContent = labels.open;
    box.append(number, title, meta, link);
    return box;
  }

  ready(function () {
    var el = document.getElementById("hazard-map");
    if (!el || !window.L) return;
    var d = el.dataset;
    var labels = {
      open: d.labelOpen,
      none: d.labelNone,
      truncated: d.labelTruncated,
      count: d.labelCount,
    };
    var statusLine = document.getElementById("map-status");
    // The status line: what the base map shows first, then the hazards' count and any warning.
    var slots = { base: "", points: [] };
    function show() {
      statusLine.textContent = [slots.base].concat(slots.points).filter(Boolean).join(" · ");
    }
    function say(text) {
      slots.points.push(text);
      show();
    }

    var map = L.map(el, { zoomControl: true, attributionControl: false, minZoom: 7, maxZoom: 18, zoomSnap: 0.25 });
    // Town names only once the district is large enough to read them.
    function labelsByZoom() {
      el.classList.toggle("zoom-low", map.getZoom() < 9.5);
    }
    map.on("zoomend", labelsByZoom);
    map.setView([30.79, 121.24], 10);
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { maxZoom: 18, subdomains: "01234567" }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }

    var contextBounds = null;
    // Town names move to whichever side of their point no hazard or cluster covers (they sat under
    // the cluster circles, which gather around the same town points).
    var townMarkers = [];
    var LABEL_OFFSETS = { right: [6, 0], left: [-6, 0], top: [0, -6], bottom: [0, 6] };
    // Where a name may go: beside its point, else a little further out (direction, offset).
    var LABEL_SPOTS = [
      ["right", [6, 0]], ["left", [-6, 0]], ["top", [0, -6]], ["bottom", [0, 6]],
      ["right", [6, -16]], ["right", [6, 16]], ["left", [-6, -16]], ["left", [-6, 16]],
      ["right", [26, 0]], ["left", [-26, 0]], ["top", [0, -24]], ["bottom", [0, 24]],
      ["right", [26, -22]], ["right", [26, 22]], ["left", [-26, -22]], ["left", [-26, 22]],
      ["top", [0, -44]], ["bottom", [0, 44]], ["right", [46, 0]], ["left", [-46, 0]],
    ];
    function overlaps(a, b) {
      return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    function covers(box, r) {
      var x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
      return box.left < x && x < box.right && box.top < y && y < box.bottom;
    }
    function placeTownLabels() {
      var icons = Array.prototype.map.call(el.querySelectorAll(".hz-cluster, .hz-marker"), function (icon) {
        return icon.getBoundingClientRect();
      });
      // Names already placed are obstacles too (on a phone's small map the towns' names collided).
      var placed = [];
      var frame = el.getBoundingClientRect();
      townMarkers.forEach(function (marker) {
        var tip = marker.getTooltip();
        if (!tip || !tip.getElement()) return;
        var best = null;
        for (var i = 0; i < LABEL_SPOTS.length && (best === null || best[1] > 0); i++) {
          tip.options.direction = LABEL_SPOTS[i][0];
          tip.options.offset = LABEL_SPOTS[i][1];
          tip.update();
          var box = tip.getElement().getBoundingClientRect();
          var outside = box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
          // Worst: hiding a circle's centre (its count) or another name; touching a circle's edge is minor.
          var hits =
            icons.filter(function (r) { return overlaps(r, box); }).length +
            4 * icons.filter(function (r) { return covers(box, r); }).length +
            4 * placed.filter(function (r) { return overlaps(r, box); }).length +
            (outside ? 2 : 0);
          if (best === null || hits < best[1]) best = [i, hits];
        }
        // Hemmed in everywhere: the spot that covers the fewest circles and names (the name stays on top).
        tip.options.direction = LABEL_SPOTS[best[0]][0];
        tip.options.offset = LABEL_SPOTS[best[0]][1];
        tip.update();
        placed.push(tip.getElement().getBoundingClientRect());
      });
    }
    var placing = null;
    function placeTownLabelsSoon() {
      window.clearTimeout(placing);
      placing = window.setTimeout(placeTownLabels, 60);
    }
    map.on("zoomend", placeTownLabelsSoon);
    var context = getJSON(d.contextUrl).then(function (ctx) {
      var drawn = ctx.boundaries && ctx.boundaries.features.length;
      if (!d.tileUrl) {
        // Say what the vector base shows (no tile server); the configuration hint only for administrators.
        slots.base = (drawn ? d.labelBase : d.labelBaseTowns) + (d.labelAdmin || "");
        show();
      }
      if (drawn) {
        var layer = L.geoJSON(ctx.boundaries, {
          interactive: false,
          style: function (feature) {
            return feature.properties.kind === "district"
              ? { color: "#0b4f8a", weight: 2.5, fill: true, fillColor: "#e7f0f8", fillOpacity: 0.35 }
              : { color: "#5b7fa6", weight: 1, dashArray: "4 3", fill: false };
          },
        }).addTo(map);
        contextBounds = layer.getBounds();
      }
      (ctx.towns || []).forEach(function (t) {
        var marker = L.circleMarker([t.lat, t.lng], {
          radius: 4,
          color: "#343a40",
          weight: 1,
          fillColor: "#ffffff",
          fillOpacity: 1,
          interactive: false,
        }).addTo(map);
        marker.bindTooltip(t.name, { permanent: true, direction: "right", offset: LABEL_OFFSETS.right, className: "town-label" });
        townMarkers.push(marker);
        contextBounds = contextBounds ? contextBounds.extend([t.lat, t.lng]) : L.latLngBounds([t.lat, t.lng], [t.lat, t.lng]);
      });
    });

    // A cluster is neutral (its colour must not be read as a state); a red ring says it holds a 重大 hazard,
    // an orange one that it holds hazards still open.
    var clusters = L.markerClusterGroup({
      disableClusteringAtZoom: 15,
      maxClusterRadius: 45,
      chunkedLoading: true,
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) {
        var children = cluster.getAllChildMarkers();
        var major = children.some(function (m) { return m.options.hzLevel === "major"; });
        var open = children.some(function (m) { return OPEN[m.options.hzStatus]; });
        var n = cluster.getChildCount();
        var size = n < 10 ? 30 : n < 100 ? 36 : 44;
        return L.divIcon({
          html: "<span>" + n + "</span>",
          className: "hz-cluster" + (major ? " has-major" : open ? " has-open" : ""),
          iconSize: [size, size],
        });
      },
    });
    map.addLayer(clusters);
    clusters.on("animationend", placeTownLabelsSoon);

    var url = d.pointsUrl + (d.query ? "?" + d.query : "");
    var points = getJSON(url).then(function (data) {
      var markers = data.points.map(function (p) {
        var major = p[4] === "major";
        var size = major ? 18 : 13;
        var icon = L.divIcon({
          className: "hz-marker st-" + p[3] + " lv-" + p[4],
          iconSize: [size, size],
          iconAnchor: [size / 2, size / 2],
        });
        var marker = L.marker([p[1], p[2]], {
          icon: icon,
          title: p[5] + " " + p[6],
          riseOnHover: true,
          hzLevel: p[4],
          hzStatus: p[3],
        });
        marker.bindPopup(function () {
          return popup(p, data, labels);
        });
        return marker;
      });
      clusters.addLayers(markers);
      if (!markers.length) say(labels.none);
      else say(labels.count.replace("{n}", String(markers.length)));
      if (data.truncated) say(labels.truncated + " " + data.limit);
      return markers.length ? clusters.getBounds() : null;
    });

    Promise.allSettled([context, points]).then(function (results) {
      results.forEach(function (r) {
        if (r.status === "rejected") say(String(r.reason));
      });
      var pointBounds = results[1].status === "fulfilled" ? results[1].value : null;
      // Everything in view: the district (or its town points) and every hazard point.
      var target = contextBounds;
      if (pointBounds && pointBounds.isValid()) {
        target = target ? L.latLngBounds(target.getSouthWest(), target.getNorthEast()).extend(pointBounds) : pointBounds;
      }
      if (target && target.isValid()) map.fitBounds(target.pad(0.02));
      labelsByZoom();
      // Ready once the clusters have settled at the fitted zoom (markercluster marks the map with
      // .leaflet-cluster-anim while it animates; on a busy machine that outlasts any fixed delay) and
      // the town names have found their spots.
      var settle = function () {
        if (el.querySelector(".leaflet-cluster-anim")) {
          window.setTimeout(settle, 100);
          return;
        }
        placeTownLabels();
        el.setAttribute("data-ready", "1");
      };
      window.setTimeout(settle, 500);
    });

    window.addEventListener("resize", function () {
      map.invalidateSize();
    });
  });
})();
