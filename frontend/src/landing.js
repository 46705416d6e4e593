import { api, labs, readyz, serverNow } from './api.js';
import { brand, errorBanner, hooks, langSwitch } from './common.js';
import { formatDuration, h, icon, replace } from './dom.js';
import { clusterShape, levelLabel, t, translate } from './i18n.js';

// LandingPage is /: the image build status while the node image is being made, the browser's live
// sessions, and the lab cards.
export class LandingPage {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.ready = null; // unknown until /readyz answers
    this.labs = null;
    this.sessions = [];
    this.labsError = '';
    this.generation = 0; // bumps on relang/unmount so late answers are dropped
  }

  mount() {
    this.lang = langSwitch((l) => this.app.switchLang(l));
    this.error = errorBanner();
    this.imageSection = h('section', { id: 'image-status', class: 'panel', hidden: true });
    this.sessionsSection = h('section', { id: 'my-sessions', class: 'panel', hidden: true });
    this.labGrid = h('div', { class: 'lab-grid' });
    this.labsSection = h('section', { id: 'labs' }, h('h2', { 'data-i18n': 'labs.title' }), this.labGrid);
    this.page = h(
      'div',
      { class: 'page landing-page' },
      h(
        'header',
        { class: 'topbar' },
        brand(),
        h('span', { class: 'tagline', 'data-i18n': 'app.tagline' }),
        h('div', { class: 'spacer' }),
        h('a', { id: 'join-link', class: 'button small', href: '/join', 'data-route': true, 'data-i18n': 'landing.join' }),
        this.lang,
      ),
      h('main', { class: 'landing-main' }, this.error, this.imageSection, this.sessionsSection, this.labsSection),
      h('footer', { class: 'landing-footer' }, h('a', { id: 'teach-link', href: '/teach', 'data-route': true, 'data-i18n': 'landing.teach' })),
    );
    replace(this.root, this.page);
    document.title = 'kubeplay';
    translate(this.page);
    hooks.state = null;
    this.tickTimer = setInterval(() => this.tickSessions(), 1000);
    this.load();
  }

  unmount() {
    this.generation++;
    clearTimeout(this.readyTimer);
    clearInterval(this.tickTimer);
  }

  relang() {
    translate(this.page);
    this.lang.sync();
    this.renderImage();
    this.load();
  }

  load() {
    const gen = ++this.generation;
    clearTimeout(this.readyTimer);
    this.pollReady(gen);
    this.renderLabs(); // "loading" while the list comes
    labs()
      .then((list) => {
        if (gen !== this.generation) return;
        this.labs = list;
        this.labsError = '';
        this.renderLabs();
        this.renderSessions();
      })
      .catch((e) => {
        if (gen !== this.generation) return;
        // While the node image is being built the API answers 503 not-ready; the labs come
        // once it is ready (pollReady loads them again).
        this.labsError = e.code === 'not-ready' ? '' : e.message;
        this.labsWaiting = e.code === 'not-ready';
        this.renderLabs();
      });
    api('GET', '/api/sessions')
      .then((data) => {
        if (gen !== this.generation) return;
        this.sessions = (data && data.sessions) || [];
        this.renderSessions();
      })
      .catch(() => {
        // no list: no continue links
      });
  }

  async pollReady(gen) {
    let next = 3000;
    try {
      const st = await readyz();
      if (gen !== this.generation) return;
      this.error.clear('ready');
      this.image = st;
      const was = this.ready;
      this.ready = !!st.ready;
      if (was === false && this.ready && (this.labsWaiting || this.labsError)) {
        this.labsWaiting = false;
        this.load(); // the API is there now
        return;
      }
    } catch (e) {
      if (gen !== this.generation) return;
      if (e.status === 404) {
        this.ready = true; // a server without /readyz: nothing to wait for
      } else {
        this.error.set(e.message, 'ready');
      }
    }
    this.renderImage();
    this.syncStartButtons();
    if (this.ready !== true && !(this.image && this.image.error)) this.readyTimer = setTimeout(() => this.pollReady(gen), next);
  }

  renderImage() {
    const st = this.image;
    const sec = this.imageSection;
    if (!st || st.ready) {
      sec.hidden = true;
      return;
    }
    sec.hidden = false;
    const failed = !!st.error;
    const old = sec.querySelector('pre');
    const atBottom = !old || old.scrollTop + old.clientHeight >= old.scrollHeight - 4;
    const lines = (st.progress || []).map((l) => String(l).replace(/\s+$/, '')).join('\n');
    const log = h('pre', { class: 'build-log', id: 'image-progress' }, lines);
    replace(
      sec,
      h('h2', null, failed ? null : h('span', { class: 'spinner', 'aria-hidden': 'true' }), t(failed ? 'images.failed.title' : 'images.building.title')),
      failed ? h('p', { class: 'error-text', role: 'alert' }, t('images.failed', { error: st.error })) : h('p', { class: 'muted' }, t('images.building')),
      lines ? log : null,
    );
    sec.classList.toggle('failed', failed);
    if (lines) {
      if (atBottom) log.scrollTop = log.scrollHeight;
      else log.scrollTop = old.scrollTop;
    }
  }

  renderSessions() {
    const list = this.sessions || [];
    this.sessionsSection.hidden = list.length === 0;
    if (list.length === 0) return;
    const title = (s) => {
      if (s.title && s.title !== s.lab) return s.title;
      const lab = (this.labs || []).find((l) => l.id === s.lab);
      return lab ? lab.title : s.lab;
    };
    replace(
      this.sessionsSection,
      h('h2', null, t('sessions.title')),
      h(
        'ul',
        { class: 'session-list' },
        list.map((s) =>
          h(
            'li',
            { class: 'session-item', dataset: { session: s.id } },
            h('span', { class: 'session-title' }, title(s)),
            h('span', { class: `state-chip state-${s.state}` }, t(`state.${s.state}`)),
            h('span', { class: 'session-remaining muted', dataset: { expires: s.state === 'failed' ? '' : s.expires || '' } }),
            h('span', { class: 'spacer' }),
            h('a', { class: 'button primary small continue', href: `/s/${encodeURIComponent(s.id)}`, 'data-route': true }, t('sessions.continue')),
          ),
        ),
      ),
    );
    this.tickSessions();
  }

  tickSessions() {
    for (const el of this.sessionsSection.querySelectorAll('.session-remaining')) {
      const exp = Date.parse(el.dataset.expires);
      el.textContent = Number.isNaN(exp) ? '' : t('sessions.remaining', { time: formatDuration(exp - serverNow()) });
    }
  }

  renderLabs() {
    if (this.labsError) {
      replace(this.labGrid, h('p', { class: 'error-text' }, t('labs.loadFailed', { error: this.labsError })));
      return;
    }
    if (!this.labs) {
      replace(this.labGrid, h('p', { class: 'muted' }, t(this.labsWaiting ? 'images.wait' : 'labs.loading')));
      return;
    }
    if (this.labs.length === 0) {
      replace(this.labGrid, h('p', { class: 'muted' }, t('labs.empty')));
      return;
    }
    replace(this.labGrid, this.labs.map((lab) => this.card(lab)));
    this.syncStartButtons();
  }

  card(lab) {
    const err = h('p', { class: 'lab-error', role: 'alert', hidden: true });
    const btn = h('button', { type: 'button', class: 'button primary start' }, t('lab.start'));
    btn.addEventListener('click', () => this.start(lab, btn, err));
    const meta = [
      lab.duration ? h('li', { class: 'chip duration' }, icon('clock'), lab.duration) : null,
      lab.level ? h('li', { class: `chip level level-${lab.level}` }, levelLabel(lab.level)) : null,
      lab.cluster ? h('li', { class: 'chip shape' }, clusterShape(lab.cluster)) : null,
    ];
    return h(
      'article',
      { class: 'lab-card', dataset: { lab: lab.id } },
      h('h3', null, lab.title || lab.id),
      h('p', { class: 'desc' }, lab.description || ''),
      h('ul', { class: 'meta' }, meta),
      h('div', { class: 'actions' }, btn, h('span', { class: 'wait-note muted', hidden: true }, t('images.wait'))),
      err,
    );
  }

  syncStartButtons() {
    const blocked = this.ready === false;
    for (const card of this.labGrid.querySelectorAll('.lab-card')) {
      const btn = card.querySelector('button.start');
      if (!btn.dataset.busy) btn.disabled = blocked;
      card.querySelector('.wait-note').hidden = !blocked;
    }
  }

  async start(lab, btn, err) {
    btn.disabled = true;
    btn.dataset.busy = '1';
    btn.textContent = t('lab.starting');
    err.hidden = true;
    try {
      const v = await api('POST', '/api/sessions', { lab: lab.id, lang: this.app.lang() });
      hooks.state = v;
      this.app.navigate(`/s/${encodeURIComponent(v.id)}`);
    } catch (e) {
      delete btn.dataset.busy;
      btn.disabled = this.ready === false;
      btn.textContent = t('lab.start');
      err.textContent = e.message;
      err.hidden = false;
    }
  }
}
