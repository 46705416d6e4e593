import { api } from './api.js';
import { brand, errorBanner, hooks, langSwitch } from './common.js';
import { h, replace } from './dom.js';
import { chosenLang, t, translate } from './i18n.js';

// JoinPage is /join (?code=ABCDEF): a student enters the class's join code and a name, and gets a
// seat (POST /api/join → {class, title, seat, session, lang}). A seat whose cluster is still being
// made answers no session yet: the page says so and asks again every few seconds until it has one,
// then opens the session page. The same browser always gets the same seat back.

const RETRY_MS = 3000;
const REMEMBER_KEY = 'kubeplay.class';

// formatCode shows a join code the way people read it aloud: "ABCDEF" -> "ABC DEF".
export function formatCode(code) {
  const c = String(code || '')
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  return c.length === 6 ? `${c.slice(0, 3)} ${c.slice(3)}` : c;
}

// rememberedClass is the class this browser last joined: {code, name, class, seat, session}.
export function rememberedClass() {
  try {
    const v = JSON.parse(localStorage.getItem(REMEMBER_KEY) || 'null');
    return v && typeof v === 'object' ? v : null;
  } catch (e) {
    return null;
  }
}

function remember(rec) {
  try {
    localStorage.setItem(REMEMBER_KEY, JSON.stringify(rec));
  } catch (e) {
    // private mode
  }
}

// rejoinPath is where a session page sends the student when its session is gone but it was a class
// seat (the instructor reset the seat: the same join gives the seat's new session).
export function rejoinPath(sessionId) {
  const rec = rememberedClass();
  if (!rec || !rec.code || rec.session !== sessionId) return '';
  return `/join?code=${encodeURIComponent(rec.code)}&auto=1`;
}

export class JoinPage {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.waiting = null; // {seat, title} while the seat's cluster is being made
    this.busy = false;
  }

  mount() {
    const params = new URLSearchParams(location.search);
    const rec = rememberedClass();
    const code = params.get('code') || '';
    this.lang = langSwitch((l) => this.app.switchLang(l));
    this.codeInput = h('input', {
      id: 'join-code',
      class: 'input code-input',
      name: 'code',
      type: 'text',
      required: true,
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      maxlength: '9',
      value: formatCode(code),
    });
    this.nameInput = h('input', {
      id: 'join-name',
      class: 'input',
      name: 'name',
      type: 'text',
      required: true,
      autocomplete: 'name',
      maxlength: '40',
      value: (rec && rec.name) || '',
    });
    this.submitBtn = h('button', { type: 'submit', id: 'join-submit', class: 'button primary wide' });
    this.formError = h('p', { id: 'join-error', class: 'form-error', role: 'alert', hidden: true });
    this.form = h(
      'form',
      { id: 'join-form', class: 'form-card', novalidate: true },
      h('h1', { class: 'form-title', 'data-i18n': 'join.title' }),
      h('p', { class: 'muted', 'data-i18n': 'join.text' }),
      h('label', { class: 'field' }, h('span', { class: 'field-label', 'data-i18n': 'join.code' }), this.codeInput),
      h('label', { class: 'field' }, h('span', { class: 'field-label', 'data-i18n': 'join.name' }), this.nameInput),
      this.formError,
      this.submitBtn,
    );
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    this.codeInput.addEventListener('blur', () => {
      this.codeInput.value = formatCode(this.codeInput.value);
    });
    this.waitCard = h('section', { id: 'join-waiting', class: 'form-card', hidden: true, 'aria-live': 'polite' });
    this.error = errorBanner();
    this.page = h(
      'div',
      { class: 'page join-page' },
      h('header', { class: 'topbar' }, brand(), h('div', { class: 'spacer' }), this.lang),
      h('main', { class: 'landing-main narrow' }, this.error, this.form, this.waitCard),
    );
    replace(this.root, this.page);
    hooks.state = null;
    this.relang();
    if (params.get('auto') === '1' && this.codeInput.value && this.nameInput.value) this.submit();
    else (this.codeInput.value ? this.nameInput : this.codeInput).focus();
  }

  unmount() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  relang() {
    translate(this.page);
    this.lang.sync();
    document.title = `${t('join.title')} · kubeplay`;
    this.codeInput.placeholder = t('join.codePlaceholder');
    this.nameInput.placeholder = t('join.namePlaceholder');
    this.submitBtn.textContent = t(this.busy ? 'join.busy' : 'join.submit');
    this.renderWaiting();
  }

  setBusy(b) {
    this.busy = b;
    this.submitBtn.disabled = b;
    this.submitBtn.textContent = t(b ? 'join.busy' : 'join.submit');
  }

  showFormError(msg) {
    this.formError.textContent = msg || '';
    this.formError.hidden = !msg;
  }

  submit() {
    if (this.busy) return;
    const code = this.codeInput.value.trim();
    const name = this.nameInput.value.trim();
    if (!code) {
      this.codeInput.focus();
      return;
    }
    if (!name) {
      this.nameInput.focus();
      return;
    }
    this.codeInput.value = formatCode(code);
    this.showFormError('');
    this.setBusy(true);
    this.attempt(code, name);
  }

  async attempt(code, name) {
    clearTimeout(this.retryTimer);
    let r;
    try {
      r = await api('POST', '/api/join', { code, name });
    } catch (e) {
      if (this.stopped) return;
      if (e.status === 0 && this.waiting) {
        // the server is away for a moment (a restart): keep waiting
        this.error.set(e.message, 'join');
        this.retryTimer = setTimeout(() => this.attempt(code, name), RETRY_MS);
        return;
      }
      this.stopWaiting();
      this.setBusy(false);
      this.showFormError(e.message);
      return;
    }
    if (this.stopped) return;
    this.error.clear('join');
    remember({ code: code.toUpperCase().replace(/[\s-]+/g, ''), name, class: r.class, seat: r.seat, session: r.session || '' });
    if (r.session) {
      // The class's language for a student who never picked one.
      if (!chosenLang() && r.lang && r.lang !== this.app.lang()) this.app.switchLang(r.lang);
      this.app.navigate(`/s/${encodeURIComponent(r.session)}`);
      return;
    }
    this.waiting = { seat: r.seat, title: r.title || '', code, name };
    this.renderWaiting();
    this.retryTimer = setTimeout(() => this.attempt(code, name), RETRY_MS);
  }

  stopWaiting() {
    clearTimeout(this.retryTimer);
    this.waiting = null;
    this.renderWaiting();
  }

  renderWaiting() {
    const w = this.waiting;
    this.form.hidden = !!w;
    this.waitCard.hidden = !w;
    if (!w) return;
    const cancel = h('button', { type: 'button', id: 'join-cancel', class: 'button small' }, t('join.cancel'));
    cancel.addEventListener('click', () => {
      this.stopWaiting();
      this.setBusy(false);
    });
    replace(
      this.waitCard,
      w.title ? h('p', { class: 'join-class-title' }, w.title) : null,
      h('h2', { class: 'join-wait-title' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { id: 'join-seat', dataset: { seat: String(w.seat) } }, t('join.preparing', { seat: w.seat }))),
      h('p', { class: 'muted' }, t('join.preparingHint')),
      h('div', { class: 'form-actions' }, cancel),
    );
  }
}
