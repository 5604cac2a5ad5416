// Werkstatt: kleine Hilfen, die Seite funktioniert auch ohne JavaScript.
(function () {
  // Besprechung: Pfeiltasten blättern zwischen den Baustellen
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    var link = document.querySelector('a[data-taste="' + ev.key + '"]');
    if (link) { ev.preventDefault(); window.location.href = link.href; }
  });
  // Fehlerliste nach dem Absenden in den Blick nehmen (Bildschirmleser, Tastatur)
  var errors = document.getElementById("fehler");
  if (errors) errors.focus();
  // Drucken: zugeklappte Abschnitte (Befunde) aufklappen, damit alles auf dem Papier steht
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", ""); d.setAttribute("data-druck", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-druck]").forEach(function (d) {
      d.removeAttribute("open"); d.removeAttribute("data-druck");
    });
  });
  // Löschen nur nach Rückfrage
  document.querySelectorAll("form.loeschen").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm("Wirklich löschen? Das steht danach im Verlauf.")) ev.preventDefault();
    });
  });
})();
