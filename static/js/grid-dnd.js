// Drag and drop on the stakeholder grid: drop a person's card on a quadrant to move them there.
// The arrow buttons on each card do the same from the keyboard; without JavaScript they post a form.
// Listeners sit on the document, so they keep working after HTMX swaps the board.
(function () {
  "use strict";
  var dragged = null;

  function quadrantOf(node) {
    return node && node.closest ? node.closest("[data-quadrant]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-move-url]");
    if (!card) return;
    dragged = card;
    card.classList.add("grid-card-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("grid-card-dragging");
    dragged = null;
    document.querySelectorAll(".grid-drop-target").forEach(function (node) {
      node.classList.remove("grid-drop-target");
    });
  });

  document.addEventListener("dragover", function (event) {
    var quadrant = quadrantOf(event.target);
    if (!dragged || !quadrant) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    quadrant.classList.add("grid-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var quadrant = quadrantOf(event.target);
    if (quadrant && !quadrant.contains(event.relatedTarget)) quadrant.classList.remove("grid-drop-target");
  });

  document.addEventListener("drop", function (event) {
    var quadrant = quadrantOf(event.target);
    if (!dragged || !quadrant) return;
    event.preventDefault();
    var card = dragged;
    var values = { quadrant: quadrant.getAttribute("data-quadrant") };
    var compare = card.getAttribute("data-compare");
    if (compare) values.compare = compare;
    if (quadrantOf(card) === quadrant) return; // dropped where it already is: nothing to do
    window.htmx.ajax("POST", card.getAttribute("data-move-url"), {
      source: card,
      target: "#board",
      swap: "innerHTML",
      values: values,
    });
  });
})();
