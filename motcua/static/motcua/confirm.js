// Irreversible actions ask before they are sent (issue 19, finding 11). A form carrying
// data-confirm="question" asks window.confirm(question) when submitted; "Cancel" stops it before
// htmx or the browser sends anything. A static file, not inline script: the pages' CSP forbids
// inline JavaScript. Listening in the capture phase on the document runs before htmx's own
// submit handler on the form, and works for forms htmx swaps in later.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
