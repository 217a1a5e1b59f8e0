// The dashboards' maps, charts and weather card (Pages/Index, Pages/Dashboards/Cluster and MiniGrid). The pages put
// their data in data-* attributes (no inline script). Markers and areas are vectors, so they show without the tile
// server; a click on one opens that place's dashboard.
(function () {
    "use strict";

    var DEFAULT_VIEW = { center: [-6.37, 34.89], zoom: 6 }; // Tanzania, until a place has a location
    var COLORS = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d"];

    function initMap() {
        var element = document.getElementById("dashboard-map");
        if (!element || !window.L) {
            return;
        }

        var places = JSON.parse(element.getAttribute("data-markers") || "[]");
        // A view first: Leaflet creates the vector elements of markers and areas only once the map has one.
        var map = L.map(element).setView(DEFAULT_VIEW.center, DEFAULT_VIEW.zoom);
        L.tileLayer(element.getAttribute("data-tile-url"), { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
        var layers = [];

        function open(place) {
            return function () { window.location.href = place.url; };
        }

        var outline = element.getAttribute("data-area");
        if (outline) {
            try {
                layers.push(L.geoJSON(JSON.parse(outline), { interactive: false, style: { color: "#6c757d", weight: 1, fillOpacity: 0.05, className: "mpm-map-outline" } }).addTo(map));
            } catch (e) {
                // Not a polygon: the cluster is shown by its mini-grids alone.
            }
        }

        // Leaflet puts a string tooltip in as HTML: names are operator input, so the tooltip is an element holding text.
        function tooltip(text) {
            var span = document.createElement("span");
            span.textContent = text;
            return span;
        }

        places.forEach(function (place) {
            var label = place.name + (place.revenue ? " · " + place.revenue : "");
            if (place.area) {
                try {
                    var area = L.geoJSON(JSON.parse(place.area), { style: { color: "#0d6efd", weight: 2, fillOpacity: 0.15, className: "mpm-map-area" } });
                    area.on("click", open(place)).bindTooltip(tooltip(label)).addTo(map);
                    area.eachLayer(function (layer) {
                        if (layer.getElement && layer.getElement()) { layer.getElement().setAttribute("data-place", place.id); }
                    });
                    layers.push(area);
                } catch (e) {
                    // An area that is not valid GeoJSON: the marker alone.
                }
            }
            if (place.lat !== null && place.lng !== null && place.lat !== undefined && place.lng !== undefined) {
                var marker = L.circleMarker([place.lat, place.lng], { radius: 10, color: "#b02a37", fillColor: "#dc3545", fillOpacity: 0.9, className: "mpm-map-marker" });
                marker.on("click", open(place)).bindTooltip(tooltip(label)).addTo(map);
                marker.getElement().setAttribute("data-place", place.id);
                marker.getElement().setAttribute("aria-label", place.name);
                layers.push(marker);
            }
        });

        var group = L.featureGroup(layers);
        if (layers.length > 0 && group.getBounds().isValid()) {
            map.fitBounds(group.getBounds(), { maxZoom: 13, padding: [30, 30] });
        }
        element.setAttribute("data-drawn", String(places.length));
    }

    function initCharts() {
        if (!window.Chart) {
            return;
        }
        document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
            var data = JSON.parse(canvas.getAttribute("data-chart"));
            var kind = canvas.getAttribute("data-kind") || "line";
            var chart = new Chart(canvas, {
                type: kind,
                data: {
                    labels: data.labels,
                    datasets: data.series.map(function (series, i) {
                        var color = COLORS[i % COLORS.length];
                        return { label: series.name, data: series.values.map(Number), borderColor: color, backgroundColor: kind === "bar" ? color : color + "33", tension: 0.2, fill: false };
                    })
                },
                options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } }
            });
            canvas.setAttribute("data-rendered", String(chart.data.datasets.length));
        });
    }

    function number(value, digits) {
        return value === null || value === undefined ? "—" : Number(value).toFixed(digits);
    }

    function initWeather() {
        var card = document.getElementById("weather");
        if (!card) {
            return;
        }
        var status = document.getElementById("weather-status");
        var table = document.getElementById("weather-table");
        fetch(card.getAttribute("data-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : { available: false, message: "forecast unavailable" }; })
            .then(function (report) {
                if (!report.available) {
                    status.textContent = "Weather: " + (report.message || "forecast unavailable") + ".";
                    card.setAttribute("data-state", "unavailable");
                    return;
                }
                var body = table.querySelector("tbody");
                report.days.forEach(function (day) {
                    var row = document.createElement("tr");
                    [day.date, number(day.temperatureMinC, 0) + " – " + number(day.temperatureMaxC, 0), number(day.precipitationMm, 1), number(day.cloudCoverPercent, 0), number(day.sunshineHours, 1)]
                        .forEach(function (text, i) {
                            var cell = document.createElement("td");
                            cell.textContent = text;
                            if (i > 0) { cell.className = "text-end"; }
                            row.appendChild(cell);
                        });
                    body.appendChild(row);
                });
                status.textContent = "From " + report.provider + ".";
                table.classList.remove("d-none");
                card.setAttribute("data-state", "available");
            })
            .catch(function () {
                status.textContent = "Weather: forecast unavailable.";
                card.setAttribute("data-state", "unavailable");
            });
    }

    function init() {
        initMap();
        initCharts();
        initWeather();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
