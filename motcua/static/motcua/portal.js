// Behaviour of the citizen portal's pages, kept out of the HTML (the Content-Security-Policy
// allows no inline script): a button marked data-print prints the page (the receipt).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
