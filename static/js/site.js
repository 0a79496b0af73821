/* Urgent Action tracker — small enhancements; every page works without them.
   - Copy buttons: [data-copy-target] buttons are rendered hidden and shown here; they copy the
     referenced element's text (its value for inputs and textareas) and say "Copied" in the
     live region next to them.
   - The report form: after the first submit its button is disabled, so a double click sends once.
   - A form that came back with errors: focus moves to the error summary. */
(function () {
  "use strict";

  function textOf(element) {
    if (element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
      return element.value;
    }
    return element.textContent;
  }

  function selectContents(element) {
    if (element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
      element.focus();
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelecting(element) {
    selectContents(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copyText(element) {
    var text = textOf(element);
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () {
          return true;
        },
        function () {
          return copyBySelecting(element);
        }
      );
    }
    return Promise.resolve(copyBySelecting(element));
  }

  function statusFor(button, targetId) {
    var status = document.getElementById(targetId + "-status");
    if (status) {
      return status;
    }
    status = document.createElement("span");
    status.className = "copy__status";
    status.id = targetId + "-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.insertAdjacentElement("afterend", status);
    return status;
  }

  function announce(status, message, isError) {
    status.classList.toggle("is-error", Boolean(isError));
    // Clear first so that the same message is announced again on a second click.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
    window.clearTimeout(status._clearTimer);
    status._clearTimer = window.setTimeout(function () {
      status.textContent = "";
    }, 6000);
  }

  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      var targetId = button.getAttribute("data-copy-target");
      var target = document.getElementById(targetId);
      if (!target) {
        return;
      }
      var status = statusFor(button, targetId);
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(target).then(function (copied) {
          if (copied) {
            announce(status, button.getAttribute("data-copied-text") || "Copied", false);
          } else {
            selectContents(target);
            announce(
              status,
              button.getAttribute("data-copy-failed-text") || "Select the text and copy it.",
              true
            );
          }
        });
      });
    });
  }

  function setUpReportForms() {
    var forms = document.querySelectorAll("form[data-report-form]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-submitting") === "true") {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-submitting", "true");
        var buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');
        // Disable after this turn of the event loop, so the first submission goes through.
        window.setTimeout(function () {
          Array.prototype.forEach.call(buttons, function (button) {
            button.disabled = true;
            var sending = button.getAttribute("data-sending-text");
            if (sending && button.tagName === "BUTTON") {
              button.setAttribute("data-original-text", button.textContent);
              button.textContent = sending;
            }
          });
        }, 0);
      });
    });

    // Coming back with the browser's Back button restores the page from cache: re-enable it.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) {
        return;
      }
      Array.prototype.forEach.call(forms, function (form) {
        form.removeAttribute("data-submitting");
        var buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');
        Array.prototype.forEach.call(buttons, function (button) {
          button.disabled = false;
          var original = button.getAttribute("data-original-text");
          if (original) {
            button.textContent = original;
          }
        });
      });
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function start() {
    setUpCopyButtons();
    setUpReportForms();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
