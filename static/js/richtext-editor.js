/*
 * Rich text for the release body: turns each <textarea data-richtext> into a small
 * editor with a toolbar. The textarea stays in the form and always holds the HTML
 * that is submitted; the server sanitizes it whatever the browser sends. Labels come
 * translated from the widget (data-richtext holds them as JSON, keyed as below).
 */
"use strict";

(function () {
  const COMMANDS = [
    { key: "paragraph", run: (area) => format(area, "formatBlock", "<p>") },
    { key: "heading", run: (area) => format(area, "formatBlock", "<h2>") },
    { key: "subheading", run: (area) => format(area, "formatBlock", "<h3>") },
    { key: "bold", run: (area) => format(area, "bold") },
    { key: "italic", run: (area) => format(area, "italic") },
    { key: "bullets", run: (area) => format(area, "insertUnorderedList") },
    { key: "numbers", run: (area) => format(area, "insertOrderedList") },
    { key: "quote", run: (area) => format(area, "formatBlock", "<blockquote>") },
    { key: "link", run: addLink },
    { key: "table", run: addTable },
  ];
  let labels = {};

  function format(area, command, value) {
    area.focus();
    document.execCommand(command, false, value);
  }

  function addLink(area) {
    const address = window.prompt(labels.linkPrompt);
    if (address && /^(https?:|mailto:|tel:|\/)/i.test(address.trim())) {
      format(area, "createLink", address.trim());
    }
  }

  function addTable(area) {
    format(
      area,
      "insertHTML",
      `<table><thead><tr><th>${labels.cellHeading}</th><th>${labels.cellHeading}</th>` +
        `</tr></thead><tbody><tr><td>${labels.cell}</td><td>${labels.cell}</td></tr>` +
        "</tbody></table><p></p>"
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
    labels = JSON.parse(textarea.dataset.richtext);
    const editor = document.createElement("div");
    editor.className = "richtext";
    const toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar);
    const area = document.createElement("div");
    area.className = "richtext-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-label", textarea.getAttribute("aria-label") || labels.body);
    area.innerHTML = textarea.value;

    const sync = () => {
      textarea.value = area.innerHTML;
    };
    COMMANDS.forEach((command) =>
      toolbar.appendChild(
        button(labels[command.key], () => {
          command.run(area);
          sync();
        })
      )
    );
    toolbar.appendChild(
      button(labels.source, () => {
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
