// The components of the tariff form (Pages/Tariffs/Edit.cshtml): adds rows from the template and removes rows,
// renumbering the fields so that they post as Input.Components[0..n-1].
(function () {
    "use strict";

    var ATTRIBUTES = ["name", "id", "for", "data-valmsg-for"];

    function init() {
        var list = document.getElementById("tariff-components");
        var template = document.getElementById("tariff-component-template");
        var add = document.getElementById("add-component");
        if (!list || !template || !add) {
            return;
        }

        function renumber() {
            list.querySelectorAll(".tariff-component").forEach(function (row, index) {
                row.querySelectorAll("*").forEach(function (element) {
                    ATTRIBUTES.forEach(function (attribute) {
                        var value = element.getAttribute(attribute);
                        if (value) {
                            element.setAttribute(attribute, value
                                .replace(/Components\[\d+\]/, "Components[" + index + "]")
                                .replace(/Components_\d+__/, "Components_" + index + "__"));
                        }
                    });
                });
            });
        }

        add.addEventListener("click", function () {
            list.appendChild(template.content.cloneNode(true));
            renumber();
            var rows = list.querySelectorAll(".tariff-component");
            rows[rows.length - 1].querySelector("input").focus();
        });
        list.addEventListener("click", function (event) {
            var remove = event.target.closest(".remove-component");
            if (remove) {
                remove.closest(".tariff-component").remove();
                renumber();
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
