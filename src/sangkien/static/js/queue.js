// The officer's queue: keyboard work on rows and in-place refresh of the results.
// Everything here is an enhancement: without JavaScript the filters, tabs, pager and the bulk
// form are ordinary links and forms.
(function () {
  "use strict";
  var results = document.getElementById("queue-results");
  if (!results) return;

  function rows() { return Array.prototype.slice.call(results.querySelectorAll("tbody tr")); }
  function current() { return results.querySelector("tbody tr.focused"); }
  function focusRow(row) {
    rows().forEach(function (r) { r.classList.remove("focused"); });
    if (!row) return;
    row.classList.add("focused");
    var box = row.querySelector("input[type=checkbox]");
    if (box) box.focus();
  }
  function move(step) {
    var list = rows(), index = list.indexOf(current());
    focusRow(list[Math.max(0, Math.min(list.length - 1, index + step))] || list[0]);
  }
  function decide(value) {
    var radio = results.querySelector("input[name=decision][value=" + value + "]");
    if (!radio) return;
    radio.checked = true;
    var target = value === "not_eligible" ? "bulk-reason" : "bulk-message";
    document.getElementById(target).focus();
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    var type = event.target.type;
    var typing = (tag === "input" && type !== "checkbox" && type !== "radio") || tag === "textarea" || tag === "select";
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "j" || key === "ArrowDown") { move(1); event.preventDefault(); }
    else if (key === "k" || key === "ArrowUp") { move(-1); event.preventDefault(); }
    else if (key === "x" && current()) {
      var box = current().querySelector("input[type=checkbox]");
      box.checked = !box.checked; event.preventDefault();
    }
    else if (key === "a") {
      var all = document.getElementById("pick-all");
      if (all) { all.checked = !all.checked; all.dispatchEvent(new Event("change")); }
      event.preventDefault();
    }
    else if (key === "Enter" && current() && tag !== "a" && tag !== "button") {
      window.location.href = current().getAttribute("data-href"); event.preventDefault();
    }
    else if (key === "h") { decide("eligible"); event.preventDefault(); }
    else if (key === "b") { decide("needs_info"); event.preventDefault(); }
    else if (key === "n") { decide("not_eligible"); event.preventDefault(); }
  });

  results.addEventListener("change", function (event) {
    if (event.target.id !== "pick-all") return;
    rows().forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      if (box) box.checked = event.target.checked;
    });
  });
  results.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("tbody tr");
    if (row) row.classList.add("focused"), rows().forEach(function (r) { if (r !== row) r.classList.remove("focused"); });
  });

  // In-place refresh: filters, status tabs and pager fetch only the results fragment.
  function load(url, push) {
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Partial": "queue" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        if (push) history.pushState({ queue: url }, "", url);
      })
      .catch(function () { window.location.href = url; });
  }
  results.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".tabs a, .pager a");
    if (!link) return;
    event.preventDefault();
    load(link.href, true);
  });
  var filters = document.getElementById("queue-filters");
  if (filters) filters.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(filters));
    load(window.location.pathname + "?" + params.toString(), true);
  });
  window.addEventListener("popstate", function () { load(window.location.href, false); });
})();
