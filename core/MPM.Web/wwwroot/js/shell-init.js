// Runs in <head> before first paint: applies the remembered "sidebar collapsed" state
// (desktop only; see site.js). Kept as a file so a strict CSP (script-src 'self') allows it.
(function () {
    "use strict";
    try {
        if (window.localStorage.getItem("mpm.sidebarCollapsed") === "1") {
            document.documentElement.classList.add("mpm-sidebar-collapsed");
        }
    } catch (e) {
        // localStorage unavailable (privacy mode): keep the default, expanded sidebar.
    }
})();
