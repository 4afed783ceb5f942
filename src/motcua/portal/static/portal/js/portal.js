// Behaviour the pages attach to elements by data attribute: no inline script or event
// handler attribute, so the Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
