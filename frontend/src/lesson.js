import { api } from './api.js';
import { copyText } from './clipboard.js';
import { hooks, toast } from './common.js';
import { h, icon, replace } from './dom.js';
import { lang, t } from './i18n.js';

// LessonPanel is the session page's #lesson: the lab's intro, its steps and its finish page, from
//
//   GET  /api/sessions/{id}/lesson                  the lesson and every step's stored check status
//   POST /api/sessions/{id}/lesson/steps/{n}/check  runs step n's check (up to ~15 s)
//   POST /api/sessions/{id}/lesson/steps/{n}/enter  the student opened page n (0 intro, N+1 finish);
//                                                   answers a foreground command to type, or ""
//
// Pages are numbered like the server's steps: 0 is the intro, 1..N the steps, N+1 the finish page.
// A session without a lesson (a playground) answers 404: the panel hides and the terminals take the
// whole width.
//
// The step HTML is rendered by the server from the lab's Markdown (trusted). Its code blocks
// <pre data-kp-action="exec|copy" [data-kp-interrupt="1"] [data-kp-node="NODE"]> get a run or copy
// button; inline <code data-kp-action="exec|copy"> is clickable.
//
// Auto-check: after Enter in a terminal (or a run button), once that terminal has printed nothing
// for QUIET_MS, the step on screen is checked quietly (a failure only updates the status), at most
// once per AUTO_EVERY_MS and never while another check runs.

const QUIET_MS = 1500;
const AUTO_EVERY_MS = 3000;
const FEEDBACK_MS = 1400;
const ENTER_RETRIES = 20;
const ENTER_RETRY_MS = 3000;
const LOAD_RETRY_MS = 5000;
const VISITED_KEY = 'kubeplay.lessonVisited.';

function stepState(s) {
  return (s && s.status && s.status.state) || 'none';
}

// stepDone: the step passed once (the server keeps it done even when a later check fails).
function stepDone(s) {
  return stepState(s) === 'passed' || !!(s && s.status && s.status.done);
}

