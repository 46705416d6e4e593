import qrcode from 'qrcode-generator';
import { api, labs, serverNow } from './api.js';
import { copyText } from './clipboard.js';
import { brand, errorBanner, hooks, langSwitch, toast } from './common.js';
import { formatDuration, h, icon, replace } from './dom.js';
import { lang, LANGS, roleLabel, t, translate } from './i18n.js';
import { formatCode } from './join.js';
import { NodeTerminal } from './terminal.js';

// The instructor's pages:
//
//   /teach        sign-in with the instructor secret; the classes; a form that makes one
//   /teach/{id}   a class: its join code (and QR code), the live grid of seats × steps, a student's
//                 terminal read-only, reset a seat, extend, end, the results as CSV, and one of the
//                 instructor's own terminals shown to the class
//
// API (server/classes.go): GET /api/instructor, POST /api/instructor/login|logout, GET|POST
// /api/classes, GET|DELETE /api/classes/{id}, GET /api/classes/{id}/events (server-sent events
// seat/progress/class/broadcast/ended), POST /api/classes/{id}/extend, POST /api/classes/{id}/seats/{n}/reset,
// GET /api/classes/{id}/results.csv, PUT|DELETE /api/classes/{id}/broadcast (the terminal shown to
// the class: one of this browser's sessions, GET /api/sessions), and the websocket
// /api/classes/{id}/seats/{n}/nodes/{node}/terminal.

const STUCK_KEY = 'kubeplay.stuckMinutes';
const STUCK_CHOICES = [5, 10, 15, 20, 30];
const DEFAULT_STUCK = 10;
const SORT_KEY = 'kubeplay.gridSort';
const REFRESH_DEBOUNCE_MS = 200;
// The grid is reloaded on every event; a slow poll besides catches what no event announces (a
// seat's cluster turning ready) and keeps "last activity" current.
const POLL_BUSY_MS = 10000; // while a seat's cluster is being made (a safety net: its changes come as seat events)
const POLL_IDLE_MS = 15000;
const POLL_OFFLINE_MS = 4000; // while the event stream is down
const EXTEND_CHOICES = [30, 60];

function validTime(iso) {
  const ms = Date.parse(iso || '');
  return Number.isNaN(ms) || ms < 946684800000 ? null : ms; // Go's zero time reads as "never"
}

