// Meter details page: the chart of the meter's readings.
(function () {
    "use strict";

    // <canvas id="meter-readings-chart" data-points="<id of a JSON script block>">: [{ at, kwh }], oldest first.
    function init() {
        var canvas = document.getElementById("meter-readings-chart");
        if (!canvas || !window.Chart) {
            return;
        }

        var readings = JSON.parse(document.getElementById(canvas.dataset.points).textContent);
        new window.Chart(canvas, {
            type: "line",
            data: {
                labels: readings.map(function (r) { return r.at; }),
                datasets: [{ label: "kWh", data: readings.map(function (r) { return r.kwh; }), tension: 0.2, fill: false }]
            },
            options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