// commandText is what a run types: the code's lines joined with Enter (\r), and a last Enter.
export function commandText(code) {
  const s = String(code || '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '');
  if (!s.trim()) return '';
  return `${s.split('\n').join('\r')}\r`;
}

function codeOf(el) {
  return (el.textContent || '').replace(/\r\n?/g, '\n').replace(/\n+$/, '');
}

function readVisited(id) {
  try {
    return Number(localStorage.getItem(VISITED_KEY + id)) || 0;
  } catch (e) {
    return 0;
  }
}

function storeVisited(id, p) {
  try {
    localStorage.setItem(VISITED_KEY + id, String(p));
  } catch (e) {
    // private mode
  }
}

function formatTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  try {
    return d.toLocaleTimeString(lang() === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  } catch (e) {
    return '';
  }
}

export class LessonPanel {
  // sessionId; bridge, from the session page:
  //   ready() -> bool                        the terminals exist
  //   type(node, text, {interrupt}) -> name  types text into node's terminal ('' or unknown: the one
  //                                          on screen), shows it; null when there is no terminal
  //   lastOutput(names) -> ms                when any of those terminals last printed something
  //   nodeLabel(node) -> string              how to name that node to the student (its host name)
  // onPresence(shown): false when the session has no lesson (the panel is hidden then).
  constructor({ sessionId, bridge, onPresence }) {
    this.id = sessionId;
    this.bridge = bridge;
    this.onPresence = onPresence || (() => {});
    this.lesson = null;
    this.lessonLang = '';
    this.none = false;
    this.page = -1;
    this.loadSeq = 0;
    this.entered = new Set(); // pages whose enter call was made (or is waiting for the terminals)
    this.toEnter = []; // pages opened before the terminals existed, in the order they were opened
    this.enterChain = Promise.resolve();
    this.timers = new Set();
    this.checkRun = null; // {n, quiet, promise}
    this.checkError = null; // {n, message}: the last manual check's error, shown until the next check
    this.armedAt = 0;
    this.armedNodes = new Set();
    this.lastAutoAt = 0;
    this.autoTimer = 0;
    this.suppressArm = false;
    this.maxVisited = readVisited(sessionId); // the furthest page this browser showed
    this.build();
    this.installHooks();
  }

  build() {
    this.labEl = h('p', { id: 'lesson-lab', class: 'lesson-lab' });
    this.stepsEl = h('ol', { id: 'lesson-steps', class: 'lesson-steps' });
    this.stepsNav = h('nav', { class: 'lesson-steps-nav' }, this.stepsEl);
    this.head = h('header', { class: 'lesson-head', hidden: true }, this.labEl, this.stepsNav);
    this.message = h('div', { class: 'lesson-message' });
    this.kicker = h('p', { id: 'lesson-kicker', class: 'lesson-kicker' });
    this.titleEl = h('h2', { id: 'lesson-page-title', class: 'lesson-page-title', tabindex: '-1' });
    this.content = h('div', { id: 'lesson-content', class: 'lesson-content' });
    this.extras = h('div', { class: 'lesson-extras' });
    this.body = h('div', { id: 'lesson-body', class: 'lesson-body', hidden: true }, this.kicker, this.titleEl, this.content, this.extras);
    this.statusEl = h('div', { id: 'lesson-status', class: 'lesson-status', role: 'status', 'aria-live': 'polite', dataset: { state: 'none' } });
    this.checkBtn = h('button', { type: 'button', id: 'lesson-check', class: 'button', onclick: () => this.onCheckClick() });
    this.prevBtn = h('button', { type: 'button', id: 'lesson-prev', class: 'button', onclick: () => this.goto(this.page - 1) });
    this.nextBtn = h('button', { type: 'button', id: 'lesson-next', class: 'button', onclick: () => this.goto(this.page + 1) });
    this.footer = h(
      'div',
      { class: 'lesson-footer', hidden: true },
      this.statusEl,
      h('div', { class: 'lesson-actions' }, this.prevBtn, h('span', { class: 'spacer' }), this.checkBtn, this.nextBtn),
    );
    this.el = h('aside', { id: 'lesson', 'aria-labelledby': 'lesson-page-title' }, this.head, this.message, this.body, this.footer);
    this.showMessage('loading');
  }

  installHooks() {
    const self = this;
    hooks.lesson = {
      get loaded() {
        return !!self.lesson;
      },
      get none() {
        return self.none;
      },
      get lab() {
        return self.lesson ? self.lesson.lab : '';
      },
      get lang() {
        return self.lessonLang;
      },
      get current() {
        return self.lesson ? self.lesson.current : 0;
      },
      get steps() {
        return self.lesson ? self.lesson.steps.map(stepState) : [];
      },
      get messages() {
        return self.lesson ? self.lesson.steps.map((s) => (s.status && s.status.message) || '') : [];
      },
      get page() {
        return self.page;
      },
      get pages() {
        return self.lesson ? self.lesson.steps.length + 2 : 0;
      },
      get checking() {
        return self.checkRun ? self.checkRun.n : 0;
      },
      check: (n) => self.check(n == null ? self.page : n, false),
      goto: (n) => self.goto(n),
    };
  }

  dispose() {
    this.disposed = true;
    this.loadSeq++;
    clearTimeout(this.autoTimer);
    for (const id of this.timers) clearTimeout(id);
    this.timers.clear();
    hooks.lesson = null;
  }

  later(fn, ms) {
    const id = setTimeout(() => {
      this.timers.delete(id);
      if (!this.disposed) fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  // ---------- loading ----------

  async load() {
    const seq = ++this.loadSeq;
    const l = lang();
    if (!this.lesson) this.showMessage('loading');
    try {
      const data = await api('GET', `/api/sessions/${encodeURIComponent(this.id)}/lesson`);
      if (this.disposed || seq !== this.loadSeq) return;
      if (!data || !Array.isArray(data.steps)) throw new Error(t('error.http', { status: 200 }));
      this.setLesson(data, l);
    } catch (e) {
      if (this.disposed || seq !== this.loadSeq) return;
      if (e.status === 404) {
        this.setNone();
        return;
      }
      // keep what is on screen (a failed language switch leaves the old language), retry later
      if (!this.lesson) this.showMessage('error', e.message);
      this.later(() => {
        if (seq === this.loadSeq) this.load();
      }, LOAD_RETRY_MS);
    }
  }

  relang() {
    if (this.none || this.disposed) return;
    if (this.lesson) this.render(); // the UI strings now, the lesson's text when it comes
    else this.showMessage(this.messageKind, this.messageText);
    this.load();
  }

  setNone() {
    this.none = true;
    this.lesson = null;
    this.el.hidden = true;
    this.onPresence(false);
  }

  showMessage(kind, text) {
    this.messageKind = kind;
    this.messageText = text || '';
    this.head.hidden = true;
    this.body.hidden = true;
    this.footer.hidden = true;
    this.message.hidden = false;
    if (kind === 'error') {
      replace(
        this.message,
        h('p', { class: 'lesson-error', role: 'alert' }, t('lesson.loadFailed', { error: text || '' })),
        h('button', { type: 'button', class: 'button small', onclick: () => this.load() }, t('lesson.retry')),
      );
    } else {
      replace(this.message, h('p', { class: 'muted' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', t('lesson.loading')));
    }
  }

  setLesson(data, l) {
    const first = !this.lesson;
    if (this.none) {
      this.none = false;
      this.el.hidden = false;
      this.onPresence(true);
    }
    data.steps = data.steps.map((s, i) => ({ ...s, index: Number(s.index) || i + 1, status: s.status || { state: 'none' } }));
    this.lesson = data;
    this.lessonLang = l;
    // Fetched before the cluster was ready, run blocks name nodes as the lab does (node2, worker);
    // terminalsReady fetches again for the session's node names.
    this.staleNodes = !this.bridge.ready();
    const last = this.lastPage();
    let cur = Number(data.current);
    if (!Number.isFinite(cur) || cur < 1) cur = 1;
    data.current = Math.min(cur, last);
    let page = this.page;
    if (first) {
      // Open at the first step not passed; a lesson nobody has started yet opens at its intro
      // (whose enter call may prepare the terminal).
      const fresh = data.current <= 1 && data.steps.every((s) => stepState(s) === 'none') && this.maxVisited < 1;
      page = fresh ? 0 : data.current;
    }
    page = Math.max(0, Math.min(page, last));
    if (!this.reachable(page)) page = this.maxReachable();
    this.message.hidden = true;
    this.head.hidden = false;
    this.body.hidden = false;
    this.footer.hidden = false;
    this.show(page, first);
  }

  // ---------- pages ----------

  lastPage() {
    return this.lesson ? this.lesson.steps.length + 1 : 0;
  }

  stepAt(p) {
    return this.lesson && p >= 1 && p <= this.lesson.steps.length ? this.lesson.steps[p - 1] : null;
  }

  // passable: "next" may leave page p (the intro, a step without a check, a step passed, or one
  // before the server's current).
  passable(p) {
    const s = this.stepAt(p);
    return !s || !s.check || stepDone(s) || p < this.lesson.current;
  }

  maxReachable() {
    if (!this.lesson) return 0;
    for (let p = 1; p <= this.lesson.steps.length; p++) if (!this.passable(p)) return p;
    return this.lastPage();
  }

  reachable(p) {
    return !!this.lesson && p >= 0 && p <= this.maxReachable();
  }

  // goto shows page p if the steps before it allow it; false when not.
  goto(p) {
    p = Number(p);
    if (!this.lesson || !Number.isInteger(p) || !this.reachable(p)) return false;
    if (p !== this.page) this.show(p, false);
    return true;
  }

  show(p, first) {
    const changed = p !== this.page;
    this.page = p;
    if (changed && this.checkError && this.checkError.n !== p) this.checkError = null;
    if (p > this.maxVisited) {
      this.maxVisited = p;
      storeVisited(this.id, p);
    }
    this.render();
    if (changed && !first) this.body.scrollTop = 0;
    this.enter(p);
    if (changed) this.disarm();
  }

  render() {
    const l = this.lesson;
    if (!l) return;
    const p = this.page;
    const n = l.steps.length;
    this.el.lang = this.lessonLang;
    this.el.dataset.page = String(p);
    this.el.dataset.lab = l.lab || '';
    this.labEl.textContent = l.title || l.lab || '';
    this.stepsNav.setAttribute('aria-label', t('lesson.steps'));
    this.renderSteps();

    let title = '';
    let html = '';
    const s = this.stepAt(p);
    if (p === 0) {
      this.kicker.textContent = t('lesson.intro');
      title = (l.intro && l.intro.title) || t('lesson.intro');
      html = (l.intro && l.intro.html) || '';
    } else if (s) {
      this.kicker.textContent = t('lesson.stepOf', { n: p, total: n });
      title = s.title || t('lesson.step', { n: p });
      html = s.html || '';
    } else {
      this.kicker.textContent = t('lesson.finish');
      title = (l.finish && l.finish.title) || t('lesson.finish');
      html = (l.finish && l.finish.html) || '';
    }
    this.titleEl.textContent = title;
    this.content.innerHTML = html; // server-rendered from the lab's Markdown: trusted
    // Lab texts often start with their title as a heading (Killercoda's do): it is the page's
    // title already.
    const lead = this.content.firstElementChild;
    if (lead && /^H[1-3]$/.test(lead.tagName) && lead.textContent.trim() === title.trim()) lead.remove();
    this.enhance(this.content);

    const extras = [];
    if (s && s.hint) extras.push(this.details('hint', t('lesson.hint'), s.hint));
    if (s && s.solution) extras.push(this.details('solution', t('lesson.solution'), s.solution));
    replace(this.extras, extras);
    this.extras.hidden = extras.length === 0;

    this.renderStatus();
    this.renderNav();
  }

  details(kind, label, html) {
    const inner = h('div', { class: 'lesson-details-body lesson-content' });
    inner.innerHTML = html;
    this.enhance(inner);
    return h('details', { id: `lesson-${kind}`, class: `lesson-details lesson-${kind}` }, h('summary', null, label), inner);
  }

  renderSteps() {
    const l = this.lesson;
    const n = l.steps.length;
    const max = this.maxReachable();
    const items = [];
    for (let p = 0; p <= n + 1; p++) {
      const s = this.stepAt(p);
      let label;
      let name;
      let state = 'none';
      let kind = 'step';
      if (p === 0) {
        kind = 'intro';
        label = t('lesson.intro');
        name = label;
        if (this.maxVisited > 0) state = 'seen';
      } else if (s) {
        label = String(p);
        name = `${t('lesson.step', { n: p })}: ${s.title || ''}`;
        state = s.check ? stepState(s) : p < this.maxVisited ? 'seen' : 'none';
        if (s.check && state !== 'none') name += ` (${t(`lesson.state.${state}`)})`;
      } else {
        kind = 'finish';
        label = t('lesson.finish');
        name = label;
      }
      const locked = p > max;
      if (locked) name += ` (${t('lesson.locked')})`;
      const btn = h(
        'button',
        {
          type: 'button',
          class: `lesson-step ${kind}`,
          dataset: { page: String(p), state },
          disabled: locked,
          title: name,
          'aria-label': name,
          'aria-current': p === this.page ? 'step' : null,
          onclick: () => this.goto(p),
        },
        state === 'passed' ? icon('check') : null,
        h('span', { class: 'lesson-step-label' }, label),
      );
      items.push(h('li', null, btn));
    }
    replace(this.stepsEl, items);
  }

  renderNav() {
    const p = this.page;
    const s = this.stepAt(p);
    const last = this.lastPage();
    const checkStep = !!(s && s.check);
    const passed = checkStep && stepDone(s);
    const busy = !!this.checkRun;

    this.checkBtn.hidden = !checkStep;
    this.checkBtn.disabled = busy;
    this.checkBtn.setAttribute('aria-busy', String(busy && this.checkRun.n === p));
    this.checkBtn.classList.toggle('primary', checkStep && !passed);
    replace(this.checkBtn, busy && this.checkRun.n === p ? h('span', { class: 'spinner small', 'aria-hidden': 'true' }) : null, t(busy && this.checkRun.n === p ? 'lesson.checking' : 'lesson.check'));

    this.prevBtn.disabled = p <= 0;
    this.prevBtn.textContent = t('lesson.prev');

    this.nextBtn.hidden = p >= last;
    const can = this.passable(p);
    this.nextBtn.disabled = !can;
    this.nextBtn.classList.toggle('primary', can);
    this.nextBtn.textContent = t(p === 0 ? 'lesson.start' : p === last - 1 ? 'lesson.toFinish' : 'lesson.next');
    this.nextBtn.title = can ? '' : t('lesson.next.locked');
  }

  // renderStatus is #lesson-status, data-state none|checking|passed|failed|error.
  renderStatus() {
    const p = this.page;
    const s = this.stepAt(p);
    let state = 'none';
    const kids = [];
    if (s && s.check) {
      const run = this.checkRun;
      if (run && run.n === p && !run.quiet) {
        state = 'checking';
        kids.push(h('p', { class: 'lesson-status-head' }, h('span', { class: 'spinner small', 'aria-hidden': 'true' }), t('lesson.checking')));
      } else if (this.checkError && this.checkError.n === p) {
        state = 'error';
        kids.push(h('p', { class: 'lesson-status-head' }, t('lesson.checkError')), h('pre', { class: 'lesson-status-msg' }, this.checkError.message || ''));
      } else {
        const st = s.status || {};
        state = st.state === 'passed' || st.state === 'failed' ? st.state : 'none';
        if (state !== 'none') {
          const when = formatTime(st.checkedAt);
          const meta = [when ? t('lesson.checkedAt', { time: when }) : '', st.auto ? t('lesson.auto') : ''].filter(Boolean).join(' · ');
          kids.push(
            h(
              'p',
              { class: 'lesson-status-head' },
              h('span', { class: 'lesson-status-icon', 'aria-hidden': 'true' }, state === 'passed' ? icon('check') : '!'),
              h('span', { class: 'lesson-status-label' }, t(`lesson.${state}`)),
              meta ? h('span', { class: 'lesson-status-meta' }, meta) : null,
            ),
          );
          if (st.message) kids.push(h('pre', { class: 'lesson-status-msg' }, st.message));
        }
      }
    }
    this.statusEl.dataset.state = state;
    replace(this.statusEl, kids);
  }

  // ---------- enter ----------

  enter(p) {
    if (this.entered.has(p)) return;
    this.entered.add(p);
    if (!this.bridge.ready()) {
      this.toEnter.push(p);
      return;
    }
    this.queueEnter(p);
  }

  // terminalsReady: the session's terminals exist now; pages opened before get their enter call.
  terminalsReady() {
    const pages = this.toEnter;
    this.toEnter = [];
    for (const p of pages) this.queueEnter(p);
    if (this.lesson && this.staleNodes) this.load();
  }

  // queueEnter makes the enter calls one after another, so foreground commands are typed in order.
  queueEnter(p, tries = 0) {
    this.enterChain = this.enterChain.then(() => this.callEnter(p, tries));
  }

  async callEnter(p, tries) {
    if (this.disposed) return;
    let r;
    try {
      r = await api('POST', `/api/sessions/${encodeURIComponent(this.id)}/lesson/steps/${p}/enter`);
    } catch (e) {
      // the cluster is waking up, or the network blinked: the server runs a page's setup once, so
      // asking again is safe
      const again = e.status === 0 || e.status === 409 || e.status === 429 || e.status >= 500;
      if (again && tries < ENTER_RETRIES) this.later(() => this.queueEnter(p, tries + 1), ENTER_RETRY_MS);
      return;
    }
    if (this.disposed) return;
    const cmd = commandText(r && r.foreground);
    if (!cmd) return;
    this.suppressArm = true; // the page's own setup is not the student's answer
    try {
      this.bridge.type('', cmd, {});
    } finally {
      this.suppressArm = false;
    }
  }

  // ---------- checks ----------

  onCheckClick() {
    const p = this.page;
    this.check(p, false)
      .then((r) => {
        if (r && r.state === 'passed' && this.page === p && !this.nextBtn.hidden && !this.nextBtn.disabled) this.nextBtn.focus();
      })
      .catch(() => {});
  }

  // check runs step n's check. quiet (the auto-check): no "checking" status and no error shown, and
  // skipped (null) when another check is running. A manual check waits for a running one.
  check(n, quiet) {
    n = Number(n);
    const s = this.stepAt(n);
    if (!s || !s.check) return Promise.reject(new Error(`step ${n} has no check`));
    if (this.checkRun) {
      if (quiet) return Promise.resolve(null);
      return this.checkRun.promise.catch(() => {}).then(() => this.check(n, false));
    }
    const run = { n, quiet };
    this.checkRun = run;
    if (!quiet && this.checkError && this.checkError.n === n) this.checkError = null;
    if (n === this.page) {
      this.renderStatus();
      this.renderNav();
    }
    run.promise = (async () => {
      try {
        const r = await api('POST', `/api/sessions/${encodeURIComponent(this.id)}/lesson/steps/${n}/check`);
        if (this.disposed || !this.lesson) return r;
        const step = this.stepAt(n); // the lesson may have been reloaded in another language meanwhile
        if (step && r) step.status = { state: r.state || 'failed', message: r.message || '', checkedAt: r.checkedAt || '', done: !!r.done || stepDone(step) || r.state === 'passed', auto: quiet };
        if (r && Number.isFinite(Number(r.current))) this.lesson.current = Math.max(1, Math.min(Number(r.current), this.lastPage()));
        return r;
      } catch (e) {
        if (!quiet) this.checkError = { n, message: e.message || String(e) };
        throw e;
      } finally {
        if (this.checkRun === run) this.checkRun = null;
        if (!this.disposed && this.lesson) {
          this.renderSteps();
          if (n === this.page) this.renderStatus();
          this.renderNav();
        }
      }
    })();
    return run.promise;
  }

  // ---------- auto-check ----------

  autoEligible() {
    const s = this.stepAt(this.page);
    return !!(s && s.check && !stepDone(s));
  }

  // noteInput: the student typed data into node's terminal.
  noteInput(node, data) {
    if (this.suppressArm || !/[\r\n]/.test(data)) return;
    this.arm(node);
  }

  arm(node) {
    if (this.disposed || !this.autoEligible()) return;
    this.armedAt = Date.now();
    if (node) this.armedNodes.add(node);
    this.scheduleAuto(QUIET_MS);
  }

  disarm() {
    this.armedAt = 0;
    this.armedNodes.clear();
    clearTimeout(this.autoTimer);
    this.autoTimer = 0;
  }

  scheduleAuto(ms) {
    clearTimeout(this.autoTimer);
    this.autoTimer = setTimeout(() => this.autoTick(), Math.max(50, ms));
  }

  autoTick() {
    this.autoTimer = 0;
    if (this.disposed || !this.armedAt) return;
    if (!this.autoEligible()) {
      this.disarm();
      return;
    }
    const now = Date.now();
    const quietSince = Math.max(this.armedAt, this.bridge.lastOutput([...this.armedNodes]) || 0);
    let wait = Math.max(quietSince + QUIET_MS - now, this.lastAutoAt + AUTO_EVERY_MS - now);
    if (this.checkRun) wait = Math.max(wait, 500);
    if (wait > 0) {
      this.scheduleAuto(wait);
      return;
    }
    const p = this.page;
    this.disarm();
    this.lastAutoAt = now;
    this.check(p, true).catch(() => {}); // quiet: a failure to check is not shown
  }

  // ---------- code blocks ----------

  enhance(root) {
    for (const a of root.querySelectorAll('a[href]')) {
      if (/^https?:\/\//i.test(a.getAttribute('href')) && !a.target) {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
    }
    for (const pre of root.querySelectorAll('pre[data-kp-action]')) {
      const action = pre.dataset.kpAction;
      if (action !== 'exec' && action !== 'copy') continue;
      const code = pre.querySelector('code') || pre;
      const wrap = h('div', { class: `kp-block kp-block-${action}` });
      pre.replaceWith(wrap);
      wrap.append(pre);
      let btn;
      if (action === 'exec') {
        const node = pre.dataset.kpNode || '';
        const interrupt = pre.dataset.kpInterrupt === '1' || pre.dataset.kpInterrupt === 'true';
        const title = node ? t('lesson.run.titleNode', { node: this.bridge.nodeLabel(node) }) : t('lesson.run.title');
        btn = h('button', { type: 'button', class: 'kp-button kp-run', title }, this.buttonLabel('run'));
        btn.addEventListener('click', () => {
          if (this.run(codeOf(code), node, interrupt)) this.feedback(btn, 'lesson.sent', 'run');
        });
      } else {
        btn = h('button', { type: 'button', class: 'kp-button kp-copy', title: t('lesson.copy.title') }, this.buttonLabel('copy'));
        btn.addEventListener('click', () => {
          copyText(codeOf(code));
          this.feedback(btn, 'lesson.copied', 'copy');
        });
      }
      wrap.append(h('div', { class: 'kp-tools' }, btn));
    }
    for (const code of root.querySelectorAll('code[data-kp-action]')) {
      if (code.closest('pre')) continue;
      const action = code.dataset.kpAction;
      if (action !== 'exec' && action !== 'copy') continue;
      const node = code.dataset.kpNode || '';
      const interrupt = code.dataset.kpInterrupt === '1' || code.dataset.kpInterrupt === 'true';
      code.classList.add('kp-inline', `kp-inline-${action}`);
      code.tabIndex = 0;
      code.setAttribute('role', 'button');
      code.title = action === 'exec' ? (node ? t('lesson.inline.execNode', { node: this.bridge.nodeLabel(node) }) : t('lesson.inline.exec')) : t('lesson.inline.copy');
      const act = () => {
        if (action === 'exec') {
          if (this.run(codeOf(code), node, interrupt)) this.flash(code, 'lesson.sent');
        } else {
          copyText(codeOf(code));
          this.flash(code, 'lesson.copied');
        }
      };
      code.addEventListener('click', act);
      code.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          act();
        }
      });
    }
  }

  buttonLabel(kind) {
    return [h('span', { class: `kp-glyph kp-glyph-${kind}`, 'aria-hidden': 'true' }), h('span', { class: 'kp-label' }, t(kind === 'run' ? 'lesson.run' : 'lesson.copy'))];
  }

  // run types code into a terminal (the node's, or the one on screen) and arms the auto-check.
  run(code, node, interrupt) {
    const text = commandText(code);
    if (!text) return false;
    const name = this.bridge.type(node, text, { interrupt });
    if (!name) {
      toast(t('lesson.noTerminal'));
      return false;
    }
    this.arm(name);
    return true;
  }

  feedback(btn, key, kind) {
    clearTimeout(btn.feedbackTimer);
    btn.classList.add('done');
    replace(btn, h('span', { class: 'kp-glyph kp-glyph-done', 'aria-hidden': 'true' }), h('span', { class: 'kp-label' }, t(key)));
    btn.feedbackTimer = setTimeout(() => {
      btn.classList.remove('done');
      replace(btn, this.buttonLabel(kind));
    }, FEEDBACK_MS);
  }

  flash(el, key) {
    clearTimeout(el.feedbackTimer);
    el.dataset.kpFeedback = t(key);
    el.feedbackTimer = setTimeout(() => delete el.dataset.kpFeedback, FEEDBACK_MS);
  }
}