function clock(ms) {
  if (ms == null) return '';
  try {
    return new Date(ms).toLocaleTimeString(lang() === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit' });
  } catch (e) {
    return '';
  }
}

function dateTime(ms) {
  if (ms == null) return '';
  try {
    return new Date(ms).toLocaleString(lang() === 'ko' ? 'ko-KR' : 'en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  } catch (e) {
    return '';
  }
}

// classTitle: the instructor's title, or the lab's (a class made without a title is named by its lab id).
function classTitle(c) {
  return c.title && c.title !== c.lab ? c.title : c.labTitle || c.lab;
}

function readStored(key, def) {
  try {
    return localStorage.getItem(key) || def;
  } catch (e) {
    return def;
  }
}

function store(key, v) {
  try {
    localStorage.setItem(key, String(v));
  } catch (e) {
    // private mode
  }
}

// topbar is the start of both pages' top bar: brand | extra ... (the caller appends the rest).
function topbar(app, extra) {
  const langEl = langSwitch((l) => app.switchLang(l));
  const header = h('header', { class: 'topbar' }, brand(), h('span', { class: 'divider', 'aria-hidden': 'true' }), extra, h('div', { class: 'spacer' }));
  return { header, langEl };
}

// ---------------------------------------------------------------------------------------------
// /teach

export class TeachPage {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.view = 'loading'; // loading | disabled | signin | classes
    this.classes = [];
    this.labs = null;
    this.draft = { title: '', lab: '', seats: '20', minutes: '120', lang: lang() };
    this.generation = 0;
  }

  mount() {
    const { header, langEl } = topbar(this.app, h('span', { class: 'lab-title', 'data-i18n': 'teach.title' }));
    this.lang = langEl;
    this.signOutBtn = h('button', { type: 'button', id: 'signout', class: 'button small', hidden: true, 'data-i18n': 'teach.signout' });
    this.signOutBtn.addEventListener('click', () => this.signOut());
    header.append(this.signOutBtn, this.lang);
    this.error = errorBanner();
    this.main = h('div', { class: 'teach-content' });
    this.page = h('div', { class: 'page teach-page' }, header, h('main', { class: 'landing-main teach-main' }, this.error, this.main));
    replace(this.root, this.page);
    hooks.state = null;
    translate(this.page);
    document.title = `${t('teach.title')} · kubeplay`;
    this.render();
    this.load();
  }

  unmount() {
    this.generation++;
  }

  relang() {
    translate(this.page);
    this.lang.sync();
    document.title = `${t('teach.title')} · kubeplay`;
    this.load(); // lab titles come in the page's language
  }

  async load() {
    const gen = ++this.generation;
    try {
      const who = await api('GET', '/api/instructor');
      if (gen !== this.generation) return;
      this.error.clear('load');
      if (!who || !who.classes) {
        this.view = 'disabled';
      } else if (!who.instructor) {
        this.view = 'signin';
      } else {
        const [list, all] = await Promise.all([api('GET', '/api/classes'), labs()]);
        if (gen !== this.generation) return;
        this.classes = list || [];
        this.labs = (all || []).filter((l) => !String(l.id).startsWith('playground-'));
        this.view = 'classes';
      }
    } catch (e) {
      if (gen !== this.generation) return;
      if (e.status === 401) this.view = 'signin';
      else this.error.set(e.message, 'load');
    }
    this.signOutBtn.hidden = this.view !== 'classes';
    this.render();
  }

  render() {
    switch (this.view) {
      case 'disabled':
        replace(this.main, h('div', { class: 'status-card fatal' }, h('p', { id: 'teach-disabled' }, t('teach.disabled')), h('a', { class: 'button primary', href: '/', 'data-route': true }, t('session.home'))));
        break;
      case 'signin':
        this.renderSignIn();
        break;
      case 'classes':
        this.renderClasses();
        break;
      default:
        replace(this.main, h('p', { class: 'muted' }, t('teach.loading')));
    }
  }

  renderSignIn() {
    const secret = h('input', { id: 'instructor-secret', class: 'input', type: 'password', name: 'secret', required: true, autocomplete: 'current-password' });
    const btn = h('button', { type: 'submit', id: 'signin', class: 'button primary wide' }, t('teach.signin.submit'));
    const err = h('p', { id: 'signin-error', class: 'form-error', role: 'alert', hidden: true });
    const form = h(
      'form',
      { id: 'signin-form', class: 'form-card', novalidate: true },
      h('h1', { class: 'form-title' }, t('teach.signin.title')),
      h('p', { class: 'muted' }, t('teach.signin.text')),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('teach.signin.secret')), secret),
      err,
      btn,
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!secret.value.trim()) {
        secret.focus();
        return;
      }
      btn.disabled = true;
      btn.textContent = t('teach.signin.busy');
      err.hidden = true;
      try {
        await api('POST', '/api/instructor/login', { secret: secret.value });
        this.load();
      } catch (e) {
        btn.disabled = false;
        btn.textContent = t('teach.signin.submit');
        err.textContent = e.message;
        err.hidden = false;
        secret.select();
      }
    });
    replace(this.main, h('div', { class: 'narrow' }, form));
    secret.focus();
  }

  renderClasses() {
    const list = this.classes;
    const now = serverNow();
    const table = list.length
      ? h(
          'table',
          { id: 'class-list', class: 'data-table' },
          h('thead', null, h('tr', null, ['teach.col.title', 'teach.col.code', 'teach.col.lab', 'teach.col.seats', 'teach.col.ends'].map((k) => h('th', { scope: 'col' }, t(k))), h('th', null))),
          h(
            'tbody',
            null,
            list.map((c) => {
              const exp = validTime(c.expires);
              const over = exp != null && exp <= now;
              const href = `/teach/${encodeURIComponent(c.id)}`;
              return h(
                'tr',
                { class: 'class-row', dataset: { class: c.id, code: c.code } },
                h('td', null, h('a', { href, 'data-route': true, class: 'class-link' }, classTitle(c))),
                h('td', { class: 'mono code-cell' }, formatCode(c.code)),
                h('td', null, c.labTitle || c.lab),
                h('td', { class: 'num' }, String(c.seats)),
                h('td', null, over ? h('span', { class: 'state-chip' }, t('teach.ended')) : dateTime(exp)),
                h('td', { class: 'actions-cell' }, h('a', { class: 'button small primary', href, 'data-route': true }, t('teach.open'))),
              );
            }),
          ),
        )
      : h('p', { class: 'muted', id: 'class-list-empty' }, t('teach.classes.empty'));
    replace(
      this.main,
      h('section', { class: 'panel' }, h('h2', null, t('teach.classes')), h('div', { class: 'table-wrap' }, table)),
      this.createForm(),
    );
  }

  createForm() {
    const d = this.draft;
    const labsList = this.labs || [];
    if (!labsList.some((l) => l.id === d.lab)) d.lab = labsList.length ? labsList[0].id : '';
    const title = h('input', { id: 'class-title', class: 'input', type: 'text', maxlength: '100', value: d.title, placeholder: t('teach.new.titlePlaceholder') });
    const lab = h(
      'select',
      { id: 'class-lab', class: 'input' },
      labsList.map((l) => h('option', { value: l.id, selected: l.id === d.lab }, l.duration ? `${l.title} · ${l.duration}` : l.title)),
    );
    const seats = h('input', { id: 'class-seats', class: 'input', type: 'number', min: '1', max: '40', step: '1', required: true, value: d.seats });
    const minutes = h('input', { id: 'class-minutes', class: 'input', type: 'number', min: '10', max: '720', step: '10', required: true, value: d.minutes });
    const langSel = h(
      'select',
      { id: 'class-lang', class: 'input' },
      LANGS.map((l) => h('option', { value: l, selected: l === d.lang }, l === 'ko' ? '한국어' : 'English')),
    );
    const btn = h('button', { type: 'submit', id: 'class-create', class: 'button primary', disabled: labsList.length === 0 }, t('teach.new.submit'));
    const err = h('p', { id: 'class-error', class: 'form-error', role: 'alert', hidden: true });
    const keep = () => {
      d.title = title.value;
      d.lab = lab.value;
      d.seats = seats.value;
      d.minutes = minutes.value;
      d.lang = langSel.value;
    };
    const form = h(
      'form',
      { id: 'class-form', class: 'panel class-form', novalidate: true, oninput: keep, onchange: keep },
      h('h2', null, t('teach.new')),
      labsList.length ? null : h('p', { class: 'muted' }, t('teach.new.noLabs')),
      h(
        'div',
        { class: 'form-grid' },
        h('label', { class: 'field span-2' }, h('span', { class: 'field-label' }, t('teach.new.title')), title),
        h('label', { class: 'field span-2' }, h('span', { class: 'field-label' }, t('teach.new.lab')), lab),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('teach.new.seats')), seats, h('span', { class: 'field-hint muted' }, t('teach.new.seatsHint'))),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('teach.new.minutes')), minutes),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('teach.new.lang')), langSel),
      ),
      h('p', { class: 'muted small-print' }, t('teach.new.pace')),
      err,
      h('div', { class: 'form-actions' }, btn),
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      keep();
      const n = Number(seats.value);
      if (!Number.isInteger(n) || n < 1 || n > 40) {
        seats.focus();
        return;
      }
      btn.disabled = true;
      btn.textContent = t('teach.new.busy');
      err.hidden = true;
      try {
        const c = await api('POST', '/api/classes', { title: title.value.trim(), lab: lab.value, lang: langSel.value, seats: n, minutes: Number(minutes.value) || 120 });
        this.draft.title = '';
        this.app.navigate(`/teach/${encodeURIComponent(c.id)}`);
      } catch (e) {
        btn.disabled = false;
        btn.textContent = t('teach.new.submit');
        if (e.status === 401) {
          this.view = 'signin';
          this.render();
          return;
        }
        err.textContent = e.message;
        err.hidden = false;
      }
    });
    return form;
  }

  async signOut() {
    try {
      await api('POST', '/api/instructor/logout');
    } catch (e) {
      this.error.set(e.message, 'action');
      return;
    }
    this.view = 'signin';
    this.signOutBtn.hidden = true;
    this.render();
  }
}

