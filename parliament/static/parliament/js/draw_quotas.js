// Live totals of the quota table while staff type (the server shows the same totals on
// every page load; the form works without this script).
(function () {
    "use strict";
    var table = document.querySelector(".draw-quota-table");
    if (!table) {
        return;
    }
    var seats = parseInt(table.dataset.panelSize, 10);
    var sums = document.querySelectorAll(".draw-sums li");
    function refresh() {
        var totals = {};
        var order = [];
        table.querySelectorAll("tbody tr").forEach(function (row) {
            var category = row.dataset.category;
            if (!totals[category]) {
                totals[category] = { min: 0, max: 0 };
                order.push(category);
            }
            row.querySelectorAll(".draw-quota-input").forEach(function (input) {
                var value = parseInt(input.value, 10);
                if (!isNaN(value)) {
                    totals[category][input.dataset.bound] += value;
                }
            });
        });
        order.forEach(function (category, index) {
            var item = sums[index];
            if (!item) {
                return;
            }
            var low = item.querySelector(".draw-sum-min");
            var high = item.querySelector(".draw-sum-max");
            low.textContent = totals[category].min;
            high.textContent = totals[category].max;
            low.classList.toggle("error-message", totals[category].min > seats);
            high.classList.toggle("error-message", totals[category].max < seats);
        });
    }
    table.addEventListener("input", refresh);
})();
