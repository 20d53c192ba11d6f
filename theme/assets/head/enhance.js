/* The one script loaded in <head>, before the page is drawn (not deferred):
   it marks <html> with the class kbt-enhanced, and only under that mark does
   the CSS close the menus before the site's script has started them
   (toggle.css), so nothing jumps when the menu button appears. If the site's
   script cannot be loaded, or a menu has not been started once the page has
   loaded (the script failed), the mark goes again and the menus stay open. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("kbt-enhanced");

  function plain() {
    root.classList.remove("kbt-enhanced");
  }

  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "SCRIPT") { plain(); }
  }, true);

  window.addEventListener("load", function () {
    if (document.querySelector('[data-module="disclosure"]:not([data-module-initialised])')) {
      plain();
    }
  });
}());
