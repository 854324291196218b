// The console's only script: no words (the page holds them), no build step.
// It signs in with the launch data Telegram gives the page, follows Telegram's theme and back
// button, and works without telegram-web-app.js (the demo, the tests): Telegram passes the
// launch data in the address's fragment too (#tgWebAppData=...&tgWebAppThemeParams=...).
(function () {
  "use strict";

  function fragment() {
    return new URLSearchParams(window.location.hash.slice(1));
  }

  function telegram() {
    return window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
  }

  function launchData() {
    var data = fragment().get("tgWebAppData");
    if (data) return data;
    var tg = telegram();
    return tg && tg.initData ? tg.initData : "";
  }

  // Telegram's colours as CSS variables (--tg-theme-bg-color, ...), kept for the next pages.
  function applyTheme(params, scheme) {
    var root = document.documentElement;
    Object.keys(params || {}).forEach(function (key) {
      if (/^#[0-9a-fA-F]{3,8}$/.test(String(params[key]))) {
        root.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), params[key]);
      }
    });
    if (scheme === "dark" || scheme === "light") root.setAttribute("data-scheme", scheme);
  }

  function themeFromFragment() {
    var raw = fragment().get("tgWebAppThemeParams");
    if (raw) {
      try {
        window.sessionStorage.setItem("consoleTheme", raw);
      } catch (e) { /* storage refused: the theme lasts this page */ }
    } else {
      try {
        raw = window.sessionStorage.getItem("consoleTheme");
      } catch (e) { raw = null; }
    }
    if (!raw) return;
    try {
      var params = JSON.parse(raw);
      applyTheme(params, schemeOf(params.bg_color));
    } catch (e) { /* not JSON: the default colours stay */ }
  }

  // Dark or light from a background colour, as Telegram decides colorScheme.
  function schemeOf(colour) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour || "");
    if (!m) return null;
    var r = parseInt(m[1], 16), g = parseInt(m[2], 16), b = parseInt(m[3], 16);
    return 0.299 * r + 0.587 * g + 0.114 * b < 120 ? "dark" : "light";
  }

  function signIn() {
    var form = document.getElementById("signin");
    if (!form) return;
    var data = launchData();
    if (data) {
      form.elements.init_data.value = data;
      form.submit();
      return;
    }
    form.hidden = true;
    document.getElementById("outside").hidden = false;
  }

  function withTelegram() {
    var tg = telegram();
    if (!tg) return;
    tg.ready();
    applyTheme(tg.themeParams, tg.colorScheme);
    tg.onEvent("themeChanged", function () { applyTheme(tg.themeParams, tg.colorScheme); });
    var home = document.body.getAttribute("data-home");
    if (window.location.pathname !== home) {
      tg.BackButton.show();
      tg.BackButton.onClick(function () { window.history.back(); });
    } else {
      tg.BackButton.hide();
    }
  }

  // The broadcast form: how many chats the chosen audience is, asked as it changes.
  function liveCount() {
    var select = document.getElementById("audience");
    var out = document.getElementById("count");
    if (!select || !out) return;
    function ask() {
      var url = select.getAttribute("data-count") + "?audience=" + encodeURIComponent(select.value);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer) out.textContent = answer.text; })
        .catch(function () { out.textContent = ""; });
    }
    select.addEventListener("change", ask);
    ask();
  }

  themeFromFragment();
  document.addEventListener("DOMContentLoaded", liveCount);
  document.addEventListener("DOMContentLoaded", function () {
    // Launch data arrives in the fragment even when Telegram's script is slow or absent.
    if (document.body.getAttribute("data-page") === "signin" && fragment().get("tgWebAppData")) {
      signIn();
    }
  });
  window.addEventListener("load", function () {
    if (document.body.getAttribute("data-page") === "signin") signIn();
    withTelegram();
  });
})();
