// Transaction detail page: the doughnut of what a payment paid for.
(function () {
    "use strict";

    // <canvas id="transaction-breakdown-chart" data-points="<id of a JSON script block>">: { labels: [...], amounts: [...] }.
    function init() {
        var canvas = document.getElementById("transaction-breakdown-chart");
        if (!canvas || !window.Chart) {
            return;
        }

        var breakdown = JSON.parse(document.getElementById(canvas.dataset.points).textContent);
        new window.Chart(canvas, {
            type: "doughnut",
            data: {
                labels: breakdown.labels,
                datasets: [{ data: breakdown.amounts }]
            },
            options: { maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
