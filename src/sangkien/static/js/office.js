// Office pages: a refused form shows a summary at the top; bring the reader (and the screen
// reader) to it. Without this file the summary is still the first thing under the title.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
