/* csc-rules site: the step panels of the process map and the "when should I hear back?"
   calculator. Without this script every panel is shown and the time limits stay listed. The
   calculator counts as csc-rules does: working day 1 is the first working day after the date
   given; weekends and the non-working days the page carries (the compiled procedure's calendar)
   are skipped. */
(function () {
  "use strict";

  // -- the step panels: disclosure buttons, opened by click, tap, Enter or Space; Escape closes
  var buttons = Array.prototype.slice.call(document.querySelectorAll(".step-button"));

  function panelOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function setOpen(button, open) {
    var panel = panelOf(button);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
    button.closest(".step").classList.toggle("is-open", open);
  }

  buttons.forEach(function (button) {
    setOpen(button, false);
    button.addEventListener("click", function () {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    });
    panelOf(button).addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        setOpen(button, false);
        button.focus();
      }
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(button, false);
      }
    });
  });

  window.addEventListener("beforeprint", function () {
    buttons.forEach(function (button) { panelOf(button).hidden = false; });
  });
  window.addEventListener("afterprint", function () {
    buttons.forEach(function (button) {
      panelOf(button).hidden = button.getAttribute("aria-expanded") !== "true";
    });
  });

  // -- the calculator
  var form = document.getElementById("calculator");
  var dataElement = document.getElementById("calculator-data");
  if (!form || !dataElement) { return; }
  var data = JSON.parse(dataElement.textContent);
  var closed = {};
  data.non_working_days.forEach(function (day) { closed[day] = true; });
  var DAY = 86400000;
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function iso(time) {
    return new Date(time).toISOString().slice(0, 10);
  }

  // A date as YYYY-MM-DD (what a date box gives) or DD/MM/YYYY (what people type where the
  // browser shows a plain text box); null for anything else, or a day that does not exist.
  function parse(text) {
    var year, month, day;
    var match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    if (match) {
      year = +match[1]; month = +match[2]; day = +match[3];
    } else {
      match = /^(\d{1,2})[\/.](\d{1,2})[\/.](\d{4})$/.exec(text);
      if (!match) { return null; }
      day = +match[1]; month = +match[2]; year = +match[3];
    }
    var time = Date.UTC(year, month - 1, day);
    var date = new Date(time);
    var real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day;
    return real ? time : null;
  }

  function yearOf(time) { return new Date(time).getUTCFullYear(); }

  function working(time) {
    var weekday = new Date(time).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !closed[iso(time)];
  }

  function inRange(time) {
    var year = yearOf(time);
    return year >= data.first_year && year <= data.last_year;
  }

  function addMonths(time, months) {
    var date = new Date(time);
    var total = date.getUTCMonth() + months;
    var year = date.getUTCFullYear() + Math.floor(total / 12);
    var month = ((total % 12) + 12) % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Date.UTC(year, month, Math.min(date.getUTCDate(), last));
  }

  // The amount-th unit after `time`, or null past the calendar's last year.
  function shift(time, amount, unit) {
    var result = time;
    if (unit === "working-days") {
      var counted = 0;
      while (counted < amount) {
        result += DAY;
        if (!inRange(result)) { return null; }
        if (working(result)) { counted += 1; }
      }
    } else if (unit === "days") {
      result = time + amount * DAY;
    } else if (unit === "months") {
      result = addMonths(time, amount);
    } else {
      return null;
    }
    return inRange(result) ? result : null;
  }

  function words(time) {
    var date = new Date(time);
    return DAYS[date.getUTCDay()] + " " + date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] +
      " " + date.getUTCFullYear();
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function timeElement(time) {
    var node = element("time", words(time));
    node.setAttribute("datetime", iso(time));
    return node;
  }

  var result = document.getElementById("calculator-result");
  var select = document.getElementById("calculator-start");
  var input = document.getElementById("calculator-date");

  var hint = input.getAttribute("aria-describedby");

  function problem(message) {
    var note = element("p", message, "error");
    note.id = "calculator-error";
    result.replaceChildren(note);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "calculator-error " + hint);
    input.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (text === "") {
      problem("Enter the date it happened, for example 20/12/2024.");
      return;
    }
    var start = parse(text);
    if (start === null) {
      problem("Enter the date as a real date, for example 20/12/2024.");
      return;
    }
    var firstDay = parse(data.first_day);
    if (start < firstDay || !inRange(start)) {
      problem("Enter a date from " + words(firstDay) + " to the end of " + data.last_year +
        ". This page shows the procedure in force from " + words(firstDay) +
        "; an earlier complaint follows the limits in force when it was made.");
      return;
    }
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", hint);
    var point = data.starts.filter(function (s) { return s.event === select.value; })[0];
    var heading = element("h3", "Counting from " + words(start));
    heading.setAttribute("tabindex", "-1");
    var list = element("ul");
    list.className = "calculator-dates";
    point.deadlines.forEach(function (deadline) {
      var item = element("li");
      item.setAttribute("data-deadline", deadline.id);
      item.appendChild(element("strong", deadline.title + ": "));
      var due = shift(start, deadline.amount, deadline.unit);
      if (due === null) {
        item.appendChild(document.createTextNode("past " + data.last_year + ", the last year this page has bank holidays for."));
        list.appendChild(item);
        return;
      }
      item.appendChild(document.createTextNode("by "));
      var dueElement = timeElement(due);
      dueElement.setAttribute("data-limit", deadline.limit);
      item.appendChild(dueElement);
      item.appendChild(document.createTextNode(" (" + deadline.limit + ")"));
      deadline.extended.forEach(function (extension) {
        var latest = shift(start, extension.amount, deadline.unit);
        if (latest === null) {
          item.appendChild(document.createTextNode("; " + extension.limit + " if " +
            extension["if"] + " runs past " + data.last_year +
            ", the last year this page has bank holidays for"));
          return;
        }
        item.appendChild(document.createTextNode("; or by "));
        var latestElement = timeElement(latest);
        latestElement.setAttribute("data-limit", extension.limit);
        item.appendChild(latestElement);
        item.appendChild(document.createTextNode(" (" + extension.limit + ") if " + extension["if"]));
      });
      item.appendChild(document.createTextNode("."));
      list.appendChild(item);
    });
    result.replaceChildren(heading, list);
  });
})();
