// Copy and paste in a terminal, the way people expect after using play-with-k8s and desktop terminals:
//
//   Ctrl+Shift+C        copy the selection
//   Ctrl+C              copy when text is selected (and clear the selection); otherwise ^C as usual
//   Ctrl+Shift+V        paste
//   Ctrl+V              paste (not on macOS, where Cmd+V pastes and Ctrl+V stays ^V)
//   Cmd+C / Cmd+V       the browser's own copy/paste events, which xterm.js handles
//   right-click menu    the browser's Paste (xterm.js moves its textarea under the mouse)
//
// Pasting lets the browser's native paste event happen (Ctrl+V and Ctrl+Shift+V both fire one in
// Chromium and Firefox, without a permission prompt, also on plain-http classroom servers where
// navigator.clipboard does not exist). Only when no paste event arrives do we fall back to
// navigator.clipboard.readText(). Selecting never copies by itself.

const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || '');

function isKey(ev, letter) {
  const k = (ev.key || '').toLowerCase();
  if (k === letter) return true;
  // a non-Latin layout (Korean 2-set: ㅊ / ㅍ) still has the key where C / V are
  return !/^[a-z]$/.test(k) && ev.code === `Key${letter.toUpperCase()}`;
}

// copyText puts text on the clipboard; it must run inside the key event (user activation).
export function copyText(text, refocus) {
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).catch(() => legacyCopy(text, refocus));
    return true;
  }
  return legacyCopy(text, refocus);
}

function legacyCopy(text, refocus) {
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;';
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  }
  ta.remove();
  if (refocus) refocus();
  return ok;
}

// attachClipboard installs the key handling on an xterm Terminal (already opened).
// onCopied() is called after a copy, onPasteBlocked() when no way to read the clipboard worked.
export function attachClipboard(term, { onCopied, onPasteBlocked } = {}) {
  let lastNativePaste = 0;
  let fallbackAt = 0;
  let timer = null;

  // Capture phase on the terminal element: runs before xterm's own paste listener.
  term.element.addEventListener(
    'paste',
    (ev) => {
      const now = Date.now();
      if (fallbackAt && now - fallbackAt < 3000) {
        // readText() already pasted this one; a late native event must not paste it twice
        ev.preventDefault();
        ev.stopImmediatePropagation();
        fallbackAt = 0;
        return;
      }
      lastNativePaste = now;
    },
    true,
  );

  const pasteWithFallback = () => {
    const pressedAt = Date.now();
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (lastNativePaste >= pressedAt) return; // the browser pasted
      if (navigator.clipboard && navigator.clipboard.readText) {
        fallbackAt = Date.now();
        navigator.clipboard
          .readText()
          .then((text) => {
            if (text) term.paste(text);
          })
          .catch(() => {
            fallbackAt = 0;
            if (onPasteBlocked) onPasteBlocked();
          });
      } else if (onPasteBlocked) {
        onPasteBlocked();
      }
    }, 250);
  };

  const copySelection = (ev) => {
    ev.preventDefault();
    const text = term.getSelection();
    if (text) {
      copyText(text, () => term.focus());
      if (onCopied) onCopied();
    }
  };

  term.attachCustomKeyEventHandler((ev) => {
    if (!ev.ctrlKey || ev.altKey || ev.metaKey) return true;
    const down = ev.type === 'keydown';
    if (isKey(ev, 'c')) {
      if (ev.shiftKey) {
        // Ctrl+Shift+C: copy (never ^C, and keep the browser's inspector shortcut away)
        if (down) copySelection(ev);
        return false;
      }
      if (term.hasSelection()) {
        // Ctrl+C with a selection: copy it; the next Ctrl+C interrupts as usual
        if (down) {
          copySelection(ev);
          term.clearSelection();
        }
        return false;
      }
      return true; // ^C
    }
    if (isKey(ev, 'v') && (ev.shiftKey || !isMac)) {
      // Returning false stops xterm from sending ^V without preventing the default action,
      // so the browser fires its paste event, which xterm turns into input.
      if (down) pasteWithFallback();
      return false;
    }
    return true;
  });

  return () => clearTimeout(timer);
}
