/*
 * Idle-timeout warning: the one script of CSO Portal beyond USWDS's own.
 *
 * The server signs a session out after CSO_SESSION_IDLE_MINUTES without a request
 * (accounts.middleware.SessionSecurityMiddleware). Two minutes before that, this shows a USWDS
 * warning alert with a "Stay signed in" button (a request that counts as activity). Other tabs
 * of the same site count too: each page load notes its time in localStorage. Without
 * JavaScript nothing is shown and the timeout works the same.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var data = script.dataset;
  var secondsLeft = parseInt(data.secondsLeft, 10);
  var idleSeconds = parseInt(data.idleSeconds, 10) || secondsLeft;
  var warnBefore = parseInt(data.warnBefore, 10) || 120;
  var STORAGE_KEY = "cso-last-activity";
  var deadline;
  var timers = [];
  var alertBox = null;

  function note(time) {
    try {
      if (time > lastNoted()) {
        window.localStorage.setItem(STORAGE_KEY, String(time));
      }
    } catch (error) {
      /* storage unavailable: this tab alone decides */
    }
  }

  function lastNoted() {
    try {
      return parseInt(window.localStorage.getItem(STORAGE_KEY), 10) || 0;
    } catch (error) {
      return 0;
    }
  }

  function clearTimers() {
    timers.forEach(window.clearTimeout);
    timers = [];
  }

  function schedule(seconds) {
    clearTimers();
    deadline = Date.now() + seconds * 1000;
    timers.push(window.setTimeout(warn, Math.max(seconds - warnBefore, 0) * 1000));
    timers.push(window.setTimeout(expire, seconds * 1000 + 1000));
  }

  function activityElsewhere() {
    // Another tab loaded a page after this one's clock started: follow its deadline.
    var other = lastNoted() + idleSeconds * 1000;
    if (other > deadline + 1000) {
      schedule((other - Date.now()) / 1000);
      return true;
    }
    return false;
  }

  function removeAlert() {
    if (alertBox) {
      alertBox.remove();
      alertBox = null;
    }
  }

  function warn() {
    if (activityElsewhere() || alertBox) {
      return;
    }
    alertBox = document.createElement("div");
    alertBox.className = "usa-alert usa-alert--warning margin-bottom-2";
    alertBox.setAttribute("role", "alert");
    var body = document.createElement("div");
    body.className = "usa-alert__body";
    // Not a heading element: the alert comes before the page's h1.
    var heading = document.createElement("p");
    heading.className = "usa-alert__heading text-bold";
    heading.textContent = data.heading;
    var text = document.createElement("p");
    text.className = "usa-alert__text";
    text.textContent = data.text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "usa-button width-auto margin-top-1";
    button.textContent = data.stayLabel;
    button.addEventListener("click", stay);
    body.append(heading, text, button);
    alertBox.append(body);
    var container = document.querySelector("#main-content .grid-container") ||
      document.getElementById("main-content") || document.body;
    container.prepend(alertBox);
    button.focus();
  }

  function stay() {
    window.fetch(data.pingUrl, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || !response.ok) {
          // Signed out already (the server answers with a redirect to the sign-in page).
          window.location.reload();
          return;
        }
        note(Date.now());
        removeAlert();
        schedule(idleSeconds);
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function expire() {
    if (activityElsewhere()) {
      removeAlert();
      return;
    }
    // The server has signed the session out: reloading shows the sign-in page and why.
    window.location.reload();
  }

  if (!isNaN(secondsLeft) && secondsLeft > 0) {
    note(Date.now() - (idleSeconds - secondsLeft) * 1000);
    schedule(secondsLeft);
  }
})();
