// MPM.Web shell behaviour. No inline scripts anywhere: the Content-Security-Policy allows only
// the app's own files, so pages hook in through data-* attributes handled here.
(function () {
    "use strict";

    var STORAGE_KEY = "mpm.sidebarCollapsed";
    var root = document.documentElement;

    // Desktop: collapse the sidebar to icons only, remembered across pages.
    // (Below the lg breakpoint the sidebar is a Bootstrap offcanvas, opened by the menu button.)
    function setCollapsed(collapsed) {
        root.classList.toggle("mpm-sidebar-collapsed", collapsed);
        var toggle = document.getElementById("mpm-sidebar-collapse");
        if (toggle) {
            toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
        }
        try {
            window.localStorage.setItem(STORAGE_KEY, collapsed ? "1" : "0");
        } catch (e) {
            // ignore: the state just isn't remembered
        }
    }

    function init() {
        var toggle = document.getElementById("mpm-sidebar-collapse");
        if (toggle) {
            toggle.setAttribute("aria-expanded", root.classList.contains("mpm-sidebar-collapsed") ? "false" : "true");
            toggle.addEventListener("click", function () {
                setCollapsed(!root.classList.contains("mpm-sidebar-collapsed"));
            });
        }

        // <form data-confirm="Delete this meter?"> or <button data-confirm="...">:
        // asks before submitting (replaces inline onclick="return confirm(...)").
        document.addEventListener("submit", function (event) {
            var form = event.target;
            var submitter = event.submitter;
            var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
            if (message && !window.confirm(message)) {
                event.preventDefault();
                event.stopImmediatePropagation();
            }
        }, true);
        document.addEventListener("click", function (event) {
            var link = event.target.closest ? event.target.closest("a[data-confirm]") : null;
            if (link && !window.confirm(link.getAttribute("data-confirm"))) {
                event.preventDefault();
            }
        });

        // <span data-colour="#1f77b4">: a ticket category's colour. Set through the DOM: the CSP refuses style attributes.
        document.querySelectorAll("[data-colour]").forEach(function (element) {
            element.style.backgroundColor = element.getAttribute("data-colour");
        });

        // <select data-autosubmit> (e.g. page size, filters): submits its form on change.
        document.addEventListener("change", function (event) {
            var el = event.target;
            if (el.matches && el.matches("[data-autosubmit]") && el.form) {
                if (typeof el.form.requestSubmit === "function") {
                    el.form.requestSubmit();
                } else {
                    el.form.submit();
                }
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
