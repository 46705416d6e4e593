import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { attachClipboard } from './clipboard.js';
import { t } from './i18n.js';

// NodeTerminal is one node's shell: an xterm.js terminal and its websocket.
//
// Protocol (see terminal/ws.go): the server first sends {"type":"hello","seq":S,"readOnly":B,"stream":ID};
// the binary frames after it are output starting at sequence number S. We keep seq = S + bytes
// received so a reconnect asks ?since=seq&stream=ID and gets exactly what it missed. Output bytes go to xterm as
// Uint8Array (never decoded here: a Korean character may be split across frames). Input goes back as
// binary frames of UTF-8; resize and ping as JSON text frames.

const MIN_BACKOFF = 500;
const MAX_BACKOFF = 5000;
const PING_EVERY = 20000;
const DEAD_AFTER = 50000; // no pong (or anything) for this long: the connection is dead
const MAX_QUEUE = 4 << 20; // input typed while reconnecting, sent after hello

const encoder = new TextEncoder();

// "Nanum Gothic Coding" is named NanumGothicCoding by fontconfig and by the Windows installer.
export const FONT_FAMILY = '"D2Coding", "Noto Sans Mono CJK KR", "Nanum Gothic Coding", "NanumGothicCoding", "DejaVu Sans Mono", monospace';

const THEME = {
  background: '#1b1f27',
  foreground: '#d8dee9',
  cursor: '#e5e9f0',
  cursorAccent: '#1b1f27',
  selectionBackground: '#4c566a',
  selectionForeground: '#eceff4',
  black: '#2e3440',
  red: '#e06c75',
  green: '#98c379',
  yellow: '#e5c07b',
  blue: '#61afef',
  magenta: '#c678dd',
  cyan: '#56b6c2',
  white: '#d8dee9',
  brightBlack: '#6b7385',
  brightRed: '#ef8a93',
  brightGreen: '#b5e08f',
  brightYellow: '#f0d399',
  brightBlue: '#8cc8ff',
  brightMagenta: '#dba4ec',
  brightCyan: '#7fd3dc',
  brightWhite: '#f5f7fa',
};

