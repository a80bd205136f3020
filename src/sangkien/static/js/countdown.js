/* The programme page's countdown: the server writes "Còn 3 ngày 5 giờ…"; this keeps the time
   left current every second. It counts from the server's clock (data-now), not the phone's,
   which is often wrong, and uses the server's translated shapes (data-f-*) so both agree. */
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-countdown]"));
  if (!boxes.length) return;

  function fill(shape, values) {
    return shape.replace(/%\((\w+)\)s/g, function (_match, name) {
      return String(values[name]);
    });
  }

  // The same rule as views.remaining: rounded down, in the two largest units.
  function remaining(box, ms) {
    var total = Math.max(0, Math.floor(ms / 1000));
    var values = {
      days: Math.floor(total / 86400),
      hours: Math.floor((total % 86400) / 3600),
      minutes: Math.floor((total % 3600) / 60),
      seconds: total % 60
    };
    var shape = values.days ? "fDh" : values.hours ? "fHm" : values.minutes ? "fMs" : "fS";
    return fill(box.dataset[shape], values);
  }

  var watched = boxes.map(function (box) {
    var until = Date.parse(box.dataset.closes || box.dataset.opens);
    var offset = Date.parse(box.dataset.now) - Date.now();
    return { box: box, until: until, offset: isNaN(offset) ? 0 : offset };
  }).filter(function (item) { return !isNaN(item.until); });

  function end(item) {
    item.box.textContent = item.box.dataset.ended;
    if (item.box.dataset.closes) {
      // The server refuses a late submission anyway; hiding the button says so at once.
      document.querySelectorAll("[data-hide-when-ended]").forEach(function (el) {
        el.hidden = true;
      });
    }
  }

  function tick() {
    watched = watched.filter(function (item) {
      var left = item.until - (Date.now() + item.offset);
      if (left <= 0) {
        end(item);
        return false;
      }
      var span = item.box.querySelector("[data-left]");
      var text = remaining(item.box, left);
      if (span && span.textContent !== text) span.textContent = text;
      return true;
    });
    if (!watched.length) window.clearInterval(timer);
  }

  var timer = window.setInterval(tick, 1000);
  tick();
})();
