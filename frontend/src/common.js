import { h, icon } from './dom.js';
import { lang, LANGS, t } from './i18n.js';

// The test hooks browser tests read (chromedp): the last session view, every open terminal, the
// lesson panel (lesson.js sets it on the session page; null elsewhere), and on an instructor's class
// page the grid and the terminal being watched; on a class seat's session page, the instructor's screen.
export const hooks = {
  version: 1,
  state: null,
  terminals: {},
  lesson: null,
  classGrid: null, // the instructor's class page: the last GET /api/classes/{id}
  watch: null, // the instructor's class page: {seat, node} of the read-only terminal on screen
  broadcast: null, // a student's session page: the instructor's screen while it is shown ({node, connected, readOnly, status, text()})
  get lang() {
    return lang();
  },
};

// langSwitch is the ko/en toggle (#lang-ko, #lang-en); onChange(lang) re-renders the page.
export function langSwitch(onChange) {
  const wrap = h('div', { class: 'lang-switch', role: 'group', 'data-i18n-title': 'lang.switch' });
  const buttons = LANGS.map((l) =>
    h(
      'button',
      {
        type: 'button',
        id: `lang-${l}`,
        lang: l,
        onclick: () => onChange(l),
      },
      l === 'ko' ? '한국어' : 'English',
    ),
  );
  wrap.append(...buttons);
  const sync = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.id === `lang-${lang()}`));
    wrap.title = t('lang.switch');
    wrap.setAttribute('aria-label', wrap.title);
  };
  sync();
  wrap.sync = sync;
  return wrap;
}

export function brand() {
  return h('a', { class: 'brand', href: '/', 'data-route': true }, icon('prompt', 'brand-mark'), 'kubeplay');
}

// errorBanner is a page's #error element: setError(text) shows it, setError('') hides it.
export function errorBanner() {
  const text = h('span', { class: 'error-text' });
  const close = h('button', { type: 'button', class: 'icon-button', 'data-i18n-title': 'error.dismiss', title: t('error.dismiss'), 'aria-label': t('error.dismiss') }, '×');
  const el = h('div', { id: 'error', class: 'banner error', role: 'alert', hidden: true }, text, close);
  close.addEventListener('click', () => el.set(''));
  // set(msg, source): source names who showed it, so that clear(source) only takes back its own
  // message (a poll that works again must not hide the answer to a button press).
  el.set = (msg, source) => {
    text.textContent = msg || '';
    el.hidden = !msg;
    el.source = msg ? source || '' : '';
  };
  el.clear = (source) => {
    if (el.source === source) el.set('');
  };
  return el;
}

let toastTimer = 0;

// toast shows a short message at the bottom of the window for a few seconds.
export function toast(msg, ms = 3500) {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.append(el);
  }
  el.textContent = msg;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), ms);
}
