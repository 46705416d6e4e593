import { api, labs, serverNow } from './api.js';
import { brand, errorBanner, hooks, langSwitch, toast } from './common.js';
import { formatDuration, h, icon, replace } from './dom.js';
import { roleLabel, stageLabel, t, translate } from './i18n.js';
import { rejoinPath } from './join.js';
import { LessonPanel } from './lesson.js';
import { NodeTerminal } from './terminal.js';

const WARN_UNDER = 5 * 60 * 1000;
const LESSON_WIDTH_KEY = 'kubeplay.lessonWidth';
const LESSON_HEIGHT_KEY = 'kubeplay.lessonHeight';
const SPLIT_KEY = 'kubeplay.split';
const DEFAULT_LESSON_WIDTH = 38;
const DEFAULT_LESSON_HEIGHT = 42;
// Below this width the lesson sits above the terminals (app.css has the same number).
const STACKED = '(max-width: 820px)';
const INTERRUPT_DELAY_MS = 150; // after ^C, before a command: the shell gets its prompt back first
// The instructor's screen's key among the panes: no node is named so (container names have no '#').
const BROADCAST = '#broadcast';

function stageField(s, k) {
  return s[k] ?? s[k.toLowerCase()];
}

function readNumber(key, def) {
  try {
    const v = Number(localStorage.getItem(key));
    return Number.isFinite(v) && v > 0 ? v : def;
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

// SessionPage is /s/{id}: top bar, lesson panel, and one terminal per node.
export class SessionPage {
  constructor(root, id, app) {
    this.root = root;
    this.id = id;
    this.app = app;
    this.view = null;
    this.terms = new Map(); // node name -> {nt, tab, pane, ...}
    this.bcast = null; // the instructor's terminal shown to the class: {key, node, nt, tab, pane, ...}
    this.active = null; // a node name, or BROADCAST
    this.lastNode = null; // the node terminal on screen last (a lesson's command goes there)
    this.split = readNumber(SPLIT_KEY, 0) === 1;
    this.fatal = false;
    this.pollTimer = 0;
    this.labTitle = '';
  }

  mount() {
    this.remaining = h('span', { id: 'remaining', class: 'remaining' }, '--:--');
    this.extendBtn = h('button', { type: 'button', id: 'extend', class: 'button', 'data-i18n': 'session.extend', onclick: () => this.extend() });
    this.endBtn = h('button', { type: 'button', id: 'end', class: 'button danger', 'data-i18n': 'session.end', onclick: () => this.end() });
    this.titleEl = h('span', { class: 'lab-title', id: 'lab-title' }, this.id);
    this.lang = langSwitch((l) => this.app.switchLang(l));
    this.timeBox = h('div', { class: 'time-box', hidden: true }, h('span', { class: 'label', 'data-i18n': 'session.remaining' }), this.remaining);
    this.error = errorBanner();

    this.lessonPanel = new LessonPanel({
      sessionId: this.id,
      bridge: {
        ready: () => this.terms.size > 0,
        type: (node, text, opts) => this.typeInto(node, text, opts),
        lastOutput: (names) => this.lastOutput(names),
        nodeLabel: (key) => {
          const x = this.terms.get(this.matchNode(key));
          return x ? x.node.hostname || x.node.name : key;
        },
      },
      onPresence: (shown) => this.showLesson(shown),
    });
    this.lesson = this.lessonPanel.el;
    this.lesson.style.width = `${readNumber(LESSON_WIDTH_KEY, DEFAULT_LESSON_WIDTH)}%`;
    this.lesson.style.setProperty('--lesson-height', `${readNumber(LESSON_HEIGHT_KEY, DEFAULT_LESSON_HEIGHT)}%`);
    this.splitter = h('div', {
      class: 'splitter',
      role: 'separator',
      tabindex: '0',
      'aria-orientation': 'vertical',
      'data-i18n-title': 'lesson.resize',
    });

    this.tabs = h('div', { class: 'node-tabs', role: 'tablist' });
    this.splitBtn = h('button', { type: 'button', id: 'split', class: 'button small', hidden: true, onclick: () => this.setSplit(!this.split) });
    this.hint = h('span', { class: 'hint', 'data-i18n': 'terminal.hint' });
    this.toolbar = h('div', { class: 'term-toolbar', hidden: true }, this.tabs, this.splitBtn);
    this.panes = h('div', { class: 'term-panes' });
    this.footer = h('div', { class: 'term-footer', hidden: true }, this.hint);
    this.status = h('div', { class: 'status-panel' });
    this.termArea = h('section', { class: 'terminal-area' }, this.toolbar, this.panes, this.footer, this.status);
    this.workspace = h('main', { class: 'workspace' }, this.lesson, this.splitter, this.termArea);

    this.page = h(
      'div',
      { class: 'page session-page' },
      h('header', { class: 'topbar' }, brand(), h('span', { class: 'divider', 'aria-hidden': 'true' }), this.titleEl, h('div', { class: 'spacer' }), this.timeBox, this.extendBtn, this.endBtn, this.lang),
      this.error,
      this.workspace,
    );
    replace(this.root, this.page);
    document.body.classList.add('full');
    this.setupSplitter();
    this.renderStatus('loading');
    translate(this.page);
    this.syncSplitButton();

    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.loadTitle();
    this.lessonPanel.load();
    this.poll();
  }

  unmount() {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.tickTimer);
    this.lessonPanel.dispose();
    if (this.stackedQuery) this.stackedQuery.removeEventListener('change', this.onStackedChange);
    this.disposeTerminals();
    hooks.state = null;
    document.body.classList.remove('full', 'dragging', 'stacked');
  }

  relang() {
    translate(this.page);
    this.lang.sync();
    this.syncSplitButton();
    for (const [, x] of this.terms) {
      x.roleEl.textContent = roleLabel(x.node.role);
      x.paneRole.textContent = roleLabel(x.node.role);
      this.renderTermStatus(x);
    }
    if (this.bcast) this.renderBroadcastLabels();
    if (this.view && !this.fatal) this.render(this.view);
    this.loadTitle();
    if (!this.fatal) this.lessonPanel.relang();
  }

  // showLesson(false): the session has no lesson (a playground): the terminals get the whole width.
  showLesson(shown) {
    this.lesson.hidden = !shown;
    this.splitter.hidden = !shown;
    this.workspace.classList.toggle('no-lesson', !shown);
    if (this.statusKind === 'creating') this.renderStatus('creating');
  }

  async loadTitle() {
    if (this.view && this.view.title && this.view.title !== this.view.lab) {
      this.labTitle = this.view.title; // the server names the lab in the request's language
      this.renderTitle();
      return;
    }
    try {
      const list = await labs();
      const lab = this.view && list.find((l) => l.id === this.view.lab);
      if (lab) this.labTitle = lab.title;
    } catch (e) {
      // the id stays as the title
    }
    this.renderTitle();
  }

  renderTitle() {
    if (this.stopped) return;
    const title = this.labTitle || (this.view && this.view.lab) || this.id;
    this.titleEl.textContent = title;
    document.title = `${title} · kubeplay`;
  }

  async poll() {
    if (this.stopped || this.fatal) return;
    clearTimeout(this.pollTimer);
    let next = 1000;
    this.polling = true;
    try {
      const v = await api('GET', `/api/sessions/${encodeURIComponent(this.id)}`).finally(() => {
        this.polling = false;
      });
      if (this.stopped) return;
      this.error.clear('poll');
      this.update(v);
      // Once the terminals are up, a slow poll keeps the countdown and the state current. A
      // resume takes a few seconds: look more often then, so the terminal opens as soon as it can.
      if (v.state === 'ready' && this.terms.size > 0) next = document.hidden ? 30000 : 10000;
      else if (v.state === 'resuming' || v.state === 'paused') next = 250;
    } catch (e) {
      if (this.stopped) return;
      if (e.status === 404) {
        // A class seat whose session is gone (the instructor reset the seat): joining again gives
        // the seat's new session, or says why not (the class ended).
        const rejoin = rejoinPath(this.id);
        if (rejoin) {
          this.app.navigate(rejoin);
          return;
        }
        this.showFatal(e.message, 'home');
        return;
      }
      if (e.code === 'resuming') {
        // the cluster is waking up: that is a state, not an error
        this.error.clear('poll');
        if (this.terms.size === 0) this.renderStatus('resuming');
        this.pollTimer = setTimeout(() => this.poll(), 1000);
        return;
      }
      this.error.set(e.message, 'poll');
      next = 3000;
    }
    if (!this.fatal) this.pollTimer = setTimeout(() => this.poll(), next);
  }

  // pollSoon brings the next poll forward (unless one is under way: it schedules the next itself).
  pollSoon() {
    if (this.polling || this.stopped || this.fatal) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => this.poll(), 300);
  }

  update(v) {
    const oldTitle = this.view && this.view.title;
    this.view = v;
    hooks.state = v;
    if (v.title !== oldTitle || !this.labTitle) this.loadTitle();
    this.render(v);
  }

  render(v) {
    this.timeBox.hidden = v.state === 'failed';
    this.tick();
    switch (v.state) {
      case 'ready':
        if (this.terms.size === 0 && v.nodes && v.nodes.length) this.createTerminals(v.nodes);
        if (this.terms.size === 0) {
          this.renderStatus('nodes');
        } else {
          this.renderStatus(null);
          this.eachPane((_, x) => x.nt.kick());
        }
        break;
      case 'failed':
        this.showFatal(v.message || t('session.failed'), 'labs');
        break;
      case 'creating':
      case 'resuming':
      case 'paused':
        this.renderStatus(v.state);
        break;
      default:
        this.renderStatus('loading');
    }
    if (this.terms.size > 0 && !this.fatal) this.syncBroadcast(v.broadcast);
  }

  // renderStatus shows the panel over the terminal area for a state that is not "ready" (null hides it).
  renderStatus(kind) {
    this.statusKind = kind;
    this.status.hidden = !kind;
    this.termArea.classList.toggle('has-status', !!kind);
    if (!kind) return;
    // Over existing terminals (a paused cluster waking up) the panel is a translucent overlay.
    this.status.classList.toggle('overlay', this.terms.size > 0);
    const v = this.view;
    const spinner = h('span', { class: 'spinner', 'aria-hidden': 'true' });
    switch (kind) {
      case 'creating':
        replace(
          this.status,
          h(
            'div',
            { class: 'status-card' },
            h('h2', null, spinner, t('session.creating')),
            h('p', { class: 'muted' }, t(this.lessonPanel.none ? 'session.creating.hintNoLesson' : 'session.creating.hint')),
            this.progressList(v),
          ),
        );
        break;
      case 'resuming':
      case 'paused':
        replace(
          this.status,
          h('div', { class: 'status-card' }, h('h2', null, spinner, t(`session.${kind}`)), h('p', { class: 'muted' }, t(`session.${kind}.hint`))),
        );
        break;
      case 'nodes':
        replace(this.status, h('div', { class: 'status-card' }, h('h2', null, spinner, t('session.noNodes'))));
        break;
      default:
        replace(this.status, h('div', { class: 'status-card' }, h('h2', null, spinner, t('session.loading'))));
    }
  }

  // progressList is #progress: every stage so far with how long it took; the last one is running.
  progressList(v) {
    const stages = (v && v.progress) || [];
    const now = serverNow();
    const list = h('ol', { id: 'progress', class: 'progress', 'aria-live': 'polite' });
    if (stages.length === 0) {
      list.append(h('li', { class: 'stage current' }, h('span', { class: 'stage-icon', 'aria-hidden': 'true' }), h('span', { class: 'stage-msg' }, t('session.waiting')), h('span', { class: 'stage-time' }, '')));
      return list;
    }
    const at = stages.map((s) => Date.parse(stageField(s, 'At')));
    stages.forEach((s, i) => {
      const last = i === stages.length - 1;
      const end = last ? now : at[i + 1];
      const secs = Number.isNaN(at[i]) || Number.isNaN(end) ? null : Math.max(0, Math.round((end - at[i]) / 1000));
      list.append(
        h(
          'li',
          { class: `stage ${last ? 'current' : 'done'}`, dataset: { stage: stageField(s, 'Name') || '' } },
          h('span', { class: 'stage-icon', 'aria-hidden': 'true' }, last ? '' : icon('check')),
          h('span', { class: 'stage-msg', title: stageField(s, 'Message') || '' }, stageLabel(stageField(s, 'Name'), stageField(s, 'Message'))),
          h('span', { class: 'stage-time' }, secs == null ? '' : t('session.elapsed', { s: secs })),
        ),
      );
    });
    if (!Number.isNaN(at[0])) {
      const total = Math.max(0, Math.round((now - at[0]) / 1000));
      list.append(h('li', { class: 'total' }, t('session.total', { s: total })));
    }
    return list;
  }

  tick() {
    const v = this.view;
    if (!v || this.fatal) return;
    const exp = Date.parse(v.expires);
    if (!Number.isNaN(exp)) {
      const left = exp - serverNow();
      this.remaining.textContent = formatDuration(left);
      this.remaining.classList.toggle('warn', left < WARN_UNDER);
      this.timeBox.classList.toggle('warn', left < WARN_UNDER);
    }
    const max = Date.parse(v.maxExpires);
    const atMax = !Number.isNaN(max) && !Number.isNaN(exp) && exp >= max - 1000;
    if (!this.extending) this.extendBtn.disabled = atMax;
    this.extendBtn.title = atMax ? t('session.extend.max') : '';
    if (this.statusKind === 'creating') {
      const old = this.status.querySelector('#progress');
      if (old) old.replaceWith(this.progressList(v));
    }
  }

  async extend() {
    this.extending = true;
    this.extendBtn.disabled = true;
    try {
      const v = await api('POST', `/api/sessions/${encodeURIComponent(this.id)}/extend`);
      this.error.clear('action');
      this.update(v);
      toast(t('session.extended', { time: formatDuration(Date.parse(v.expires) - serverNow()) }));
    } catch (e) {
      if (e.status === 404) this.showFatal(e.message, 'home');
      else this.error.set(e.message, 'action');
    } finally {
      this.extending = false;
      this.tick();
    }
  }

  async end() {
    if (!window.confirm(t('session.end.confirm'))) return;
    this.endBtn.disabled = true;
    try {
      await api('DELETE', `/api/sessions/${encodeURIComponent(this.id)}`);
      this.app.navigate('/');
      toast(t('session.ended'));
    } catch (e) {
      this.endBtn.disabled = false;
      if (e.status === 404) this.showFatal(e.message, 'home');
      else this.error.set(e.message, 'action');
    }
  }

  // showFatal replaces the workspace with the message (#error) and a way back; nothing to poll anymore.
  showFatal(message, back) {
    this.fatal = true;
    clearTimeout(this.pollTimer);
    this.lessonPanel.dispose();
    this.disposeTerminals();
    this.extendBtn.disabled = true;
    this.endBtn.hidden = back === 'home';
    this.timeBox.hidden = true;
    this.error.remove(); // the card's text is #error now
    const card = h(
      'div',
      { class: 'status-card fatal' },
      h('p', { id: 'error', role: 'alert' }, message),
      h('a', { class: 'button primary', href: '/', 'data-route': true, 'data-i18n': back === 'labs' ? 'session.backToLabs' : 'session.home' }),
    );
    replace(this.workspace, h('div', { class: 'fatal-wrap' }, card));
    translate(card);
  }

  createTerminals(nodes) {
    for (const node of nodes) {
      const dot = h('span', { class: 'dot', dataset: { status: 'connecting' } });
      const roleEl = h('span', { class: 'role-badge', dataset: { role: node.role } }, roleLabel(node.role));
      const tab = h(
        'button',
        { type: 'button', class: 'node-tab', role: 'tab', dataset: { node: node.name }, onclick: () => this.activate(node.name, true) },
        dot,
        h('span', { class: 'hostname' }, h('bdi', null, node.hostname || node.name)),
        roleEl,
      );
      const host = h('div', { class: 'term-host' });
      const banner = h('div', { class: 'term-banner', hidden: true });
      const reconnecting = h('div', { class: 'term-reconnecting', hidden: true });
      const paneRole = h('span', { class: 'role-badge', dataset: { role: node.role } }, roleLabel(node.role));
      const paneDot = h('span', { class: 'dot', dataset: { status: 'connecting' } });
      const paneHead = h('div', { class: 'pane-head' }, paneDot, h('span', { class: 'hostname' }, node.hostname || node.name), paneRole);
      const pane = h('div', { class: 'term-pane', dataset: { node: node.name }, onmousedown: () => this.activate(node.name, false) }, paneHead, banner, reconnecting, host);
      this.tabs.append(tab);
      this.panes.append(pane);
      const x = { node, tab, dot, paneDot, roleEl, paneRole, pane, host, banner, reconnecting, nt: null };
      this.terms.set(node.name, x);
      x.nt = new NodeTerminal({
        sessionId: this.id,
        node,
        host,
        onStatus: () => this.renderTermStatus(x),
        onNotice: (msg) => toast(msg),
        onInput: (d) => this.lessonPanel.noteInput(node.name, d),
      });
      this.renderTermStatus(x);
      hooks.terminals[node.name] = x.nt.hook();
    }
    this.toolbar.hidden = false;
    this.footer.hidden = false;
    this.panes.dataset.count = String(this.paneCount());
    this.syncSplitButton();
    this.setSplit(this.split && nodes.length > 1, true);
    this.activate(nodes[0].name, true);
    this.lessonPanel.terminalsReady();
  }

  // resolveNode finds the terminal a lesson's command names: a node name (the terminals' key), a
  // host name, or a role (controlplane/host01, worker/node01); '' or unknown: the one on screen.
  resolveNode(key) {
    if (this.matchNode(key)) return this.matchNode(key);
    if (this.terms.has(this.active)) return this.active;
    return this.terms.has(this.lastNode) ? this.lastNode : null; // the instructor's screen is on screen
  }

  matchNode(key) {
    if (!key) return null;
    if (this.terms.has(key)) return key;
    const k = String(key).toLowerCase();
    for (const [name, x] of this.terms) if (String(x.node.hostname || '').toLowerCase() === k) return name;
    const role = /^(controlplane|control-plane|host01)$/.test(k) ? 'control-plane' : /^(worker|node01)$/.test(k) ? 'worker' : '';
    if (role) for (const [name, x] of this.terms) if (x.node.role === role) return name;
    return null;
  }

  // typeInto types text into a terminal as if the student did (interrupt: Ctrl-C first), showing
  // that terminal; it returns the terminal's name, or null when there is none yet.
  typeInto(key, text, { interrupt } = {}) {
    const name = this.resolveNode(key);
    const x = name && this.terms.get(name);
    if (!x) return null;
    this.activate(name, true);
    const nt = x.nt;
    const type = (s) => {
      if (!nt.disposed) nt.term.input(s, true);
    };
    if (interrupt) {
      type('\x03');
      setTimeout(() => type(text), INTERRUPT_DELAY_MS);
    } else {
      type(text);
    }
    return name;
  }

  lastOutput(names) {
    let last = 0;
    const list = names && names.length ? names : [...this.terms.keys()];
    for (const name of list) {
      const x = this.terms.get(name);
      if (x && x.nt.lastOutput > last) last = x.nt.lastOutput;
    }
    return last;
  }

  renderTermStatus(x) {
    const s = x.nt ? x.nt.status : 'connecting';
    x.dot.dataset.status = s;
    x.paneDot.dataset.status = s;
    x.tab.title = `${x.node.hostname || x.node.name} · ${t(`terminal.status.${s}`)}`;
    x.banner.hidden = s !== 'down';
    x.pane.classList.toggle('has-banner', s === 'down');
    x.banner.textContent = s === 'down' ? t('terminal.down', { node: x.node.hostname || x.node.name }) : '';
    x.reconnecting.hidden = s !== 'reconnecting';
    x.reconnecting.textContent = t('terminal.reconnecting');
  }

  // pane is a node's terminal, or the instructor's screen (BROADCAST).
  pane(name) {
    return name === BROADCAST ? this.bcast : this.terms.get(name);
  }

  eachPane(fn) {
    for (const [n, x] of this.terms) fn(n, x);
    if (this.bcast) fn(BROADCAST, this.bcast);
  }

  paneCount() {
    return this.terms.size + (this.bcast ? 1 : 0);
  }

  activate(name, focus) {
    const x = this.pane(name);
    if (!x) return;
    this.active = name;
    if (name !== BROADCAST) this.lastNode = name;
    this.eachPane((n, y) => {
      const on = n === name;
      y.tab.classList.toggle('active', on);
      y.tab.setAttribute('aria-selected', String(on));
      y.pane.classList.toggle('active', on);
    });
    x.nt.fit();
    if (focus) x.nt.focus();
  }

  setSplit(on, quiet) {
    this.split = on;
    this.panes.classList.toggle('split', on);
    if (!quiet) store(SPLIT_KEY, on ? 1 : 0);
    this.syncSplitButton();
    requestAnimationFrame(() => {
      this.eachPane((_, x) => x.nt.fit());
      const x = this.active && this.pane(this.active);
      if (x && !quiet) x.nt.focus();
    });
  }

  syncSplitButton() {
    this.splitBtn.hidden = this.paneCount() < 2;
    this.splitBtn.textContent = t(this.split ? 'terminal.tabs' : 'terminal.split');
    this.splitBtn.setAttribute('aria-pressed', String(this.split));
  }

  disposeTerminals() {
    this.active = null;
    this.removeBroadcast();
    for (const [name, x] of this.terms) {
      x.nt.dispose();
      delete hooks.terminals[name];
    }
    this.terms.clear();
  }

  // ----- the instructor's screen: a terminal the instructor shows the class, read-only, in a tab of
  // its own beside the node terminals while the session view names one (broadcast: {node, hostname}).

  syncBroadcast(b) {
    const key = b && b.node ? b.node : '';
    if ((this.bcast ? this.bcast.key : '') === key) return;
    const had = !!this.bcast;
    this.removeBroadcast();
    if (key) this.addBroadcast(b);
    else if (had) toast(t('broadcast.ended'));
  }

  addBroadcast(b) {
    const node = { name: b.node, hostname: b.hostname || b.node, role: b.role || '' };
    const dot = h('span', { class: 'dot', dataset: { status: 'connecting' } });
    const paneDot = h('span', { class: 'dot', dataset: { status: 'connecting' } });
    const label = h('span', { class: 'broadcast-label' });
    const paneLabel = h('span', { class: 'broadcast-label' });
    const badge = h('span', { class: 'readonly-badge broadcast-badge' });
    const tab = h(
      'button',
      { type: 'button', id: 'broadcast-tab', class: 'node-tab broadcast-tab', role: 'tab', dataset: { broadcast: node.name }, onclick: () => this.activate(BROADCAST, false) },
      dot,
      label,
    );
    const host = h('div', { class: 'term-host' });
    const paneHead = h('div', { class: 'pane-head' }, paneDot, paneLabel, h('span', { class: 'hostname' }, node.hostname));
    const pane = h('div', { class: 'term-pane broadcast-pane', id: 'broadcast-pane', dataset: { broadcast: node.name }, onmousedown: () => this.activate(BROADCAST, false) }, paneHead, badge, host);
    this.tabs.append(tab);
    this.panes.append(pane);
    const x = { key: node.name, node, tab, dot, paneDot, label, paneLabel, badge, pane, host, nt: null };
    this.bcast = x;
    x.nt = new NodeTerminal({
      sessionId: this.id,
      node,
      host,
      path: `/api/sessions/${encodeURIComponent(this.id)}/broadcast/terminal`,
      viewOnly: true, // no input, no resize; the server drops input from this socket anyway
      onStatus: (s) => {
        dot.dataset.status = s;
        paneDot.dataset.status = s;
        // The server ends the socket when the instructor stops or shows another terminal: ask now.
        if (s === 'reconnecting') this.pollSoon();
      },
      onNotice: (msg) => toast(msg),
    });
    hooks.broadcast = Object.assign(x.nt.hook(), { node: node.name });
    this.renderBroadcastLabels();
    this.panes.dataset.count = String(this.paneCount());
    this.syncSplitButton();
    if (this.split) this.setSplit(true, true);
    toast(t('broadcast.started'));
  }

  renderBroadcastLabels() {
    const x = this.bcast;
    x.label.textContent = t('broadcast.tab');
    x.paneLabel.textContent = t('broadcast.tab');
    x.badge.textContent = t('watch.readonly');
    x.tab.title = t('broadcast.tabTitle', { host: x.node.hostname });
  }

  removeBroadcast() {
    const x = this.bcast;
    if (!x) return;
    this.bcast = null;
    hooks.broadcast = null;
    x.nt.dispose();
    x.tab.remove();
    x.pane.remove();
    this.panes.dataset.count = String(this.paneCount());
    this.syncSplitButton();
    if (this.active === BROADCAST) {
      const first = this.terms.keys().next().value;
      this.activate(this.terms.has(this.lastNode) ? this.lastNode : first, false);
    }
    if (this.split && this.paneCount() < 2) this.setSplit(false, true);
  }

  // setupSplitter: drag (or arrow keys) to resize the lesson; its width beside the terminals, its
  // height above them on a narrow screen. Double-click restores the default.
  setupSplitter() {
    this.stackedQuery = window.matchMedia(STACKED);
    const stacked = () => this.stackedQuery.matches;
    const orient = () => this.splitter.setAttribute('aria-orientation', stacked() ? 'horizontal' : 'vertical');
    this.onStackedChange = orient;
    this.stackedQuery.addEventListener('change', orient);
    orient();
    const setSize = (pct) => {
      if (stacked()) {
        pct = Math.min(80, Math.max(12, pct));
        this.lesson.style.setProperty('--lesson-height', `${pct}%`);
      } else {
        pct = Math.min(70, Math.max(18, pct));
        this.lesson.style.width = `${pct}%`;
      }
      return pct;
    };
    const size = () => parseFloat(stacked() ? this.lesson.style.getPropertyValue('--lesson-height') : this.lesson.style.width) || (stacked() ? DEFAULT_LESSON_HEIGHT : DEFAULT_LESSON_WIDTH);
    const save = (pct) => store(stacked() ? LESSON_HEIGHT_KEY : LESSON_WIDTH_KEY, pct);
    let dragging = false;
    this.splitter.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      dragging = true;
      this.splitter.setPointerCapture(ev.pointerId);
      document.body.classList.add('dragging');
      document.body.classList.toggle('stacked', stacked());
      ev.preventDefault();
    });
    this.splitter.addEventListener('pointermove', (ev) => {
      if (!dragging) return;
      const r = this.workspace.getBoundingClientRect();
      if (stacked()) setSize(((ev.clientY - r.top) / r.height) * 100);
      else setSize(((ev.clientX - r.left) / r.width) * 100);
    });
    const stop = (ev) => {
      if (!dragging) return;
      dragging = false;
      document.body.classList.remove('dragging', 'stacked');
      try {
        this.splitter.releasePointerCapture(ev.pointerId);
      } catch (e) {
        // already released
      }
      save(size());
    };
    this.splitter.addEventListener('pointerup', stop);
    this.splitter.addEventListener('pointercancel', stop);
    this.splitter.addEventListener('dblclick', () => save(setSize(stacked() ? DEFAULT_LESSON_HEIGHT : DEFAULT_LESSON_WIDTH)));
    this.splitter.addEventListener('keydown', (ev) => {
      const step = ev.key === 'ArrowLeft' || ev.key === 'ArrowUp' ? -2 : ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 2 : 0;
      if (!step) return;
      ev.preventDefault();
      save(setSize(size() + step));
    });
  }
}
