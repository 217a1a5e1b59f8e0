// Customer details page: the map of the customer's meters, and the sell-asset form's default total cost.
(function () {
    "use strict";

    // <div id="customer-map" data-tile-url="…" data-points="<id of a JSON script block>">: one marker per meter
    // ([{ serial, url, lat, lng }]), the view fitted to them. Markers show without tiles (no internet needed).
    function initMap() {
        var element = document.getElementById("customer-map");
        if (!element || !window.L) {
            return;
        }

        var points = JSON.parse(document.getElementById(element.dataset.points).textContent);
        if (points.length === 0) {
            element.classList.add("d-none");
            return;
        }

        var map = L.map(element);
        L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
        var markers = points.map(function (point) {
            var link = document.createElement("a");
            link.href = point.url;
            link.textContent = point.serial;
            return L.marker([point.lat, point.lng], { title: point.serial, alt: "Meter " + point.serial }).bindPopup(link);
        });
        var group = L.featureGroup(markers).addTo(map);
        map.fitBounds(group.getBounds(), { maxZoom: 15, padding: [32, 32] });
    }

    // <select data-total-cost="<input id>">: choosing an asset type puts its price (data-price) into the total cost.
    function initSaleForm() {
        var select = document.querySelector("select[data-total-cost]");
        if (!select) {
            return;
        }

        select.addEventListener("change", function () {
            var option = select.options[select.selectedIndex];
            var price = option && option.dataset.price;
            if (price !== undefined) {
                document.getElementById(select.dataset.totalCost).value = price;
            }
        });
    }

    function init() {
        initMap();
        initSaleForm();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();

// Payment flow: confirmed payments per month.
(function () {
    var canvas = document.getElementById("payment-flow-chart");
    if (!canvas || !window.Chart) {
        return;
    }

    var points = JSON.parse(document.getElementById(canvas.dataset.points).textContent);
    new Chart(canvas, {
        type: "bar",
        data: {
            labels: points.map(function (p) { return p.month; }),
            datasets: [{ label: "Confirmed payments", data: points.map(function (p) { return p.amount; }) }]
        },
        options: { animation: false, plugins: { legend: { display: false } } }
    });
})();
