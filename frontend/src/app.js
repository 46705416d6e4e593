import '@xterm/xterm/css/xterm.css';
import './app.css';
import { brand, hooks, langSwitch } from './common.js';
import { h, replace } from './dom.js';
import { lang, setLang, t, translate } from './i18n.js';
import { LandingPage } from './landing.js';
import { JoinPage } from './join.js';
import { SessionPage } from './session.js';
import { ClassPage, TeachPage } from './teach.js';

// The single-page app: the server answers index.html for /, /s/{id}, /join, /teach and /teach/{id};
// we pick the page by path.

window.kubeplay = hooks;

const root = document.getElementById('app');
let page = null;

const app = {
  lang,
  navigate(path) {
    if (path !== location.pathname + location.search) history.pushState(null, '', path);
    route();
  },
  switchLang(l) {
    const changed = l !== lang();
    setLang(l); // (re)writes the cookie even when unchanged
    if (changed && page) page.relang();
  },
};

class NotFoundPage {
  mount() {
    this.lang = langSwitch((l) => app.switchLang(l));
    this.page = h(
      'div',
      { class: 'page' },
      h('header', { class: 'topbar' }, brand(), h('div', { class: 'spacer' }), this.lang),
      h('main', { class: 'landing-main' }, h('div', { class: 'status-card fatal' }, h('p', { id: 'error', 'data-i18n': 'notfound' }), h('a', { class: 'button primary', href: '/', 'data-route': true, 'data-i18n': 'session.home' }))),
    );
    replace(root, this.page);
    translate(this.page);
    document.title = `${t('notfound')} · kubeplay`;
  }
  unmount() {}
  relang() {
    translate(this.page);
    this.lang.sync();
  }
}

function route() {
  if (page) page.unmount();
  const path = location.pathname;
  const m = path.match(/^\/s\/([^/]+)\/?$/);
  const c = path.match(/^\/teach\/([^/]+)\/?$/);
  if (path === '/' || path === '/index.html') page = new LandingPage(root, app);
  else if (m) page = new SessionPage(root, decodeURIComponent(m[1]), app);
  else if (path === '/join' || path === '/join/') page = new JoinPage(root, app);
  else if (path === '/teach' || path === '/teach/') page = new TeachPage(root, app);
  else if (c) page = new ClassPage(root, decodeURIComponent(c[1]), app);
  else page = new NotFoundPage();
  page.mount();
}

document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[data-route]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  app.navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

document.documentElement.lang = lang();
route();
