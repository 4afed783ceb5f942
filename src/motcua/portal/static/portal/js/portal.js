// Behaviour the pages attach to elements by data attribute: no inline script or event
// handler attribute, so the Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});

// ---- Error summary (GOV.UK / USWDS pattern) -------------------------------------------
// The summary at the top of a page with errors takes the focus when the page loads (its
// autofocus attribute does it without JavaScript too), and each of its links moves the focus
// to its field with the field's label in view; a link to a group goes to the group's first input.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
});
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element ? event.target.closest("[data-error-summary] a[href^='#']") : null;
  if (!link) {
    return;
  }
  var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target) {
    return;
  }
  var input = target.matches("input, select, textarea, button")
    ? target
    : target.querySelector("input:not([type=hidden]), select, textarea");
  if (!input) {
    return;
  }
  event.preventDefault();
  var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
  var label = (input.id && document.querySelector("label[for='" + input.id + "']")) || legend || input;
  input.focus({ preventScroll: true });
  label.scrollIntoView();
});
