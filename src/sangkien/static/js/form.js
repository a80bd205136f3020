/* The submission form, improved: live character count, co-author rows, the workplace picker
   refreshed in place. Everything here also works without this file (plain submit buttons). */
(function () {
  "use strict";
  var form = document.getElementById("submission-form");
  if (!form) return;

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Characters as a person sees them: NFC code points, the same count as the server's.
  var text = document.getElementById("id_description");
  var counter = document.getElementById("description-counter");
  if (text && counter) {
    var limit = parseInt(text.getAttribute("data-limit"), 10);
    var update = function () {
      var used = Array.from(text.value.normalize("NFC")).length;
      var left = limit - used;
      counter.hidden = false;
      counter.textContent = (left >= 0 ? counter.dataset.left : counter.dataset.over)
        .replace("%s", Math.abs(left).toLocaleString("vi-VN"));
      counter.classList.toggle("over", left < 0);
    };
    text.addEventListener("input", update);
    update();
  }

  // Another co-author row, cloned from the last one, without a round trip.
  var add = document.getElementById("add-coauthor");
  var total = document.getElementById("id_coauthors-TOTAL_FORMS");
  if (add && total) {
    add.addEventListener("click", function (event) {
      var rows = form.querySelectorAll("fieldset.coauthor");
      var max = parseInt(document.getElementById("id_coauthors-MAX_NUM_FORMS").value, 10);
      var count = parseInt(total.value, 10);
      if (!rows.length || count >= max) return;
      event.preventDefault();
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var from = "coauthors-" + (count - 1) + "-", to = "coauthors-" + count + "-";
      copy.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.split(from).join(to));
        });
        if (el.tagName === "INPUT") el.value = "";
        el.removeAttribute("aria-invalid");
      });
      copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
      var legend = copy.querySelector("legend");
      if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(count + 1));
      last.after(copy);
      total.value = String(count + 1);
      if (count + 1 >= max) add.hidden = true;
      copy.querySelector("input").focus();
    });
  }

  // The workplace picker: the server renders the same fragment for these parameters.
  var pickerUrl = form.getAttribute("data-picker-url") || "/noi-cong-tac/";
  var timer = null;
  var refresh = function (params, focusId) {
    var query = new URLSearchParams(params).toString();
    fetch(pickerUrl + "?" + query, { headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var old = document.getElementById("picker");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        old.replaceWith(holder.firstElementChild);
        var target = document.getElementById(focusId || "id_unit_query");
        if (target) {
          target.focus();
          if (target.setSelectionRange && target.value) {
            target.setSelectionRange(target.value.length, target.value.length);
          }
        }
      });
  };
  var browseValue = function () {
    var hidden = form.querySelector("#picker input[type=hidden][name=unit_browse]");
    var select = document.getElementById("id_unit_browse");
    return hidden ? hidden.value : select ? select.options[0].value : "";
  };
  form.addEventListener("input", function (event) {
    if (event.target.id !== "id_unit_query") return;
    clearTimeout(timer);
    var value = event.target.value;
    if (value.trim().length < 2) return;
    timer = setTimeout(function () { refresh({ q: value, browse: browseValue() }); }, 250);
  });
  form.addEventListener("keydown", function (event) {
    if (event.target.id === "id_unit_query" && event.key === "Enter") {
      event.preventDefault();
      refresh({ q: event.target.value, browse: browseValue() });
    }
  });
  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el.id === "id_unit_browse" && el.value) refresh({ browse: el.value }, "id_unit_browse");
    if (el.name === "unit_pick" && el.value) refresh({ unit: el.value }, "picker-change");
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("#picker button[name=action]");
    if (!button) return;
    event.preventDefault();
    var value = button.value;
    if (value.indexOf("unit_browse:") === 0) refresh({ browse: value.slice(12) }, "id_unit_browse");
    else if (value === "unit_browse") refresh({ browse: document.getElementById("id_unit_browse").value }, "id_unit_browse");
    else if (value === "unit_search") refresh({ q: document.getElementById("id_unit_query").value, browse: browseValue() });
    else if (value === "unit_change") refresh({}, "id_unit_query");
  });

  // One click sends once; the server would answer a second one with the same receipt anyway.
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.value === "submit") {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();