// ---------------------------------------------------------------------------------------------
// /teach/{id}

const SORTS = {
  seat: { key: 'seat', asc: true },
  name: { key: 'name', asc: true },
  progress: { key: 'progress', asc: false },
  activity: { key: 'activity', asc: true }, // the longest-quiet students first
};

export class ClassPage {
  constructor(root, id, app) {
    this.root = root;
    this.id = id;
    this.app = app;
    this.grid = null;
    this.rows = new Map(); // seat n -> {tr, sig}
    const stuck = Number(readStored(STUCK_KEY, DEFAULT_STUCK));
    this.stuckMinutes = STUCK_CHOICES.includes(stuck) ? stuck : DEFAULT_STUCK;
    const [sk, dir] = String(readStored(SORT_KEY, 'seat:asc')).split(':');
    this.sort = SORTS[sk] ? { key: sk, asc: dir !== 'desc' } : { ...SORTS.seat };
    this.ended = false;
    this.live = false;
    this.watching = null; // {seat, session, nodes, terms: Map(name -> {nt, pane, tab}), active}
    this.mySessions = null; // this browser's sessions (GET /api/sessions): what may be shown to the class
    this.bcastPick = ''; // "session node" picked in #broadcast-node
    this.bcastBusy = false;
  }

  get base() {
    return `/api/classes/${encodeURIComponent(this.id)}`;
  }

  mount() {
    this.titleEl = h('span', { class: 'lab-title', id: 'class-title-text' }, '');
    const back = h('a', { class: 'button small', id: 'class-back', href: '/teach', 'data-route': true, 'data-i18n': 'class.back' });
    const { header, langEl } = topbar(this.app, [back, this.titleEl]);
    this.lang = langEl;
    this.remaining = h('span', { id: 'class-remaining', class: 'remaining' }, '--:--');
    this.timeBox = h('div', { class: 'time-box', hidden: true }, h('span', { class: 'label', 'data-i18n': 'class.remaining' }), this.remaining);
    this.extendBtns = EXTEND_CHOICES.map((m) => {
      const b = h('button', { type: 'button', id: `extend-${m}`, class: 'button small', 'data-i18n': `class.extend${m}`, 'data-i18n-title': 'class.extendTitle' });
      b.addEventListener('click', () => this.extend(m, b));
      return b;
    });
    this.csv = h('a', { id: 'class-csv', class: 'button small', href: `${this.base}/results.csv`, download: '', 'data-i18n': 'class.csv' });
    this.endBtn = h('button', { type: 'button', id: 'class-end', class: 'button small danger', 'data-i18n': 'class.end' });
    this.endBtn.addEventListener('click', () => this.endClass());
    this.actions = h('div', { class: 'class-actions' }, this.timeBox, this.extendBtns, this.csv, this.endBtn);
    header.append(this.actions, this.lang);

    this.error = errorBanner();
    this.head = h('section', { id: 'class-head', class: 'panel class-head' }, h('p', { class: 'muted' }, t('class.loading')));
    this.liveEl = h('span', { id: 'class-live', class: 'live-dot', dataset: { live: 'false' } });
    this.summary = h('span', { id: 'class-summary', class: 'class-summary muted' });
    this.smallCode = h('span', { class: 'small-code', id: 'join-code-small' });
    this.stuckSel = h(
      'select',
      { id: 'stuck-minutes', class: 'input small' },
      STUCK_CHOICES.map((m) => h('option', { value: String(m), selected: m === this.stuckMinutes }, t('grid.minutes', { n: m }))),
    );
    this.stuckSel.addEventListener('change', () => {
      this.stuckMinutes = Number(this.stuckSel.value) || DEFAULT_STUCK;
      store(STUCK_KEY, this.stuckMinutes);
      this.renderRows();
    });
    this.stuckLabel = h('label', { class: 'stuck-choice' }, h('span', { 'data-i18n': 'grid.stuckAfter' }), this.stuckSel);
    this.table = h('table', { id: 'class-grid', class: 'data-table grid-table' });
    this.thead = h('thead');
    this.tbody = h('tbody');
    this.table.append(this.thead, this.tbody);
    this.gridPanel = h(
      'section',
      { class: 'panel grid-panel' },
      h('div', { class: 'grid-toolbar' }, h('h2', { 'data-i18n': 'grid.title' }), this.liveEl, this.summary, h('div', { class: 'spacer' }), this.smallCode, this.stuckLabel),
      h('div', { class: 'table-wrap' }, this.table),
    );
    this.watchEl = h('section', { id: 'watch', class: 'watch-panel', hidden: true });
    this.bcastEl = h('section', { id: 'broadcast', class: 'panel broadcast-panel', hidden: true });
    this.main = h('main', { class: 'class-main' }, this.error, this.head, this.bcastEl, this.gridPanel);
    this.page = h('div', { class: 'page class-page' }, header, this.main, this.watchEl);
    replace(this.root, this.page);
    hooks.state = null;
    hooks.classGrid = null;
    translate(this.page);
    document.title = `${t('class.loading')} · kubeplay`;

    this.onKey = (ev) => {
      if (ev.key === 'Escape' && this.bigEl) this.closeBig();
    };
    document.addEventListener('keydown', this.onKey);
    // Back from another tab (where a lab was just opened to be shown): its sessions may have changed.
    this.onFocus = () => this.loadMySessions();
    window.addEventListener('focus', this.onFocus);
    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.refresh();
    this.openEvents();
    this.loadMySessions();
  }

  unmount() {
    this.stopped = true;
    clearInterval(this.tickTimer);
    clearTimeout(this.pollTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.esTimer);
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('focus', this.onFocus);
    if (this.es) this.es.close();
    this.es = null;
    this.closeWatch();
    this.closeBig();
    if (this.dialog) this.dialog.remove();
    hooks.classGrid = null;
  }

