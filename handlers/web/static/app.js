// The screens' little script: ask the server for the screen's body with Telegram's
// initData, put it in the page, send the buttons' and forms' actions, and on a live
// screen ask again every second (only a changed body is put in the page).
(function () {
  "use strict";
  var app = window.Telegram && window.Telegram.WebApp;
  var initData = app ? app.initData : "";
  var screen = document.body.dataset.screen;
  var body = document.getElementById("body");
  var title = document.getElementById("title");
  var shown = "";

  if (app) {
    document.documentElement.dataset.scheme = app.colorScheme || "light";
    app.onEvent("themeChanged", function () {
      document.documentElement.dataset.scheme = app.colorScheme || "light";
    });
    app.ready();
    app.expand();
  }

  function fromTemplate(id) {
    return document.getElementById(id).innerHTML;
  }

  function show(reply) {
    if (reply.html === shown) return;
    shown = reply.html;
    document.documentElement.lang = reply.lang === "en" ? "en" : "zh-CN";
    document.title = reply.title;
    title.textContent = reply.title;
    // What was unfolded stays unfolded (a dish being edited, after its Save).
    var open = Array.prototype.map.call(body.querySelectorAll("details[open][id]"),
      function (node) { return node.id; });
    body.innerHTML = reply.html;
    open.forEach(function (id) {
      var node = document.getElementById(id);
      if (node) node.open = true;
    });
    if (problem) body.insertBefore(problemBox(), body.firstChild);
    document.body.dataset.state = "shown";
    document.dispatchEvent(new CustomEvent("doorstep:shown"));
  }

  // Why the last action was refused: kept above the screen (the live board redraws
  // every second) until the next action.
  var problem = "";

  function problemBox() {
    var box = document.createElement("div");
    box.id = "problem";
    box.innerHTML = problem;
    return box;
  }

  function warn(reply) {
    var old = document.getElementById("problem");
    if (old) old.remove();
    problem = reply.html;
    var box = problemBox();
    body.insertBefore(box, body.firstChild);
    box.scrollIntoView({ block: "nearest" });
  }

  function act(path, data) {
    problem = "";
    var old = document.getElementById("problem");
    if (old) old.remove();
    return call(screen + "/" + path, { method: "POST", body: data });
  }

  function call(path, options) {
    options = options || {};
    options.headers = Object.assign({ "X-Telegram-Init-Data": initData }, options.headers || {});
    return fetch("api/" + path, options).then(function (response) {
      if (response.status === 401) {
        shown = "";
        body.innerHTML = fromTemplate("unauthorised");
        document.body.dataset.state = "refused";
        return null;
      }
      return response.json().then(function (reply) {
        if (!response.ok && options.method === "POST") {
          warn(reply);  // a refused action: say why above what is on screen, keep it
        } else {
          show(reply);
        }
      });
    }).catch(function () {
      shown = "";
      body.innerHTML = fromTemplate("failed");
      document.body.dataset.state = "failed";
    });
  }

  function load() {
    return call(screen + location.search);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    event.preventDefault();
    var data = new FormData();
    Object.keys(button.dataset).forEach(function (key) { data.append(key, button.dataset[key]); });
    button.disabled = true;
    act(button.dataset.action, data).then(function () {
      button.disabled = false;
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-action]");
    if (!form) return;
    event.preventDefault();
    act(form.dataset.action, new FormData(form));
  });

  window.doorstep = { reload: load };
  load();
  if (document.body.dataset.live === "1") {
    setInterval(load, 1000);
  }
})();
