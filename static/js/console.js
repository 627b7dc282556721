// The service desk console from the keyboard (templates/cocreation/console.html).
// - The search box is a combobox: ↓ and ↑ move through the matches, Enter picks the one marked,
//   Esc closes them. Each match is also a link, so Tab and Enter (or no JavaScript) pick it too.
// - Enter in the summary saves the touchpoint (Shift+Enter starts a new line); a second Enter while
//   the first save is on its way is dropped (and the server logs one touchpoint per form anyway).
// - Focus follows the work: picking a caller moves it to the form, a refused form to its first wrong
//   field, a saved one back to the search box for the next caller.
// HTMX swaps only 2xx answers by default; the form's 400 (its errors) is swapped too.
(function () {
  "use strict";

  function search() {
    return document.getElementById("console-search");
  }

  function options() {
    return Array.prototype.slice.call(document.querySelectorAll("#console-results [role='option']"));
  }

  function activeOption() {
    var box = search();
    var id = box && box.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function mark(option) {
    var box = search();
    options().forEach(function (node) {
      var on = node === option;
      node.setAttribute("aria-selected", on ? "true" : "false");
      node.classList.toggle("console-option-active", on);
    });
    if (option) {
      box.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function move(step) {
    var list = options();
    if (!list.length) return;
    var index = list.indexOf(activeOption());
    index = index < 0 ? (step > 0 ? 0 : list.length - 1) : (index + step + list.length) % list.length;
    mark(list[index]);
  }

  function closeMatches() {
    var results = document.getElementById("console-results");
    if (results) results.innerHTML = "";
    var box = search();
    if (box) box.setAttribute("aria-expanded", "false");
    mark(null);
  }

  function focusFirstInvalid(container) {
    var field = container.querySelector("[aria-invalid='true']");
    if (!field && container.querySelector("#console-errors")) field = search();
    if (field) field.focus();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && target.id === "console-search") {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        var option = activeOption();
        if (option) {
          event.preventDefault();
          // HTMX wires new matches up when they settle; a quick Enter may come before that.
          if (window.htmx) window.htmx.process(option);
          option.click();
        }
      } else if (event.key === "Escape") {
        closeMatches();
      }
      return;
    }
    if (target && target.getAttribute && target.getAttribute("role") === "option") {
      // A match reached with Tab: the arrows move between matches too.
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var list = options();
        var next = list[(list.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1) + list.length) % list.length];
        if (next) next.focus();
      }
      return;
    }
    if (target && target.hasAttribute && target.hasAttribute("data-console-summary")) {
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && !event.isComposing) {
        event.preventDefault();
        var form = target.form;
        if (form && !form.classList.contains("htmx-request")) form.requestSubmit();
      }
    }
  });

  // Typing again makes the marked match stale.
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "console-search") mark(null);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (event.detail.xhr.status === 400 && target.id === "console-form") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    // New matches: the marked one goes with the old (before, so an arrow pressed at once counts).
    if (target.id === "console-results") mark(null);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "console-results") {
      var box = search();
      if (box) box.setAttribute("aria-expanded", options().length ? "true" : "false");
    } else if (target.id === "console-panel") {
      var box2 = search();
      if (box2) box2.setAttribute("aria-expanded", "false");
      var start = document.querySelector("#console-log-form select[name='channel']");
      if (start) start.focus();
    } else if (target.id === "console-form" && event.detail.xhr && event.detail.xhr.status === 400) {
      focusFirstInvalid(target);
    }
  });

  // A touchpoint was logged (HX-Trigger-After-Settle): ready for the next caller.
  document.addEventListener("console-logged", function () {
    var box = search();
    if (!box) return;
    box.value = "";
    closeMatches();
    box.focus();
  });
})();