function binaryStringToBytes(s) {
  // onBinary data is a "binary string": one char per byte (mouse reports in some modes)
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export class NodeTerminal {
  // sessionId, node: {name, hostname, role}; host: the element to open xterm in;
  // onStatus(status) when the connection state changes ('connecting'|'connected'|'reconnecting'|'down');
  // onNotice(text) for transient hints (copied, paste blocked); onInput(data) for what is typed
  // (the lesson's auto-check waits for Enter).
  // A viewer (an instructor watching a student's terminal) passes path, the websocket's path, and
  // viewOnly: nothing typed is sent, the terminal takes no input, and the page (not the terminal)
  // says it is read-only; the server makes that socket read-only as well.
  constructor({ sessionId, node, host, onStatus, onNotice, onInput, path, viewOnly }) {
    this.sessionId = sessionId;
    this.node = node;
    this.path = path || '';
    this.viewOnly = !!viewOnly;
    this.host = host;
    this.onStatus = onStatus || (() => {});
    this.onNotice = onNotice || (() => {});
    this.onInput = onInput || (() => {});
    this.seq = 0;
    this.haveSeq = false;
    this.streamId = '';
    this.connected = false;
    this.readOnly = this.viewOnly;
    this.nodeDown = false;
    this.status = 'connecting';
    this.backoff = MIN_BACKOFF;
    this.queue = [];
    this.queued = 0;
    this.ws = null;
    this.disposed = false;
    this.lastRecv = 0;
    this.lastOutput = 0; // Date.now() of the last output bytes: the lesson's auto-check waits for quiet
    this.warnedReadOnly = false;

    this.term = new Terminal({
      allowProposedApi: true,
      cursorBlink: !this.viewOnly,
      disableStdin: this.viewOnly,
      scrollback: 5000,
      fontFamily: FONT_FAMILY,
      fontSize: 14,
      lineHeight: 1.0,
      theme: THEME,
      macOptionIsMeta: false,
      convertEol: false,
    });
    this.fitAddon = new FitAddon();
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(new WebLinksAddon());
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.open(host);

    this.term.onData((d) => {
      this.sendBytes(encoder.encode(d));
      this.onInput(d);
    });
    this.term.onBinary((d) => this.sendBytes(binaryStringToBytes(d)));
    this.term.onResize(() => this.sendResize());
    this.stopClipboard = attachClipboard(this.term, {
      onCopied: () => this.onNotice(t('terminal.copied')),
      onPasteBlocked: () => this.onNotice(t('terminal.pasteBlocked')),
    });

    // Refit whenever the host's size changes: window resize, splitter drag, tab switch, split view.
    this.resizeObserver = new ResizeObserver(() => {
      if (this.fitFrame) return;
      this.fitFrame = requestAnimationFrame(() => {
        this.fitFrame = 0;
        this.fit();
      });
    });
    this.resizeObserver.observe(host);

    this.pingTimer = setInterval(() => this.ping(), PING_EVERY);
    this.connect();
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const path = this.path || `/api/sessions/${encodeURIComponent(this.sessionId)}/nodes/${encodeURIComponent(this.node.name)}/terminal`;
    let u = `${proto}//${location.host}${path}`;
    if (this.haveSeq) {
      u += `?since=${this.seq}`;
      if (this.streamId) u += `&stream=${encodeURIComponent(this.streamId)}`;
    }
    return u;
  }

  connect() {
    if (this.disposed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = 0;
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.helloSeen = false;
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastRecv = Date.now();
      if (typeof ev.data === 'string') this.control(ev.data);
      else this.output(new Uint8Array(ev.data));
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.connected = false;
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows and reconnects
    };
  }

  control(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch (e) {
      return;
    }
    switch (m.type) {
      case 'hello': {
        const seq = Number(m.seq) || 0; // seq is omitted when 0
        const stream = m.stream || '';
        if (this.haveSeq && this.streamId && stream && stream !== this.streamId) {
          // The server has another stream for this node by now (it restarted): it replays that
          // one from its start, so start the screen over too.
          this.haveSeq = false;
        } else if (this.haveSeq && !stream && seq < this.seq) {
          // The same without stream ids: numbers that went backwards belong to a new stream; ask
          // for its whole buffer.
          this.haveSeq = false;
          this.ws.onclose = null;
          this.ws.close();
          this.ws = null;
          this.connect();
          return;
        }
        if (!this.haveSeq) this.term.reset();
        this.streamId = stream;
        this.seq = seq;
        this.haveSeq = true;
        this.helloSeen = true;
        this.readOnly = this.viewOnly || !!m.readOnly;
        this.term.options.disableStdin = this.readOnly;
        if (this.readOnly && !this.viewOnly && !this.warnedReadOnly) {
          this.warnedReadOnly = true;
          this.notice(t('terminal.readonly'));
        }
        this.connected = true;
        this.backoff = MIN_BACKOFF;
        this.fit();
        this.sendResize();
        this.flushQueue();
        this.setStatus(this.nodeDown ? 'down' : 'connected');
        break;
      }
      case 'status':
        if (m.state === 'down') {
          this.nodeDown = true;
          this.setStatus('down');
        } else if (m.state === 'started') {
          this.nodeDown = false;
          this.setStatus(this.connected ? 'connected' : 'reconnecting');
        } else if (m.state === 'exited') {
          this.notice(t('terminal.exited'));
        }
        break;
      case 'error':
        if (m.code === 'read-only') {
          this.readOnly = true;
          this.term.options.disableStdin = true;
          if (!this.viewOnly && !this.warnedReadOnly) {
            this.warnedReadOnly = true;
            this.notice(t('terminal.readonly'));
          }
        } else if (m.code === 'not-running') {
          this.notice(t('terminal.notRunning'));
        }
        break;
      case 'pong':
      default:
        break;
    }
  }

  output(bytes) {
    if (!this.helloSeen) return;
    this.seq += bytes.length;
    this.lastOutput = Date.now();
    this.term.write(bytes);
  }

  // notice prints a dim line of our own between the shell's output (on a fresh line).
  notice(text) {
    this.term.write(`\r\n\x1b[2m[${text}]\x1b[0m\r\n`);
  }

  scheduleReconnect() {
    if (this.disposed || this.retryTimer) return;
    this.setStatus(this.nodeDown ? 'down' : 'reconnecting');
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = 0;
      this.connect();
    }, delay);
  }

  // kick reconnects now if we are waiting to (the session just became ready again).
  kick() {
    if (this.disposed || this.ws) return;
    this.backoff = MIN_BACKOFF;
    this.connect();
  }

  setStatus(s) {
    if (this.status === s) return;
    this.status = s;
    this.onStatus(s);
  }

  isOpen() {
    return this.ws && this.ws.readyState === WebSocket.OPEN && this.helloSeen;
  }

  sendBytes(bytes) {
    if (bytes.length === 0 || this.readOnly) return;
    if (this.isOpen()) {
      this.ws.send(bytes); // one frame, however large (a 1 MiB paste fits the server's 4 MiB limit)
      return;
    }
    if (this.queued + bytes.length > MAX_QUEUE) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
  }

  flushQueue() {
    const q = this.queue;
    this.queue = [];
    this.queued = 0;
    for (const b of q) this.ws.send(b);
  }

  sendResize() {
    if (!this.isOpen() || this.viewOnly) return; // a viewer does not size the student's terminal
    this.ws.send(JSON.stringify({ type: 'resize', rows: this.term.rows, cols: this.term.cols }));
  }

  ping() {
    if (!this.isOpen()) return;
    if (this.lastRecv && Date.now() - this.lastRecv > DEAD_AFTER) {
      this.ws.close(); // onclose reconnects
      return;
    }
    this.ws.send(JSON.stringify({ type: 'ping' }));
  }

  fit() {
    if (this.disposed || !this.host.isConnected || this.host.offsetWidth === 0 || this.host.offsetHeight === 0) return;
    try {
      this.fitAddon.fit();
    } catch (e) {
      // not measurable yet
    }
  }

  focus() {
    this.term.focus();
  }

  // hook is what window.kubeplay shows of this terminal to the browser tests (one shape for the
  // session's terminals, the instructor's watch and the class broadcast).
  hook() {
    const nt = this;
    return {
      get connected() {
        return nt.connected;
      },
      get seq() {
        return nt.seq;
      },
      get readOnly() {
        return nt.readOnly;
      },
      get status() {
        return nt.status;
      },
      text: () => nt.text(),
      send: (s) => nt.term.input(String(s), true),
      focus: () => nt.focus(),
      get xterm() {
        return nt.term; // the xterm.js Terminal, for tests that select text or read cols/rows
      },
    };
  }

  // text is the whole buffer as text: wrapped rows joined back into their line, lines joined with
  // \n, trailing spaces and trailing empty lines dropped.
  text() {
    const buf = this.term.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) {
      const line = buf.getLine(i);
      if (!line) continue;
      const next = buf.getLine(i + 1);
      const s = line.translateToString(!(next && next.isWrapped));
      if (line.isWrapped && lines.length) lines[lines.length - 1] += s;
      else lines.push(s);
    }
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  dispose() {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    cancelAnimationFrame(this.fitFrame);
    this.resizeObserver.disconnect();
    this.stopClipboard();
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close();
      this.ws = null;
    }
    this.connected = false;
    this.term.dispose();
  }
}
