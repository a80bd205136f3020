/* Nộp hộ theo danh sách: update the progress bar without reloading; reload once the job ends.
   Without JavaScript the page refreshes itself (<noscript><meta http-equiv="refresh">). */
(function () {
  "use strict";
  var live = document.getElementById("bulk-live");
  var bar = document.getElementById("bulk-progress");
  var text = document.getElementById("bulk-progress-text");
  var status = document.getElementById("bulk-status");
  if (!live || !bar || !window.fetch) return;
  var url = live.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { setTimeout(poll, 5000); return; }
        bar.max = job.rows_total || 1;
        bar.value = job.rows_done;
        bar.textContent = job.percent + "%";
        text.textContent = job.text;
        if (status) status.textContent = job.status_label;
        if (job.finished) { window.location.reload(); return; }
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