  relang() {
    translate(this.page);
    this.lang.sync();
    for (const o of this.stuckSel.options) o.textContent = t('grid.minutes', { n: o.value });
    this.headSig = '';
    this.rows.clear();
    replace(this.tbody);
    this.theadSig = '';
    if (this.ended) this.showEnded();
    else if (this.grid) this.render();
    if (this.watching) this.renderWatchHead();
    this.bcastSig = '';
    this.refresh(); // step titles come in the page's language
    this.loadMySessions(); // and lab titles
  }

  // ----- live updates

  openEvents() {
    if (this.stopped || this.ended) return;
    clearTimeout(this.esTimer);
    let es;
    try {
      es = new EventSource(`${this.base}/events`);
    } catch (e) {
      this.esTimer = setTimeout(() => this.openEvents(), 3000);
      return;
    }
    this.es = es;
    let opened = false;
    const changed = () => this.scheduleRefresh();
    for (const kind of ['seat', 'progress', 'class', 'broadcast']) es.addEventListener(kind, changed);
    es.addEventListener('ended', () => {
      if (!this.ending) this.showEnded();
    });
    es.onopen = () => {
      this.setLive(true);
      // Reconnected (a server restart, a network blip): what happened meanwhile had no event here.
      if (opened || this.grid) this.scheduleRefresh(0);
      opened = true;
    };
    es.onerror = () => {
      this.setLive(false);
      if (es.readyState === EventSource.CLOSED && this.es === es) {
        // The server refused the stream (not ready yet after a restart, signed out, the class is
        // gone): look at the class, and try the stream again.
        this.es = null;
        this.scheduleRefresh(0);
        this.esTimer = setTimeout(() => this.openEvents(), 3000);
      }
    };
  }

  setLive(on) {
    this.live = on;
    this.liveEl.dataset.live = String(on);
    this.liveEl.textContent = on ? t('class.live') : '';
    this.liveEl.title = on ? '' : t('class.offline');
    this.schedulePoll();
  }

