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

  // Saved pages (app/src/cases/offline.rs writes them): the case list and the last cases the
  // person opened, each with the time it was saved.
  var SAVED = {
    'zh-Hans': { copy: '这是 {time} 保存的副本，可能不是最新情况。', list: '可离线阅读的已保存页面', none: '' },
    'zh-Hant': { copy: '這是 {time} 儲存的副本，可能不是最新情況。', list: '可離線閱讀的已儲存頁面', none: '' },
    en: { copy: 'This copy was saved on {time} and may be out of date.', list: 'Saved pages you can read offline', none: '' },
  };

  function savedPages() {
    try {
      var list = JSON.parse(localStorage.getItem('tp-offline') || '[]');
      return Array.isArray(list) ? list.filter(function (e) { return e && typeof e.path === 'string' && typeof e.html === 'string'; }) : [];
    } catch (err) {
      return [];
    }
  }

  function when(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
  }

  function showSaved(lang) {
    // A court kiosk never saves pages (offline.rs), so there it only says it is offline.
    var pages = savedPages();
    var box = document.getElementById('offline-saved');
    if (!box || pages.length === 0) return;
    var words = SAVED[lang];
    var here = pages.filter(function (e) { return e.path === location.pathname; })[0];
    box.hidden = false;
    if (here) {
      if (here.css && /^\/pkg\/[\w.\-\/]+\.css$/.test(here.css)) {
        var link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = here.css;
        document.head.appendChild(link);
      }
      var note = document.createElement('p');
      note.className = 'offline-saved-at';
      note.setAttribute('role', 'status');
      note.setAttribute('data-testid', 'offline-saved-at');
      note.textContent = words.copy.replace('{time}', when(here.saved));
      var copy = document.createElement('div');
      copy.className = 'offline-copy';
      copy.setAttribute('data-testid', 'offline-copy');
      // Our own page, as the app drew it and with its forms taken out; the CSP forbids any
      // script or inline handler it might carry.
      copy.innerHTML = here.html;
      box.appendChild(note);
      box.appendChild(copy);
      // The saved page's headings lead; the offline message steps down.
      var messages = document.getElementById('offline-messages');
      if (messages) {
        var h1s = messages.querySelectorAll('h1');
        for (var i = 0; i < h1s.length; i++) setLevel(h1s[i].parentNode, 'h2');
      }
      return;
    }
    var h = document.createElement('h2');
    h.textContent = words.list;
    var ul = document.createElement('ul');
    ul.setAttribute('data-testid', 'offline-saved-list');
    pages.forEach(function (e) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = e.path;
      a.textContent = e.title || e.path;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' · ' + when(e.saved)));
      ul.appendChild(li);
    });
    box.appendChild(h);
    box.appendChild(ul);
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

    showSaved(lang);

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
