(function () {
  "use strict";
  // Shows the explanation of the chosen cell; the page's CSP allows this script only.
  // Each explanation waits in a <template> of its row, and is copied into the panel.
  var grid = document.getElementById("grid");
  var panel = document.getElementById("detail");
  var hint = document.getElementById("detail-hint");
  var shown = null;
  var pressed = null;

  function hide() {
    if (shown) { shown.remove(); }
    if (pressed) { pressed.setAttribute("aria-pressed", "false"); }
    shown = null;
    pressed = null;
  }

  function show(button) {
    var source = document.getElementById("why-" + button.getAttribute("data-detail"));
    if (!source) { return; }
    hide();
    var detail = source.content.firstElementChild.cloneNode(true);
    panel.appendChild(detail);
    hint.hidden = true;
    button.setAttribute("aria-pressed", "true");
    shown = detail;
    pressed = button;
    panel.scrollTop = 0;
    // Below the grid on a narrow screen: bring the explanation into view.
    var box = panel.getBoundingClientRect();
    if (box.top > window.innerHeight || box.bottom < 0) {
      panel.scrollIntoView({ block: "start" });
    }
  }

  grid.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-detail]");
    if (button) { show(button); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && pressed) {
      var button = pressed;
      hide();
      hint.hidden = false;
      button.focus();
    }
  });
})();
