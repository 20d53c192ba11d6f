/* Disclosure: an element with data-module="disclosure" gets a button that
   shows and hides the element's list on narrow screens (the disclosure
   pattern, aria-expanded). Its label comes from data-disclosure-label. The
   element is marked data-module-initialised; only then does the CSS (toggle.css) hide
   the list, so without JavaScript the list is simply shown. */
(function () {
  "use strict";

  var count = 0;

  function start(root) {
    if (root.hasAttribute("data-module-initialised")) { return; }
    var content = root.querySelector("[data-disclosure-content]");
    var label = root.getAttribute("data-disclosure-label");
    if (!content || !label) { return; }
    count += 1;
    if (!content.id) { content.id = "kbt-disclosure-" + count; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kbt-toggle";
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", content.id);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true"
          && getComputedStyle(button).display !== "none") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
    content.parentNode.insertBefore(button, content);
    root.setAttribute("data-module-initialised", "");
  }

  function startAll() {
    var roots = document.querySelectorAll('[data-module="disclosure"]');
    for (var i = 0; i < roots.length; i += 1) { start(roots[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
}());
