// The map of a place's create/edit page (Pages/Places/_PlaceMap.cshtml). Shows the point of the latitude and
// longitude fields and, on the cluster page, the area polygon of the GeoJSON field; clicking the map sets the point.
// Marker and polygon are vectors, so they show even when the tile server cannot be reached. Both are only shown:
// a click on them is a click on the map.
(function () {
    "use strict";

    var DEFAULT_VIEW = { center: [-6.37, 34.89], zoom: 6 }; // Tanzania, until the place has a location

    function init() {
        var element = document.getElementById("place-map");
        var latitude = document.getElementById("Input_Latitude");
        var longitude = document.getElementById("Input_Longitude");
        var area = document.getElementById("Input_Area");
        if (!element || !latitude || !longitude || !window.L) {
            return;
        }

        var map = L.map(element);
        L.tileLayer(element.getAttribute("data-tile-url"), {
            maxZoom: 19,
            attribution: "&copy; OpenStreetMap contributors"
        }).addTo(map);
        var marker = null;
        var areaLayer = null;

        function point() {
            var lat = parseFloat(latitude.value);
            var lng = parseFloat(longitude.value);
            return isFinite(lat) && isFinite(lng) ? L.latLng(lat, lng) : null;
        }

        function showPoint() {
            var p = point();
            if (marker) {
                map.removeLayer(marker);
                marker = null;
            }
            if (p) {
                marker = L.circleMarker(p, { radius: 9, color: "#b02a37", fillColor: "#dc3545", fillOpacity: 0.9, interactive: false }).addTo(map);
            }
        }

        function showArea() {
            if (areaLayer) {
                map.removeLayer(areaLayer);
                areaLayer = null;
            }
            if (!area || !area.value.trim()) {
                return;
            }
            try {
                areaLayer = L.geoJSON(JSON.parse(area.value), { interactive: false, style: { color: "#0d6efd", weight: 2, fillOpacity: 0.15 } }).addTo(map);
            } catch (e) {
                // Not a polygon yet: the server names the problem when the form is saved.
                areaLayer = null;
            }
        }

        function fit() {
            if (areaLayer && areaLayer.getBounds().isValid()) {
                map.fitBounds(areaLayer.getBounds(), { maxZoom: 14 });
            } else if (point()) {
                map.setView(point(), 12);
            } else {
                map.setView(DEFAULT_VIEW.center, DEFAULT_VIEW.zoom);
            }
        }

        map.on("click", function (event) {
            var clicked = event.latlng.wrap();
            latitude.value = clicked.lat.toFixed(6);
            longitude.value = clicked.lng.toFixed(6);
            showPoint();
        });
        latitude.addEventListener("input", showPoint);
        longitude.addEventListener("input", showPoint);
        if (area) {
            area.addEventListener("change", function () {
                showArea();
                fit();
            });
        }

        showPoint();
        showArea();
        fit();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
