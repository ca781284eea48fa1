/* Shows "123 / 4000 tekens" under every textarea that has a maxlength.
   Progressive enhancement: without JavaScript the browser still stops at maxlength and the
   server still refuses longer text. The word comes from the script tag (data-unit), so it is
   translated with the rest of the page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var unit = (script && script.getAttribute("data-unit")) || "characters";
  var locale = document.documentElement.lang || undefined;

  function number(n) {
    try { return n.toLocaleString(locale); } catch (e) { return String(n); }
  }

  function attach(area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!max || area.getAttribute("data-counted")) { return; }
    area.setAttribute("data-counted", "1");
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = (area.id || area.name) + "_count";
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      // The browser counts a line break once for maxlength; so does the server.
      var used = area.value.replace(/\r\n/g, "\n").length;
      counter.textContent = number(used) + " / " + number(max) + " " + unit;
      counter.classList.toggle("char-count-near", used >= max * 0.9);
    }
    area.addEventListener("input", update);
    update();
  }

  function start() {
    var areas = document.querySelectorAll("textarea[maxlength]");
    for (var i = 0; i < areas.length; i++) { attach(areas[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
