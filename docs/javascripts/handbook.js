// After an instant navigation to a link with an anchor (e.g. original/#s5-expense), make sure the
// page lands on the anchored clause. The theme restores a saved scroll offset instead when its
// history state was written first (a race in Material 9.8.2's scroll restoration), which leaves the
// reader somewhere else on the page. Runs after the theme's own scroll handling for each page.
document$.subscribe(function () {
  if (!location.hash) return;
  var id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch (err) {
    return; // a malformed %-escape in the address (e.g. a mangled link): nothing to scroll to
  }
  var target = document.getElementById(id);
  if (target) target.scrollIntoView();
});

// The "打印" buttons (data-print): a listener here, not an inline onclick, which the pages'
// Content-Security-Policy (scripts/site/security.py) would block.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
