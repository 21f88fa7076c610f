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
      fallback: d.labelFallback,
      count: d.labelCount,
    };
    var statusLine = document.getElementById("map-status");
    var messages = [];
    function say(text) {
      messages.push(text);
      statusLine.textContent = messages.join(" · ");
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
      say(labels.fallback);
    }

    var contextBounds = null;
    var context = getJSON(d.contextUrl).then(function (ctx) {
      if (ctx.boundaries && ctx.boundaries.features.length) {
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
        marker.bindTooltip(t.name, { permanent: true, direction: "right", offset: [6, 0], className: "town-label" });
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
      el.setAttribute("data-ready", "1");
    });

    window.addEventListener("resize", function () {
      map.invalidateSize();
    });
  });
})();
