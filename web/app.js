// The gpux web view (docs/web-view.md): one WebSocket to gpuxd, a snapshot then deltas, drawn
// as a grid of hours per product, a window's book, a block quote and the trades tape. No
// framework, no build step, nothing fetched from elsewhere.
'use strict';

const DAYS = 14;          // rows of the grid
const TAPE = 60;          // trades shown
const QUOTE_EVERY = 2000; // ms between quotes of the block in the form

const state = {
  products: [],
  hours: new Map(),   // product -> Map(hour -> [hour, bid, bidQty, bidDepth, ask, askQty, askDepth])
  windows: new Map(), // symbol -> {bids: [[price, qty, orders]], asks: [...]}
  trades: [],         // newest last
  tradeKeys: new Set(),
  connected: false,
  seq: 0,
  product: null,
  window: null,
  colourBy: 'ask',
  quote: null,
  flash: new Set(),   // hours that changed in the last delta
};

const $ = (id) => document.getElementById(id);
const price = (p) => (p / 10000).toFixed(4);
const pad = (n) => String(n).padStart(2, '0');
const hourText = (h) => { const d = new Date(h * 3600e3); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}Z`; };
const hourOf = (text) => { const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})Z$/.exec(text.trim()); return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4]) / 3600e3 : null; };
const symbolParts = (s) => { const m = /^([^@]+)@(\d{4}-\d{2}-\d{2}T\d{2}Z)\+(\d+)h$/.exec(s); return m ? { product: m[1], start: hourOf(m[2]), hours: +m[3] } : null; };
function hash(text) { let h = 5381; for (let i = 0; i < text.length; i++) h = ((h * 33) ^ text.charCodeAt(i)) >>> 0; return h.toString(16); }
function el(tag, attrs, text) { const e = document.createElement(tag); if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; return e; }

// ---- data ------------------------------------------------------------------------------------

function setHours(product, rows) {
  let m = state.hours.get(product);
  if (!m) { m = new Map(); state.hours.set(product, m); }
  for (const r of rows) {
    const empty = r[1] === 0 && r[4] === 0 && r[3] === 0 && r[6] === 0;
    if (empty) m.delete(r[0]); else m.set(r[0], r);
    if (product === state.product) state.flash.add(r[0]);
  }
}

function addTrades(list) {
  for (const t of list) {
    const key = `${t.seq}:${t.match}:${t.instrument}`;
    if (state.tradeKeys.has(key)) continue;  // a delta can repeat what a snapshot had
    state.tradeKeys.add(key);
    state.trades.push(t);
  }
  while (state.trades.length > TAPE) {
    const t = state.trades.shift();
    state.tradeKeys.delete(`${t.seq}:${t.match}:${t.instrument}`);
  }
}

let messages = 0;
function apply(msg) {
  messages++;
  if (msg.type === 'quote') {
    if (!(msg.reason === 'throttled' && state.quote)) state.quote = msg;
    schedule();
    return;
  }
  if (msg.type === 'snapshot') {
    state.products = msg.products;
    state.hours = new Map();
    state.windows = new Map(Object.entries(msg.windows));
    state.trades = []; state.tradeKeys = new Set();
    for (const p of msg.products) setHours(p, msg.hours[p] || []);
    state.flash.clear();
    addTrades(msg.trades);
    if (!state.products.includes(state.product)) state.product = state.products[0] || null;
    renderProducts();
  } else if (msg.type === 'delta') {
    for (const p in msg.hours) setHours(p, msg.hours[p]);
    if (msg.all_windows) state.windows = new Map();
    for (const w in msg.windows) state.windows.set(w, msg.windows[w]);
    addTrades(msg.trades);
  }
  state.connected = msg.connected;
  state.seq = msg.seq;
  schedule();
}

// ---- drawing ---------------------------------------------------------------------------------

let pending = false;
function schedule() { if (!pending) { pending = true; setTimeout(() => { pending = false; render(); }, 0); } }

// Each part counts the times its data changed while the page was open (data-changes): the
// browser test reads them.
function render() {
  const before = ['grid', 'book', 'tape'].map((id) => $(id).dataset.sig);
  renderStatus(); renderGrid(); renderWindows(); renderBook(); renderQuote(); renderTape();
  ['grid', 'book', 'tape'].forEach((id, i) => {
    const e = $(id);
    if (before[i] && e.dataset.sig !== before[i]) e.dataset.changes = Number(e.dataset.changes || 0) + 1;
  });
  document.body.dataset.messages = messages;
  state.flash.clear();
}

function renderStatus() {
  const s = $('status');
  const live = ws && ws.readyState === 1 && state.connected;
  s.dataset.state = live ? 'live' : (ws && ws.readyState === 1 ? 'connecting' : 'down');
  s.dataset.seq = state.seq;
  $('status-text').textContent = live ? `live · seq ${state.seq}` : (ws && ws.readyState === 1 ? 'gpuxd feed down, retrying…' : 'disconnected, retrying…');
}

function renderProducts() {
  const nav = $('products');
  nav.textContent = '';
  for (const p of state.products) {
    const b = el('button', { type: 'button', 'aria-pressed': String(p === state.product), 'data-product': p }, p);
    b.onclick = () => { state.product = p; state.window = null; renderProducts(); render(); requestQuote(true); };
    nav.appendChild(b);
  }
}

function colour(t, invert) {
  const x = Math.max(0, Math.min(1, invert ? 1 - t : t));
  return `hsl(${Math.round(125 * (1 - x))}, 62%, ${48 + Math.round(8 * Math.abs(x - 0.5))}%)`;
}

function renderGrid() {
  const grid = $('grid');
  const product = state.product;
  $('hours-product').textContent = product ? `· ${product}` : '';
  const rows = state.hours.get(product) || new Map();
  const nowHour = Math.floor(Date.now() / 3600e3);
  const first = Math.floor(nowHour / 24) * 24;
  const by = state.colourBy;
  const value = (r) => (by === 'ask' ? r[4] : by === 'bid' ? r[1] : r[6]);
  let lo = Infinity, hi = -Infinity;
  for (let h = first; h < first + DAYS * 24; h++) {
    const r = rows.get(h);
    if (!r || (by !== 'depth' && value(r) === 0)) continue;
    lo = Math.min(lo, value(r)); hi = Math.max(hi, value(r));
  }
  // Prices a cent apart are shades, not opposites: the scale spans at least 2% of the price.
  if (by === 'depth') lo = 0;
  else if (lo <= hi) hi = Math.max(hi, Math.round(lo * 1.02));
  const maxDepth = Math.max(1, ...[...rows.values()].map((r) => r[6]));
  grid.textContent = '';
  grid.appendChild(el('div', { class: 'head' }, 'UTC'));
  for (let c = 0; c < 24; c++) grid.appendChild(el('div', { class: 'head' }, pad(c)));
  let cells = 0, sigText = '';
  for (let d = 0; d < DAYS; d++) {
    const day = new Date((first + d * 24) * 3600e3);
    grid.appendChild(el('div', { class: 'day' }, day.toUTCString().slice(0, 11)));
    for (let c = 0; c < 24; c++) {
      const h = first + d * 24 + c;
      const r = rows.get(h);
      const cell = el('div', { class: 'cell', 'data-hour': h });
      if (h < nowHour) cell.classList.add('past');
      if (state.flash.has(h)) cell.classList.add('flash');
      if (state.pickedHour === h) cell.classList.add('picked');
      if (r && (r[4] > 0 || r[1] > 0)) {
        cells++;
        sigText += r.join(',') + ';';
        cell.dataset.bid = r[1]; cell.dataset.ask = r[4]; cell.dataset.depth = r[6];
        const v = value(r);
        if (by === 'depth') cell.style.background = colour(v / Math.max(1, hi), true);
        else if (v > 0) cell.style.background = colour(hi > lo ? (v - lo) / (hi - lo) : 0.5, by === 'bid');
        cell.textContent = by === 'depth' ? (r[6] || '') : (v > 0 ? (v / 10000).toFixed(2) : '');
        const bar = el('div', { class: 'bar' });
        bar.style.width = `${Math.round((100 * r[6]) / maxDepth)}%`;
        cell.appendChild(bar);
        cell.title = `${hourText(h)}\nbid ${r[1] ? price(r[1]) + ' × ' + r[2] : '-'} (depth ${r[3]})\nask ${r[4] ? price(r[4]) + ' × ' + r[5] : '-'} (depth ${r[6]})`;
      } else {
        cell.classList.add('empty');
        cell.title = `${hourText(h)}: no capacity offered`;
      }
      cell.onclick = () => pickHour(h);
      grid.appendChild(cell);
    }
  }
  grid.dataset.cells = cells;
  grid.dataset.sig = hash(sigText);
  const legend = $('legend');
  legend.textContent = '';
  if (by === 'depth') {
    legend.append(el('span', null, 'scarce'), scale(true), el('span', null, `${hi > 0 ? hi : 0} GPUs offered`));
  } else if (lo <= hi) {
    legend.append(el('span', null, price(lo)), scale(by === 'bid'), el('span', null, `${price(hi)} $/GPU-hour`));
  } else {
    legend.append(el('span', null, 'no prices in these hours'));
  }
}

function scale(invert) {
  const s = el('div', { class: 'scale' });
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => colour(t, invert));
  s.style.background = `linear-gradient(90deg, ${stops.join(',')})`;
  return s;
}

function productWindows() {
  return [...state.windows.keys()].filter((w) => w.startsWith(state.product + '@')).sort();
}

function renderWindows() {
  const sel = $('window-select');
  const list = productWindows();
  if (!list.includes(state.window)) {
    state.window = list.find((w) => { const b = state.windows.get(w); return b.bids.length + b.asks.length > 0; }) || list[0] || null;
    requestQuote(true);
  }
  const have = [...sel.options].map((o) => o.value).join('|');
  if (have !== list.join('|')) {
    sel.textContent = '';
    for (const w of list) sel.appendChild(el('option', { value: w }, w));
  }
  if (state.window) sel.value = state.window;
}

function renderBook() {
  const body = $('book').tBodies[0];
  body.textContent = '';
  const b = state.window ? state.windows.get(state.window) : null;
  let levels = 0;
  if (b) {
    const maxQ = Math.max(1, ...b.asks.map((l) => l[1]), ...b.bids.map((l) => l[1]));
    for (const l of [...b.asks].reverse()) {
      const tr = el('tr', { class: 'ask' });
      tr.append(el('td'), el('td'), el('td', { class: 'price' }, price(l[0])), bar(el('td', null, l[1]), l[1] / maxQ, 'var(--ask)'), el('td', null, l[2]));
      body.appendChild(tr); levels++;
    }
    body.appendChild(el('tr', { class: 'spread' }, '')).appendChild(el('td', { colspan: 5 }));
    for (const l of b.bids) {
      const tr = el('tr', { class: 'bid' });
      tr.append(el('td', null, l[2]), bar(el('td', null, l[1]), l[1] / maxQ, 'var(--bid)'), el('td', { class: 'price' }, price(l[0])), el('td'), el('td'));
      body.appendChild(tr); levels++;
    }
  }
  if (!levels) body.appendChild(el('tr')).appendChild(el('td', { colspan: 5, class: 'muted' }, 'no orders in this window'));
  $('book').dataset.levels = levels;
  $('book').dataset.window = state.window || '';
  $('book').dataset.sig = hash(JSON.stringify(b || {}));
}

function bar(td, frac, col) {
  td.style.background = `linear-gradient(90deg, transparent ${Math.round(100 - 100 * frac)}%, color-mix(in srgb, ${col} 30%, transparent) 0)`;
  return td;
}

function renderQuote() {
  const box = $('quote');
  const q = state.quote;
  box.textContent = '';
  if (!q) { box.appendChild(el('p', { class: 'muted' }, 'asking…')); return; }
  box.dataset.sig = hash(JSON.stringify(q));
  box.dataset.ok = q.ok;
  if (!q.ok) { box.appendChild(el('p', { class: 'muted' }, `not quotable: ${q.reason}`)); return; }
  box.dataset.fill = q.fill_qty;
  const frac = q.qty ? q.fill_qty / q.qty : 0;
  box.appendChild(el('p', null, `${q.side} ${q.qty} GPUs of ${q.instrument}`));
  const fb = el('div', { class: 'fill-bar' }); const inner = el('div'); inner.style.width = `${Math.round(100 * frac)}%`; fb.appendChild(inner); box.appendChild(fb);
  const dl = el('dl');
  const row = (k, v) => dl.append(el('dt', null, k), el('dd', null, v));
  row('fills', `${q.fill_qty} of ${q.qty} GPUs (window book ${q.window_qty}, hour books ${q.sweep_qty}) for ${q.hours} h`);
  if (q.fill_qty > 0) {
    row('average', `$${price(q.average)} per GPU-hour`);
    row('best / worst', `$${price(q.best)} / $${price(q.worst)}`);
    row('notional', `$${Number(q.notional).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
  }
  row('limit', `$${price(q.limit)}`);
  row('as of', `seq ${q.seq}`);
  box.appendChild(dl);
}

