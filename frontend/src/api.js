import { lang, t } from './i18n.js';

// ApiError carries the server's localized message (every error response is
// {"error":"code","message":"..."} or {"error":{"code":"...","message":"..."}}), the HTTP status, and
// the code.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The difference between the server's clock and this browser's (from the Date header), so that
// countdowns to server timestamps are right on a classroom PC whose clock is off.
let skew = null;

export function serverNow() {
  return Date.now() + (skew || 0);
}

function noteDate(res) {
  const d = Date.parse(res.headers.get('Date') || '');
  if (Number.isNaN(d)) return;
  const sample = d + 500 - Date.now(); // the header has 1 s resolution
  if (skew === null || Math.abs(sample - skew) > 2000) skew = sample;
}

// api calls the JSON API in the UI's language (?lang= wins over the cookie and Accept-Language on the
// server, so error messages match the page). It resolves to the decoded body (null for 204) and
// rejects with ApiError (status 0 for a network failure).
export async function api(method, path, body) {
  const url = path + (path.includes('?') ? '&' : '?') + 'lang=' + lang();
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  noteDate(res);
  if (res.status === 204) return null;
  let data = null;
  const text = await res.text().catch(() => '');
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    // {"error":{"code":"…","message":"…"}} (the lesson API) reads the same
    if (data && data.error && typeof data.error === 'object' && data.error.message) throw new ApiError(res.status, data.error.code || '', data.error.message);
    if (data && data.message) throw new ApiError(res.status, data.error || '', data.message);
    throw new ApiError(res.status, 'http', t('error.http', { status: res.status }));
  }
  return data;
}

// readyz returns the image status; /readyz answers 503 with the same JSON while the image is being
// built, which is a normal answer here, not an error.
export async function readyz() {
  let res;
  try {
    res = await fetch('/readyz', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  noteDate(res);
  try {
    return await res.json();
  } catch (e) {
    throw new ApiError(res.status, 'http', t('error.http', { status: res.status }));
  }
}

let labsCache = { lang: null, labs: null };

// labs returns the lab list in the current language (cached per language).
export async function labs() {
  if (labsCache.lang === lang() && labsCache.labs) return labsCache.labs;
  const l = lang();
  const data = await api('GET', '/api/labs');
  labsCache = { lang: l, labs: (data && data.labs) || [] };
  return labsCache.labs;
}
