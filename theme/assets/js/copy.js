/* Copying: the soft hyphens the build puts into long heading words
   (plugins/hyphenate/) are typography, not text. A copy that holds some gets
   them taken out, as plain text and as HTML, so that a pasted heading reads,
   spell-checks and searches as written. Starts on [data-module="plain-copy"]
   (the <body>); other copies are left to the browser. */
(function () {
  "use strict";

  var SOFT_HYPHEN = /\u00ad/g;

  function start(root) {
    if (root.hasAttribute("data-module-initialised")) { return; }
    root.addEventListener("copy", function (event) {
      var selection = window.getSelection();
      if (!event.clipboardData || !selection || !selection.rangeCount) { return; }
      var text = selection.toString();
      if (text.indexOf("\u00ad") === -1) { return; }
      var holder = document.createElement("div");
      for (var i = 0; i < selection.rangeCount; i += 1) {
        holder.appendChild(selection.getRangeAt(i).cloneContents());
      }
      event.clipboardData.setData("text/plain", text.replace(SOFT_HYPHEN, ""));
      event.clipboardData.setData("text/html", holder.innerHTML.replace(SOFT_HYPHEN, ""));
      event.preventDefault();
    });
    root.setAttribute("data-module-initialised", "");
  }

  var roots = document.querySelectorAll('[data-module="plain-copy"]');
  for (var i = 0; i < roots.length; i += 1) { start(roots[i]); }
}());