  scheduleRefresh(delay = REFRESH_DEBOUNCE_MS) {
    if (this.stopped || this.ended) return;
    if (this.refreshTimer) {
      if (delay > 0) return; // one is coming
      clearTimeout(this.refreshTimer);
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = 0;
      this.refresh();
    }, delay);
  }

  schedulePoll() {
    if (this.stopped || this.ended) return;
    clearTimeout(this.pollTimer);
    const seats = (this.grid && this.grid.seats) || [];
    const busy = seats.some((s) => s.state === 'creating' || s.state === 'resuming' || (s.state === 'none' && !(s.failures >= 3)));
    const next = !this.live ? POLL_OFFLINE_MS : busy ? POLL_BUSY_MS : POLL_IDLE_MS;
    this.pollTimer = setTimeout(() => this.refresh(), document.hidden && this.live ? POLL_IDLE_MS : next);
  }

  async refresh() {
    if (this.stopped || this.ended) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    try {
      const g = await api('GET', this.base);
      if (this.stopped || this.ended) return;
      this.error.clear('grid');
      this.grid = g;
      hooks.classGrid = g;
      this.render();
    } catch (e) {
      if (this.stopped) return;
      if (e.status === 404) {
        this.showEnded();
        return;
      }
      if (e.status === 401) {
        this.app.navigate('/teach');
        return;
      }
      this.error.set(e.message, 'grid');
    } finally {
      this.fetching = false;
    }
    if (this.fetchAgain) {
      this.fetchAgain = false;
      this.scheduleRefresh(0);
    }
    this.schedulePoll();
  }

  // ----- rendering

  render() {
    const g = this.grid;
    if (!g) return;
    const c = g.class;
    const title = classTitle(c);
    this.titleEl.textContent = title;
    document.title = `${title} · kubeplay`;
    this.timeBox.hidden = false;
    this.renderHead(c);
    this.renderBroadcast();
    this.renderTableHead(g.steps || []);
    this.renderRows();
    this.tick();
    this.syncWatch();
  }

  renderHead(c) {
    const sig = JSON.stringify([c.code, c.joinUrl, c.labTitle, c.seats, c.lang, lang()]);
    if (sig === this.headSig) return;
    this.headSig = sig;
    const url = c.joinUrl || `${location.origin}/join?code=${c.code}`;
    replace(this.smallCode, h('span', { class: 'muted' }, t('class.code')), h('b', null, formatCode(c.code)));
    const copy = h('button', { type: 'button', class: 'button small', id: 'join-url-copy' }, t('class.copyUrl'));
    copy.addEventListener('click', () => {
      copyText(url);
      toast(t('class.copied'));
    });
    const bigger = h('button', { type: 'button', class: 'button small', id: 'join-big-open' }, t('class.bigger'));
    bigger.addEventListener('click', () => this.openBig());
    replace(
      this.head,
      h(
        'div',
        { class: 'join-info' },
        h('p', { class: 'join-label' }, t('class.code')),
        h('p', { id: 'join-code', class: 'join-code', dataset: { code: c.code } }, formatCode(c.code)),
        h('p', { class: 'muted join-hint' }, t('class.joinAt')),
        h('p', { class: 'join-url-line' }, h('a', { id: 'join-url', href: url, target: '_blank', rel: 'noopener' }, url)),
        h('div', { class: 'join-buttons' }, copy, bigger),
        h(
          'ul',
          { class: 'meta class-meta' },
          h('li', { class: 'chip shape' }, c.labTitle || c.lab),
          h('li', { class: 'chip' }, `${t('teach.col.seats')} ${c.seats}`),
          h('li', { class: 'chip' }, c.lang === 'en' ? 'English' : '한국어'),
        ),
      ),
      this.qr(url, 'join-qr'),
    );
  }

  qr(url, id) {
    let src = '';
    try {
      const q = qrcode(0, 'M');
      q.addData(url);
      q.make();
      src = q.createDataURL(8, 2);
    } catch (e) {
      return h('span');
    }
    return h('img', { id, class: 'qr', src, alt: t('class.qr'), width: '200', height: '200' });
  }

  openBig() {
    const c = this.grid && this.grid.class;
    if (!c) return;
    this.closeBig();
    const url = c.joinUrl || `${location.origin}/join?code=${c.code}`;
    const close = h('button', { type: 'button', class: 'icon-button big-close', title: t('class.close'), 'aria-label': t('class.close') }, '×');
    this.bigEl = h(
      'div',
      { id: 'join-big', class: 'join-big', role: 'dialog', 'aria-modal': 'true' },
      close,
      h('p', { class: 'join-label' }, classTitle(c)),
      h('p', { class: 'join-code huge' }, formatCode(c.code)),
      this.qr(url, 'join-big-qr'),
      h('p', { class: 'join-url-big' }, url),
    );
    this.bigEl.addEventListener('click', () => this.closeBig());
    document.body.append(this.bigEl);
  }

  closeBig() {
    if (this.bigEl) this.bigEl.remove();
    this.bigEl = null;
  }

  renderTableHead(steps) {
    const sig = JSON.stringify([steps, this.sort, lang()]);
    if (sig === this.theadSig) return;
    this.theadSig = sig;
    const sortable = (key, labelKey, cls) => {
      const on = this.sort.key === key;
      const b = h('button', { type: 'button', class: 'sort', dataset: { sort: key } }, t(labelKey), h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, on ? (this.sort.asc ? '▲' : '▼') : ''));
      b.addEventListener('click', () => this.setSort(key));
      return h('th', { scope: 'col', class: cls || '', 'aria-sort': on ? (this.sort.asc ? 'ascending' : 'descending') : 'none' }, b);
    };
    replace(
      this.thead,
      h(
        'tr',
        null,
        sortable('seat', 'grid.seat', 'col-seat'),
        sortable('name', 'grid.name', 'col-name'),
        h('th', { scope: 'col' }, t('grid.cluster')),
        h('th', { scope: 'col' }, t('grid.current')),
        steps.map((s) => h('th', { scope: 'col', class: 'step-head', title: `${t('lesson.step', { n: s.n })}: ${s.title}`, dataset: { step: String(s.n) } }, h('span', { class: 'step-num' }, String(s.n)), h('span', { class: 'step-title' }, s.title))),
        sortable('progress', 'grid.progress', 'col-progress'),
        sortable('activity', 'grid.activity', 'col-activity'),
        h('th', { scope: 'col' }, t('grid.actions')),
      ),
    );
  }

  setSort(key) {
    if (this.sort.key === key) this.sort = { key, asc: !this.sort.asc };
    else this.sort = { ...SORTS[key] };
    store(SORT_KEY, `${this.sort.key}:${this.sort.asc ? 'asc' : 'desc'}`);
    this.theadSig = '';
    this.render();
  }

  // seatInfo derives what a row shows from a seat of the grid.
  seatInfo(s, steps, now) {
    let done = 0;
    let current = 0;
    for (const st of steps) {
      const x = s.steps && (s.steps[st.n] || s.steps[String(st.n)]);
      if (x && x.done) done++;
      else if (!current) current = st.n;
    }
    const finished = steps.length > 0 && done === steps.length;
    const last = validTime(s.lastActivity);
    const quiet = last == null ? null : now - last;
    const stuck = !!s.taken && !finished && quiet != null && quiet > this.stuckMinutes * 60000;
    return { done, current, finished, last, quiet, stuck };
  }

  renderRows() {
    const g = this.grid;
    if (!g) return;
    const steps = g.steps || [];
    const now = serverNow();
    const seats = (g.seats || []).map((s) => ({ s, info: this.seatInfo(s, steps, now) }));
    const dir = this.sort.asc ? 1 : -1;
    const collator = new Intl.Collator(lang() === 'ko' ? 'ko' : 'en');
    const cmp = {
      seat: (a, b) => a.s.n - b.s.n,
      name: (a, b) => {
        if (!a.s.name !== !b.s.name) return a.s.name ? -dir : dir; // empty seats last either way
        return collator.compare(a.s.name || '', b.s.name || '');
      },
      progress: (a, b) => a.info.done - b.info.done,
      activity: (a, b) => (a.info.last ?? Infinity) - (b.info.last ?? Infinity),
    }[this.sort.key];
    seats.sort((a, b) => cmp(a, b) * dir || a.s.n - b.s.n);

    let joined = 0;
    let ready = 0;
    let finished = 0;
    let stuck = 0;
    const seen = new Set();
    seats.forEach(({ s, info }, i) => {
      if (s.taken) joined++;
      if (s.state === 'ready' || s.state === 'paused') ready++;
      if (info.finished) finished++;
      if (info.stuck) stuck++;
      seen.add(s.n);
      let row = this.rows.get(s.n);
      if (!row) {
        row = { tr: h('tr', { class: 'seat-row' }), sig: '' };
        this.rows.set(s.n, row);
      }
      const sig = JSON.stringify([s, steps.length, info.stuck, info.quiet == null ? -1 : Math.floor(info.quiet / 60000), this.ended, this.watching && this.watching.seat === s.n]);
      if (sig !== row.sig) {
        row.sig = sig;
        this.fillRow(row.tr, s, info, steps);
      }
      if (this.tbody.children[i] !== row.tr) this.tbody.insertBefore(row.tr, this.tbody.children[i] || null);
    });
    for (const [n, row] of this.rows) {
      if (!seen.has(n)) {
        row.tr.remove();
        this.rows.delete(n);
      }
    }
    const seatsN = (g.class && g.class.seats) || seats.length;
    this.summary.textContent = t('class.summary', { joined, seats: seatsN, ready, finished, stuck });
  }

  fillRow(tr, s, info, steps) {
    tr.dataset.seat = String(s.n);
    tr.dataset.state = s.state || 'none';
    tr.dataset.session = s.session || '';
    tr.dataset.done = String(info.done);
    tr.classList.toggle('taken', !!s.taken);
    tr.classList.toggle('finished', info.finished);
    tr.classList.toggle('stuck', info.stuck);
    tr.classList.toggle('watching', !!(this.watching && this.watching.seat === s.n));
    const state = s.state || 'none';
    // A free seat's cluster made ahead waits paused (no CPU) until a student takes it: ready.
    const chipKey = state === 'paused' && !s.taken ? 'seat.parked' : `seat.${state}`;
    const stateChip = h('span', { class: `state-chip state-${state}${chipKey === 'seat.parked' ? ' parked' : ''}`, title: s.failures ? t('grid.failures', { n: s.failures }) : null }, t(chipKey));
    let current;
    if (!s.taken) current = h('span', { class: 'muted' }, t('grid.never'));
    else if (info.finished) current = h('span', { class: 'finished-badge' }, icon('check'), t('grid.finished'));
    else if (info.current) {
      const st = steps.find((x) => x.n === info.current);
      current = h('span', { class: 'current-step', title: st ? st.title : '' }, t('grid.stepN', { n: info.current }));
    } else current = h('span', { class: 'muted' }, t('grid.never'));
    const cells = steps.map((st) => {
      const x = s.steps && (s.steps[st.n] || s.steps[String(st.n)]);
      const cell = x && x.done ? 'done' : x && x.state && x.state !== 'passed' ? 'failed' : 'none';
      const label = t(cell === 'done' ? 'grid.done' : cell === 'failed' ? 'grid.failed' : 'grid.notTried');
      const at = x && validTime(x.checkedAt);
      return h(
        'td',
        { class: 'step-cell', dataset: { step: String(st.n), state: cell }, title: t('grid.cell', { n: st.n, title: st.title, state: label }) + (at ? ` (${clock(at)})` : '') },
        h('span', { class: 'mark', 'aria-label': label }, cell === 'done' ? '✓' : cell === 'failed' ? '✗' : '·'),
      );
    });
    const pct = steps.length ? Math.round((info.done / steps.length) * 100) : 0;
    const watch = h('button', { type: 'button', class: 'button small seat-watch', disabled: !(state === 'ready' && s.nodes && s.nodes.length) || this.ended, title: t('grid.watchTitle') }, t('grid.watch'));
    watch.addEventListener('click', () => this.watch(s.n));
    const reset = h('button', { type: 'button', class: 'button small danger seat-reset', disabled: this.ended, title: t('grid.resetTitle') }, t('grid.reset'));
    reset.addEventListener('click', () => this.confirmReset(s.n));
    replace(
      tr,
      h('td', { class: 'seat-n num' }, String(s.n)),
      h(
        'td',
        { class: 'seat-name' },
        s.taken ? h('span', { class: 'name' }, s.name || '?') : h('span', { class: 'muted' }, t('grid.empty')),
        info.stuck ? h('span', { class: 'stuck-badge', title: t('grid.stuckTitle', { min: this.stuckMinutes }) }, t('grid.stuck')) : null,
      ),
      h('td', { class: 'seat-state' }, stateChip),
      h('td', { class: 'seat-current' }, current),
      cells,
      h('td', { class: 'seat-progress' }, h('span', { class: 'progress-text' }, `${info.done}/${steps.length}`), h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill', style: { width: `${pct}%` } }))),
      h('td', { class: 'seat-activity', title: info.last != null ? dateTime(info.last) : '' }, s.taken ? this.ago(info.quiet) : t('grid.never')),
      h('td', { class: 'seat-actions' }, h('div', { class: 'row-buttons' }, watch, reset)),
    );
  }

  ago(ms) {
    if (ms == null) return t('grid.never');
    const m = Math.floor(ms / 60000);
    if (m < 1) return t('grid.ago.now');
    if (m < 60) return t('grid.ago.min', { n: m });
    return t('grid.ago.hour', { n: Math.floor(m / 60) });
  }

  tick() {
    const c = this.grid && this.grid.class;
    if (!c || this.ended) return;
    const exp = validTime(c.expires);
    if (exp != null) {
      const left = exp - serverNow();
      this.remaining.textContent = formatDuration(left);
      this.timeBox.title = t('class.endsAt', { time: clock(exp) });
      const warn = left < 10 * 60000;
      this.remaining.classList.toggle('warn', warn);
      this.timeBox.classList.toggle('warn', warn);
    }
    // "last activity" and stuck marks move with the clock
    this.tickN = (this.tickN || 0) + 1;
    if (this.tickN % 15 === 0) this.renderRows();
  }

  // ----- actions

  async extend(minutes, btn) {
    btn.disabled = true;
    try {
      const c = await api('POST', `${this.base}/extend`, { minutes });
      this.error.clear('action');
      if (this.grid) this.grid.class = c;
      this.tick();
      toast(t('class.extended', { time: clock(validTime(c.expires)) }));
      this.scheduleRefresh(0);
    } catch (e) {
      if (e.status === 404) this.showEnded();
      else this.error.set(e.message, 'action');
    } finally {
      btn.disabled = false;
    }
  }

  async endClass() {
    if (!window.confirm(t('class.end.confirm'))) return;
    this.endBtn.disabled = true;
    this.ending = true;
    try {
      await api('DELETE', this.base);
      this.app.navigate('/teach');
      toast(t('class.ended'));
    } catch (e) {
      this.ending = false;
      this.endBtn.disabled = false;
      if (e.status === 404) this.showEnded();
      else this.error.set(e.message, 'action');
    }
  }

  confirmReset(n) {
    if (this.dialog) this.dialog.remove();
    const seat = this.grid && (this.grid.seats || []).find((s) => s.n === n);
    const keep = h('input', { type: 'checkbox', id: 'reset-keep' });
    const ok = h('button', { type: 'submit', id: 'reset-confirm', class: 'button danger', value: 'reset' }, t('reset.confirm'));
    const cancel = h('button', { type: 'button', id: 'reset-cancel', class: 'button' }, t('reset.cancel'));
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', null, t('reset.title', { seat: n })),
      seat && seat.taken && seat.name ? h('p', { class: 'reset-name' }, seat.name) : null,
      h('p', { class: 'muted' }, t('reset.text')),
      h('label', { class: 'check' }, keep, h('span', null, t('reset.keep'))),
      h('div', { class: 'form-actions' }, cancel, ok),
    );
    const dialog = h('dialog', { id: 'reset-dialog', class: 'dialog', dataset: { seat: String(n) } }, form);
    this.dialog = dialog;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      dialog.close();
      this.reset(n, keep.checked);
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (this.dialog === dialog) this.dialog = null;
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  }

  async reset(n, keepProgress) {
    try {
      await api('POST', `${this.base}/seats/${n}/reset`, { keepProgress });
      this.error.clear('action');
      toast(t('reset.done', { seat: n }));
      if (this.watching && this.watching.seat === n) this.closeWatch();
      this.scheduleRefresh(0);
    } catch (e) {
      if (e.status === 404 && e.code === 'class-not-found') this.showEnded();
      else this.error.set(e.message, 'action');
    }
  }

  // ----- watching a student's terminal (read-only)

  watch(n) {
    const seat = this.grid && (this.grid.seats || []).find((s) => s.n === n);
    if (!seat || !seat.nodes || !seat.nodes.length) {
      toast(t('watch.notReady'));
      return;
    }
    if (this.watching && this.watching.seat === n && this.watching.session === seat.session) return;
    this.closeWatch();
    const w = { seat: n, session: seat.session, name: seat.name, nodes: seat.nodes, terms: new Map(), active: null };
    this.watching = w;
    w.titleEl = h('span', { class: 'watch-title', id: 'watch-title' });
    w.badge = h('span', { class: 'readonly-badge', id: 'watch-readonly' });
    w.tabs = h('div', { class: 'node-tabs watch-tabs', role: 'tablist' });
    const close = h('button', { type: 'button', id: 'watch-close', class: 'button small' });
    close.addEventListener('click', () => this.closeWatch());
    w.close = close;
    w.hint = h('span', { class: 'watch-hint' });
    w.panes = h('div', { class: 'term-panes watch-panes' });
    for (const node of seat.nodes) {
      const dot = h('span', { class: 'dot', dataset: { status: 'idle' } });
      const tab = h('button', { type: 'button', class: 'node-tab watch-tab', role: 'tab', dataset: { node: node.name } }, dot, h('span', { class: 'hostname' }, h('bdi', null, node.hostname || node.name)), h('span', { class: 'role-badge', dataset: { role: node.role } }, roleLabel(node.role)));
      tab.addEventListener('click', () => this.activateWatch(node.name));
      const host = h('div', { class: 'term-host' });
      const pane = h('div', { class: 'term-pane', dataset: { node: node.name } }, host);
      w.tabs.append(tab);
      w.panes.append(pane);
      w.terms.set(node.name, { node, tab, dot, pane, host, nt: null });
    }
    replace(
      this.watchEl,
      h('div', { class: 'watch-head' }, w.titleEl, w.badge, w.hint, h('div', { class: 'spacer' }), close),
      h('div', { class: 'term-toolbar watch-toolbar' }, w.tabs),
      w.panes,
    );
    this.renderWatchHead();
    this.watchEl.hidden = false;
    this.page.classList.add('has-watch');
    const cp = seat.nodes.find((x) => x.role === 'control-plane') || seat.nodes[0];
    this.activateWatch(cp.name);
    this.renderRows();
    const row = this.rows.get(n);
    if (row) requestAnimationFrame(() => row.tr.scrollIntoView({ block: 'nearest' }));
  }

  renderWatchHead() {
    const w = this.watching;
    if (!w) return;
    w.titleEl.textContent = t('watch.title', { seat: w.seat, name: w.name || t('grid.empty') });
    w.badge.textContent = t('watch.readonly');
    w.hint.textContent = t('watch.readonlyHint');
    w.close.textContent = t('watch.close');
    for (const [, x] of w.terms) x.tab.querySelector('.role-badge').textContent = roleLabel(x.node.role);
  }

  activateWatch(name) {
    const w = this.watching;
    const x = w && w.terms.get(name);
    if (!x) return;
    w.active = name;
    for (const [n, y] of w.terms) {
      const on = n === name;
      y.tab.classList.toggle('active', on);
      y.tab.setAttribute('aria-selected', String(on));
      y.pane.classList.toggle('active', on);
    }
    if (!x.nt) {
      const nt = new NodeTerminal({
        sessionId: w.session,
        node: x.node,
        host: x.host,
        path: `${this.base}/seats/${w.seat}/nodes/${encodeURIComponent(x.node.name)}/terminal`,
        viewOnly: true,
        onStatus: (s) => {
          x.dot.dataset.status = s;
        },
        onNotice: (msg) => toast(msg),
      });
      x.nt = nt;
      hooks.terminals[x.node.name] = nt.hook();
    }
    hooks.watch = { seat: w.seat, node: name };
    requestAnimationFrame(() => x.nt && x.nt.fit());
  }

  // syncWatch closes the watch when its seat got another session (a reset) or lost its cluster.
  syncWatch() {
    const w = this.watching;
    if (!w || !this.grid) return;
    const seat = (this.grid.seats || []).find((s) => s.n === w.seat);
    if (!seat || seat.session !== w.session) this.closeWatch();
  }

  closeWatch() {
    const w = this.watching;
    if (!w) return;
    this.watching = null;
    for (const [name, x] of w.terms) {
      if (x.nt) x.nt.dispose();
      delete hooks.terminals[name];
    }
    hooks.watch = null;
    replace(this.watchEl);
    this.watchEl.hidden = true;
    if (this.page) this.page.classList.remove('has-watch');
    if (!this.stopped) this.renderRows();
  }

  // ----- the instructor's own terminal shown to the class (students watch it read-only)

  async loadMySessions() {
    if (this.stopped || this.ended || this.loadingMine) return;
    this.loadingMine = true;
    try {
      const data = await api('GET', '/api/sessions');
      this.mySessions = (data && data.sessions) || [];
      this.error.clear('mine');
    } catch (e) {
      if (!this.stopped) this.error.set(e.message, 'mine');
    } finally {
      this.loadingMine = false;
    }
    this.renderBroadcast();
  }

  renderBroadcast() {
    const c = this.grid && this.grid.class;
    if (!c || this.ended || this.stopped) return;
    const b = c.broadcast || null;
    const mine = this.mySessions;
    const sig = JSON.stringify([b, mine && mine.map((s) => [s.id, s.state, s.title, s.nodes]), this.bcastBusy, lang()]);
    if (sig === this.bcastSig) return;
    this.bcastSig = sig;
    this.bcastEl.hidden = false;
    const title = h('h2', null, t('broadcast.title'));
    if (b) {
      const s = (mine || []).find((x) => x.id === b.session);
      const what = s ? `${b.hostname || b.node} · ${s.title || s.lab}` : b.hostname || b.node;
      const open = h('a', { id: 'broadcast-open', class: 'button small', href: `/s/${encodeURIComponent(b.session)}`, target: '_blank', rel: 'noopener' }, t('broadcast.open'));
      const stop = h('button', { type: 'button', id: 'broadcast-stop', class: 'button small danger', disabled: this.bcastBusy }, t('broadcast.stop'));
      stop.addEventListener('click', () => this.stopBroadcast());
      replace(
        this.bcastEl,
        title,
        h('div', { class: 'broadcast-row' }, h('span', { id: 'broadcast-on', class: 'broadcast-on', dataset: { session: b.session, node: b.node } }, h('span', { class: 'live-mark', 'aria-hidden': 'true' }), t('broadcast.on', { what })), h('div', { class: 'spacer' }), open, stop),
      );
      return;
    }
    const reload = h('button', { type: 'button', id: 'broadcast-reload', class: 'button small', title: t('broadcast.reload') }, t('broadcast.reload'));
    reload.addEventListener('click', () => this.loadMySessions());
    const text = h('p', { class: 'muted broadcast-text' }, t('broadcast.text'));
    if (mine === null) {
      replace(this.bcastEl, title, text, h('p', { class: 'muted' }, t('teach.loading')));
      return;
    }
    // Every node of the ready sessions; the others are named but cannot be picked (a paused session
    // wakes when its own page is opened).
    const options = [];
    for (const s of mine) {
      const name = s.title || s.lab;
      if (s.state !== 'ready' || !s.nodes || !s.nodes.length) {
        options.push(h('option', { disabled: true }, `${name} (${t(`state.${s.state}`)})`));
        continue;
      }
      for (const n of s.nodes) {
        const value = `${s.id} ${n.name}`;
        options.push(h('option', { value, selected: value === this.bcastPick, dataset: { role: n.role } }, `${name} · ${n.hostname || n.name} (${roleLabel(n.role)})`));
      }
    }
    if (!options.some((o) => !o.disabled)) {
      const home = h('a', { id: 'broadcast-home', class: 'button small', href: '/', target: '_blank', rel: 'noopener' }, t('broadcast.home'));
      replace(this.bcastEl, title, text, h('div', { class: 'broadcast-row' }, h('p', { id: 'broadcast-none', class: 'muted' }, t('broadcast.none')), h('div', { class: 'spacer' }), home, reload));
      return;
    }
    const pick = h('select', { id: 'broadcast-node', class: 'input small', 'aria-label': t('broadcast.pick') }, options);
    if (!this.bcastPick || !options.some((o) => o.value === this.bcastPick && !o.disabled)) {
      // The control plane of the newest session (the list comes newest first).
      const first = options.find((o) => !o.disabled && o.dataset.role === 'control-plane') || options.find((o) => !o.disabled);
      this.bcastPick = first.value;
      pick.value = first.value;
    }
    pick.addEventListener('change', () => {
      this.bcastPick = pick.value;
    });
    const start = h('button', { type: 'button', id: 'broadcast-start', class: 'button small primary', disabled: this.bcastBusy }, t(this.bcastBusy ? 'broadcast.starting' : 'broadcast.start'));
    start.addEventListener('click', () => this.startBroadcast(pick.value));
    replace(this.bcastEl, title, text, h('div', { class: 'broadcast-row' }, h('label', { class: 'field-label', for: 'broadcast-node' }, t('broadcast.pick')), pick, start, reload));
  }

  async startBroadcast(value) {
    const [session, node] = String(value || '').split(' ');
    if (!session || !node || this.bcastBusy) return;
    this.bcastBusy = true;
    this.renderBroadcast();
    try {
      const c = await api('PUT', `${this.base}/broadcast`, { session, node });
      this.error.clear('action');
      if (this.grid && c) this.grid.class = c;
      toast(t('broadcast.started.toast'));
    } catch (e) {
      if (e.status === 404 && e.code === 'class-not-found') this.showEnded();
      else {
        this.error.set(e.message, 'action');
        this.loadMySessions(); // the session may have ended meanwhile
      }
    } finally {
      this.bcastBusy = false;
      this.renderBroadcast();
    }
  }

  async stopBroadcast() {
    this.bcastBusy = true;
    this.renderBroadcast();
    try {
      await api('DELETE', `${this.base}/broadcast`);
      this.error.clear('action');
      if (this.grid && this.grid.class) delete this.grid.class.broadcast;
      toast(t('broadcast.stopped.toast'));
    } catch (e) {
      if (e.status === 404 && e.code === 'class-not-found') this.showEnded();
      else this.error.set(e.message, 'action');
    } finally {
      this.bcastBusy = false;
      this.renderBroadcast();
    }
  }

  // ----- the end

  showEnded() {
    if (this.ended && this.endedShown === lang()) return;
    this.ended = true;
    this.endedShown = lang();
    clearTimeout(this.pollTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.esTimer);
    if (this.es) this.es.close();
    this.es = null;
    this.closeWatch();
    if (this.dialog) this.dialog.close();
    this.actions.hidden = true;
    this.setLive(false);
    const card = h(
      'div',
      { class: 'status-card fatal', id: 'class-ended' },
      h('p', { id: 'error', role: 'alert' }, t('class.ended.text')),
      h('a', { class: 'button primary', href: '/teach', 'data-route': true }, t('class.back')),
    );
    replace(this.main, card);
  }
}
