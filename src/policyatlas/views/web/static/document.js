// Scroll to the highlighted sentence: ?start= on the server, #cSTART in the exported site.
(function () {
  "use strict";
  var target = document.querySelector("mark.hl") || (location.hash && document.getElementById(location.hash.slice(1)));
  if (target) {
    target.classList.add("hl");
    target.scrollIntoView({ block: "center" });
  }
})();
