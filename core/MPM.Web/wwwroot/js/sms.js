// SMS page: the progress card of a bulk send (<div id="sms-progress" data-url="…?handler=Progress&id=N">) polls the
// send's counts until every message is delivered or failed.
(function () {
    "use strict";

    var PollMs = 1000;

    function set(id, value) {
        document.getElementById(id).textContent = String(value);
    }

    function show(card, p) {
        set("sms-progress-recipients", p.recipients);
        set("sms-progress-queued", p.queued);
        set("sms-progress-sent", p.sent);
        set("sms-progress-delivered", p.delivered);
        set("sms-progress-failed", p.failed);
        set("sms-progress-state", p.finished ? "done" : p.handedOver ? "all handed to the gateway, waiting for delivery reports" : "sending");
        var bar = document.getElementById("sms-progress-bar");
        bar.max = Math.max(p.recipients, 1);
        bar.value = p.recipients - p.queued;
        card.dataset.finished = p.finished ? "true" : "false";
    }

    function poll(card) {
        fetch(card.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (progress) {
                show(card, progress);
                if (!progress.finished) {
                    window.setTimeout(function () { poll(card); }, PollMs);
                }
            })
            .catch(function () {
                window.setTimeout(function () { poll(card); }, PollMs * 3);
            });
    }

    function init() {
        var card = document.getElementById("sms-progress");
        if (card && card.dataset.finished !== "true") {
            poll(card);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