function renderTape() {
  const body = $('tape').tBodies[0];
  const newest = state.trades.length ? state.trades[state.trades.length - 1] : null;
  const sig = newest ? `${newest.seq}:${newest.match}` : '';
  if ($('tape').dataset.sig === sig && body.rows.length) return;
  const before = $('tape').dataset.sig;
  body.textContent = '';
  for (const t of [...state.trades].reverse()) {
    const tr = el('tr', { 'data-seq': t.seq });
    if (before && t.seq > Number(before.split(':')[0])) tr.classList.add('new');
    const time = new Date(t.ts).toISOString().slice(11, 19);
    tr.append(el('td', null, time), el('td', null, t.instrument), el('td', { class: t.side }, t.side), el('td', null, price(t.price)), el('td', null, t.qty));
    body.appendChild(tr);
  }
  if (!state.trades.length) body.appendChild(el('tr')).appendChild(el('td', { colspan: 5, class: 'muted' }, 'no trades yet'));
  $('tape').dataset.trades = state.trades.length;
  $('tape').dataset.sig = sig;
}

// ---- the quote form --------------------------------------------------------------------------

function pickHour(h) {
  state.pickedHour = h;
  $('q-start').value = hourText(h);
  requestQuote(true);
  renderGrid();
}

// The server takes one quote every 200 ms per page: asks closer together wait for the last.
let lastAsk = 0, quoteTimer = null;
function requestQuote(now) {
  if (!ws || ws.readyState !== 1 || !state.product) return;
  if (!now && Date.now() - lastAsk < QUOTE_EVERY) return;
  if (Date.now() - lastAsk < 250) {
    if (!quoteTimer) quoteTimer = setTimeout(() => { quoteTimer = null; requestQuote(true); }, 260);
    return;
  }
  let start = hourOf($('q-start').value || '');
  if (start === null) {
    const w = state.window && symbolParts(state.window);
    if (!w) return;
    start = w.start;
    $('q-start').value = hourText(start);
    $('q-hours').value = $('q-hours').value || w.hours;
  }
  const hours = Math.max(1, parseInt($('q-hours').value, 10) || 24);
  const qty = Math.max(1, parseInt($('q-qty').value, 10) || 1);
  lastAsk = Date.now();
  ws.send(JSON.stringify({ quote: { instrument: `${state.product}@${hourText(start)}+${hours}h`, side: $('q-side').value, qty } }));
}

// ---- the connection --------------------------------------------------------------------------

let ws = null;
function connect() {
  ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onopen = () => { renderStatus(); setTimeout(() => requestQuote(true), 300); };
  ws.onmessage = (e) => { try { apply(JSON.parse(e.data)); } catch (err) { console.error(err); } };
  ws.onclose = () => { renderStatus(); setTimeout(connect, 1000); };
}

$('colour-by').onchange = (e) => { state.colourBy = e.target.value; renderGrid(); };
$('window-select').onchange = (e) => { state.window = e.target.value; $('q-start').value = ''; renderBook(); requestQuote(true); };
for (const id of ['q-side', 'q-qty', 'q-start', 'q-hours']) $(id).onchange = () => requestQuote(true);
setInterval(() => requestQuote(false), QUOTE_EVERY);
setInterval(renderGrid, 60e3);  // the hours move on
connect();
