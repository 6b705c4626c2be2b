// Runs from a file, not inline, because the CSP forbids inline script on every page.
// Puts the person's language first (from the same tp_lang cookie the app sets) so the page
// is usable by someone who reads only one of the three; the others stay, in case the
// cookie is missing or wrong.
(function () {
  'use strict';

  var LANGS = ['zh-Hans', 'zh-Hant', 'en'];
  var TITLES = { 'zh-Hans': '您已离线 · 天平', 'zh-Hant': '您已離線 · 天平', en: 'You are offline · Tianping' };
  var RELOAD = {
    'zh-Hans': '重新加载 / Reload',
    'zh-Hant': '重新載入 / Reload',
    en: 'Reload / 重新加载',
  };

  function cookieLang() {
    var parts = document.cookie ? document.cookie.split(';') : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].trim().split('=');
      if (kv[0] === 'tp_lang') {
        var v = decodeURIComponent(kv.slice(1).join('='));
        if (LANGS.indexOf(v) !== -1) return v;
      }
    }
    return 'zh-Hans';
  }

  // One h1 per page: the chosen language's heading becomes the h1, the rest h2, so a screen
  // reader's heading list still reads in the right order.
  function setLevel(section, level) {
    var old = section.querySelector('h1, h2');
    if (!old || old.tagName.toLowerCase() === level) return;
    var h = document.createElement(level);
    h.textContent = old.textContent;
    old.parentNode.replaceChild(h, old);
  }

  function apply() {
    var lang = cookieLang();
    document.documentElement.lang = lang;
    document.title = TITLES[lang];

    var box = document.getElementById('offline-messages');
    if (box) {
      var chosen = box.querySelector('[data-lang="' + lang + '"]');
      if (chosen) box.insertBefore(chosen, box.firstChild);
      var sections = box.querySelectorAll('[data-lang]');
      for (var i = 0; i < sections.length; i++) {
        setLevel(sections[i], sections[i] === chosen ? 'h1' : 'h2');
      }
    }

    var button = document.getElementById('offline-reload');
    if (button) {
      button.textContent = RELOAD[lang];
      button.addEventListener('click', function () {
        location.reload();
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', apply);
  } else {
    apply();
  }
})();
