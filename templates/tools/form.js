// copi's digital form: reads the fields, writes the answers as a YAML file the browser saves.
// No network, no libraries. Strings are written as JSON strings, which YAML reads as the same
// text; copi tool import checks the file before anything is written.
(function () {
  "use strict";
  var form = document.getElementById("copi-form");
  var meta = JSON.parse(document.getElementById("copi-meta").textContent);

  function quoted(text) {
    // JSON leaves U+0085, U+2028 and U+2029 as they are; YAML reads them as line breaks
    return JSON.stringify(text).replace(/\u0085/g, "\\u0085").replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029");
  }

  function checked(name) {
    var box = form.querySelector('input[name="' + name + '"]:checked');
    return box ? box.value : null;
  }

  function answer(field) {
    if (field.type === "yes-no") {
      var yes = checked(field.key);
      return yes === null ? null : yes;
    }
    if (field.type === "choice") {
      var picked = checked(field.key);
      return picked === null ? null : quoted(picked);
    }
    var text = form.elements[field.key].value;
    if (field.type === "list") {
      var items = text.split("\n").map(function (line) { return line.trim(); })
        .filter(function (line) { return line.length > 0; });
      return items.length ? "[" + items.map(quoted).join(", ") + "]" : null;
    }
    text = text.trim();
    if (!text) { return null; }
    if (field.type === "number") {
      var number = Number(text.replace(",", "."));
      return isFinite(number) ? String(number) : quoted(text);
    }
    return quoted(text);
  }

  function answers() {
    var lines = ["# " + meta.title, "tool: " + meta.tool, "process: " + quoted(meta.process)];
    if (meta.modeline) { lines.unshift(meta.modeline); }
    if (meta.owner) { lines.push("owner: " + quoted(meta.owner)); }
    var by = form.elements.answered_by.value.trim();
    if (by) { lines.push("answered_by: " + quoted(by)); }
    var now = new Date();  // the day where the need owner is, not in UTC
    var day = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
    lines.push("date: " + quoted(day));
    lines.push("answers:");
    var any = false;
    meta.fields.forEach(function (field) {
      var value = answer(field);
      if (value !== null) { lines.push("  " + field.key + ": " + value); any = true; }
    });
    (meta.kept || []).forEach(function (line) { lines.push(line); any = true; });
    if (!any) { lines[lines.length - 1] = "answers: {}"; }
    return lines.join("\n") + "\n";
  }

  function save(event) {
    event.preventDefault();
    var text = answers();
    document.getElementById("copi-preview").textContent = text;
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/x-yaml" }));
    link.download = meta.file;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    document.getElementById("copi-saved").hidden = false;
  }

  form.addEventListener("submit", save);
}());
