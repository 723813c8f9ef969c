/* What inline event handlers used to do, from data-* attributes: the Content-Security-Policy runs no
   inline script. Loaded by the admin layout and the public pages.
   - data-heza-confirm="question" on a button or link: ask before the click goes on;
     on a form: ask before it is submitted;
   - data-heza-action="name": run Flask-Admin's list action (modelActions.execute);
   - data-heza-inline-add="field-id": add an inline form row (faForm.addInlineField);
   - data-heza-print: print the page;
   - a link to "#" marked data-heza-noop, or any "javascript:" link (Flask-Admin's tabs and disabled
     pagination), does nothing instead of navigating (a javascript: URL is refused by the policy). */
(function () {
  "use strict";

  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }

  // Capturing, on window: runs before any library handler can stop the event on its way.
  window.addEventListener("click", function (event) {
    var link = closest(event.target, "a[href]");
    if (link && (link.hasAttribute("data-heza-noop") || /^\s*javascript:/i.test(link.getAttribute("href")))) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target;
    var asking = closest(target, "button[data-heza-confirm], a[data-heza-confirm], input[data-heza-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-heza-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var action = closest(target, "[data-heza-action]");
    if (action) {
      event.preventDefault();
      window.modelActions.execute(action.getAttribute("data-heza-action"));
      return;
    }
    var inline = closest(target, "[data-heza-inline-add]");
    if (inline) {
      event.preventDefault();
      window.faForm.addInlineField(inline, inline.getAttribute("data-heza-inline-add"));
      return;
    }
    if (closest(target, "[data-heza-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-heza-confirm") &&
        !window.confirm(form.getAttribute("data-heza-confirm"))) {
      event.preventDefault();
    }
  });
})();
