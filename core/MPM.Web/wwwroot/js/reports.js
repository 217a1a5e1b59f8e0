// Reports page: "Generate now" disables its button while the form posts, and the progress panel of a queued run
// (<div id="run" data-url="…?handler=Run&id=N" data-status="…">) polls the run until it is done or failed.
(function () {
    "use strict";

    var PollMs = 1000;

    function text(id, value) {
        var element = document.getElementById(id);
        if (element) {
            element.textContent = value;
        }
    }

    function show(panel, run) {
        panel.dataset.status = run.status;
        panel.classList.remove("alert-info", "alert-success", "alert-danger");
        panel.classList.add(run.status === "done" ? "alert-success" : run.status === "failed" ? "alert-danger" : "alert-info");
        text("run-status", run.status);
        text("run-step", run.step || "");
        text("run-formats", run.formatsDone + " of " + run.formatsTotal + " formats stored");
        text("run-reason", run.status === "failed" ? "Failed: " + (run.reason || "no reason given") : "");
        var progress = document.getElementById("run-progress");
        progress.max = Math.max(run.formatsTotal, 1);
        progress.value = run.status === "done" ? progress.max : run.formatsDone;
        var files = document.getElementById("run-files");
        files.replaceChildren();
        (run.files || []).forEach(function (file) {
            var link = document.createElement("a");
            link.className = "btn btn-sm btn-outline-primary me-1";
            link.href = file.url;
            link.download = file.fileName;
            link.dataset.format = file.format;
            link.textContent = "Download " + file.format.toUpperCase();
            files.appendChild(link);
        });
    }

    function poll(panel) {
        fetch(panel.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (run) {
                show(panel, run);
                if (run.status !== "done" && run.status !== "failed") {
                    window.setTimeout(function () { poll(panel); }, PollMs);
                }
            })
            .catch(function (error) {
                text("run-step", "(progress unavailable: " + error.message + "; retrying)");
                window.setTimeout(function () { poll(panel); }, PollMs * 3);
            });
    }

    function init() {
        var form = document.getElementById("generate");
        if (form) {
            form.addEventListener("submit", function () {
                var button = document.getElementById("generate-now");
                button.disabled = true;
                button.textContent = "Queueing…";
            });
        }

        var panel = document.getElementById("run");
        if (panel && panel.dataset.status !== "done" && panel.dataset.status !== "failed") {
            poll(panel);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
