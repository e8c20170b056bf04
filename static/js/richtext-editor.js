/*
 * Rich text for the release body: turns each <textarea data-richtext> into a small
 * editor with a toolbar. The textarea stays in the form and always holds the HTML
 * that is submitted; the server sanitizes it whatever the browser sends.
 */
"use strict";

(function () {
  const COMMANDS = [
    { label: "Paragraph", run: (area) => format(area, "formatBlock", "<p>") },
    { label: "Heading", run: (area) => format(area, "formatBlock", "<h2>") },
    { label: "Subheading", run: (area) => format(area, "formatBlock", "<h3>") },
    { label: "Bold", run: (area) => format(area, "bold") },
    { label: "Italic", run: (area) => format(area, "italic") },
    { label: "• List", run: (area) => format(area, "insertUnorderedList") },
    { label: "1. List", run: (area) => format(area, "insertOrderedList") },
    { label: "Quote", run: (area) => format(area, "formatBlock", "<blockquote>") },
    { label: "Link", run: addLink },
    { label: "Table", run: addTable },
  ];

  function format(area, command, value) {
    area.focus();
    document.execCommand(command, false, value);
  }

  function addLink(area) {
    const address = window.prompt("Link address (https://…)");
    if (address && /^(https?:|mailto:|tel:|\/)/i.test(address.trim())) {
      format(area, "createLink", address.trim());
    }
  }

  function addTable(area) {
    format(
      area,
      "insertHTML",
      "<table><thead><tr><th>Heading</th><th>Heading</th></tr></thead>" +
        "<tbody><tr><td>Cell</td><td>Cell</td></tr></tbody></table><p></p>"
    );
  }

  function button(label, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "richtext-button";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  function setUp(textarea) {
    const editor = document.createElement("div");
    editor.className = "richtext";
    const toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    const area = document.createElement("div");
    area.className = "richtext-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-label", textarea.getAttribute("aria-label") || "Body");
    area.innerHTML = textarea.value;

    const sync = () => {
      textarea.value = area.innerHTML;
    };
    COMMANDS.forEach((command) =>
      toolbar.appendChild(
        button(command.label, () => {
          command.run(area);
          sync();
        })
      )
    );
    toolbar.appendChild(
      button("HTML", () => {
        const showingSource = !textarea.hidden;
        if (showingSource) {
          area.innerHTML = textarea.value;
        } else {
          sync();
        }
        textarea.hidden = showingSource;
        area.hidden = !showingSource;
      })
    );
    area.addEventListener("input", sync);
    if (textarea.form) {
      textarea.form.addEventListener("submit", () => {
        if (textarea.hidden) {
          sync();
        }
      });
    }
    textarea.hidden = true;
    textarea.parentNode.insertBefore(editor, textarea);
    editor.appendChild(toolbar);
    editor.appendChild(area);
    editor.appendChild(textarea);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea[data-richtext]").forEach(setUp);
  });
})();
