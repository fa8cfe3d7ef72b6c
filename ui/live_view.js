// Backprop Lab's live view (ui/liveview.py). It draws what the server sent and computes nothing:
// no network, no interpolation between frames, no colour maths (a cell's colour is LUT[q]).
// Called again with the same element on every rerun; per-element state lives in VIEWS.
const VIEWS = new WeakMap();
const STEP_WAIT_MS = 2500, STEP_TRIES = 3;   // a Step unanswered this long is sent again
const LOG_CAP = 4096;                      // most loss points Play adds to the chart beyond the history sent
// What may change the step ahead (ui/liveview.py): per event, the targets that do. Step and the view never do.
const SIDEBAR = '[data-testid=stSidebar]';
const EDITS = 'input, textarea, select, [role=slider], [role=combobox], [role=spinbutton], [role=textbox]';
const TOUCH = { pointerdown: SIDEBAR, click: `${SIDEBAR}, button, a, [role], ${EDITS}`, keydown: `${SIDEBAR}, ${EDITS}`,
  input: '*', change: '*' };

export default function (component) {
  const root = component.parentElement;
  let v = VIEWS.get(root);
  if (!v) VIEWS.set(root, (v = mount(root)));
  v.trigger = (name, value) => { v.asked_at = performance.now(); component.setTriggerValue(name, value); };
  const bytes = component.data;           // decoded in order: inflating is asynchronous
  v.queue = (v.queue || Promise.resolve()).then(() => unpack(bytes)).then((data) => receive(v, data))
    .catch((e) => setTimeout(() => { throw e; }));      // reported as any error is, and the queue goes on
  return () => unmount(v);
}

function mount(root) {
  const q = (s) => root.querySelector(s);
  const v = { root, box: q('.bpl-live'), canvas: q('canvas'), step: q('[data-testid=live-step]'),
    status: q('.bpl-status'), note: q('.bpl-note'), text: q('[data-testid=live-text]'),
    frames: [], i: 0, shown: null, painted: 0, playing: false, seq: -1, asked: false, raf: 0, log: [],
    next: null, asked_at: 0, touched_at: -1,
    spoken: 0, width: 0, logBox: q('.bpl-log') };
  q('.bpl-png').addEventListener('click', () => download(v));
  v.logBox.addEventListener('click', () => logScale(v, !v.log_y));
  logScale(v, remembered());
  v.onClick = (e) => intercept(v, e);                 // Step, and Pause on the frame shown
  document.addEventListener('click', v.onClick, true);
  // A touched control may change what a step does, and a new learning rate reruns only the sidebar: the
  // frame ahead is dropped, and so is the one in an answer that may have been computed before the touch.
  v.onTouch = (e) => {
    const t = e.target.closest ? e.target : null;
    if (!t || t.closest('.st-key-step, .bpl-live') || !t.closest(TOUCH[e.type])) return;
    v.next = null;
    v.touched_at = performance.now();
  };
  for (const t in TOUCH) document.addEventListener(t, v.onTouch, true);
  v.onResize = () => { if (v.meta) { layout(v); draw(v); } };
  window.addEventListener('resize', v.onResize);
  // A new width, or anything above the view growing or shrinking (its ancestors resize), lays it out again.
  v.observer = new ResizeObserver(() => requestAnimationFrame(() => {      // after the observer's round: no loop
    if (!v.gone && (root.clientWidth !== v.width || top(v) !== v.top)) v.onResize();
  }));
  for (let e = root; e && e !== document.body; e = e.parentElement) v.observer.observe(e);
  return v;
}

// The loss chart's scale is a display choice of this browser tab (key L, or the header's button): it redraws
// the numbers the view holds, with no rerun, and stays for the tab's later views.
const LOG_KEY = 'backprop-lab-log-y';

function remembered() {
  try { return sessionStorage.getItem(LOG_KEY) === '1'; } catch { return false; }
}

function logScale(v, on) {
  v.log_y = on;
  v.logBox.setAttribute('aria-pressed', String(on));
  try { sessionStorage.setItem(LOG_KEY, on ? '1' : '0'); } catch { /* storage off: this view only */ }
  if (v.meta) draw(v);
}

function unmount(v) {
  v.gone = true;
  stop(v);
  clearTimeout(v.retry);
  document.removeEventListener('click', v.onClick, true);
  for (const t in TOUCH) document.removeEventListener(t, v.onTouch, true);
  window.removeEventListener('resize', v.onResize);
  v.observer.disconnect();
  VIEWS.delete(v.root);
}

const TYPES = { u1: Uint8Array, u2: Uint16Array, i4: Int32Array, f4: Float32Array };

async function inflate(bytes) {           // zlib (RFC 1950), as Python's zlib.compress writes it
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Response(stream).arrayBuffer();
}

async function unpack(bytes) {            // viz.live.pack: "BPL1", header length, JSON header, aligned arrays
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) return null;
  const buf = bytes.slice().buffer, size = new DataView(buf).getUint32(4, true);
  const head = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, size)));
  const out = { meta: head.meta };
  for (const [name, code, offset, length, stored, delta] of head.arrays) {
    const T = TYPES[code];
    const a = out[name] = stored < length * T.BYTES_PER_ELEMENT
      ? new T(await inflate(new Uint8Array(buf, offset, stored)), 0, length) : new T(buf, offset, length);
    if (delta > 0) for (let i = delta; i < length; i++) a[i] += a[i - delta];   // stored frame to frame (wraps)
  }
  return out;
}

const column = (data, k) => data[k] || null;

function receive(v, data) {
  if (!data || v.gone) return;
  const m = data.meta;
  if (m.base) {
    v.base = { lut: column(data, 'lut'), px: column(data, 'p_x'), py: column(data, 'p_y'),
      kind: column(data, 'p_kind'), hn: column(data, 'h_n'), hs: column(data, 'h_step'), hl: column(data, 'h_loss') };
    v.dots = null;
  } else if (!v.base || m.seq !== v.seq) {          // a batch for a view that lost its start: ask again
    v.trigger('sync', { seq: m.seq });
    return;
  }
  const frames = decode(data, m);
  if (m.play && m.cont && m.seq === v.seq && !v.playing) return;   // a batch asked for before a Pause
  v.meta = m;
  const ahead = m.next ? frames.pop() : null;   // what Step will show: the server's state one step on
  v.next = v.touched_at > v.asked_at ? null : ahead;
  delete v.box.dataset.ahead;
  clearTimeout(v.retry);
  if (!m.play) {
    stop(v);
    v.frames = frames;
    v.i = frames.length - 1;
    v.log = [];
    v.seq = m.seq;
  } else if (!m.cont || m.seq !== v.seq) {
    v.seq = m.seq;
    v.frames = frames;
    v.log = [];
    v.i = 0;
    v.playing = true;
    v.i0 = 0;
    v.t0 = performance.now();
    v.asked = false;
    if (!v.raf) v.raf = requestAnimationFrame((t) => tick(v, t));
  } else if (v.playing) {
    for (const f of frames) if (f.step > v.frames[v.frames.length - 1].step) v.frames.push(f);
    v.asked = false;
    if (!m.base) return;                  // more frames for Play: the next tick shows them, nothing moved
  }
  v.note.textContent = m.note || '';
  layout(v);
  show(v);
}

function decode(data, m) {
  const steps = column(data, 'f_step'), runs = column(data, 'f_run'), scores = column(data, 'f_score');
  const q = column(data, 'f_q'), seg = column(data, 'f_seg'), nseg = column(data, 'f_nseg');
  const k = m.nets.length, cells = m.r * m.r, out = [];
  let s = 0;
  for (let f = 0; f < steps.length; f++) {
    const nets = [];
    for (let n = 0; n < k; n++) {
      const j = f * k + n;
      nets.push({ run: runs[j], score: scores.subarray(4 * j, 4 * j + 4), q: q.subarray(cells * j, cells * (j + 1)),
        seg: seg.subarray(4 * s, 4 * (s + nseg[j])) });
      s += nseg[j];
    }
    out.push({ step: steps[f], nets });
  }
  return out;
}

function tick(v, now) {
  v.raf = 0;
  if (!v.playing) return;
  const m = v.meta, last = v.frames.length - 1;
  // Frames fall due at m.fps from (t0, i0). Never skip one: a late tick shows the next frame only, and
  // the following ticks catch up (at most half a second); with no frame left, hold and restart the clock.
  const due = Math.max(v.i, v.i0 + Math.floor(((now - v.t0) * m.fps) / 1000));   // a tick may predate t0
  if (due - v.i > m.fps / 2) { v.i0 = v.i; v.t0 = now; }
  const i = Math.min(due, v.i + 1, last);
  if (i === last && due > last) { v.i0 = last; v.t0 = now; }
  if (i !== v.i) { v.i = i; show(v); }
  if (i === last && m.final) return m.stream ? pause(v, null) : stop(v);   // a recorded run just ends
  if (!v.asked && !m.final && last - i < m.low) {
    v.asked = true;
    v.trigger('more', { seq: v.seq, after: v.frames[last].step, shown: v.frames[i].step });
  }
  if (v.i > 90) {                                          // keep memory flat on long runs
    v.frames.splice(0, v.i - 2);
    v.i0 -= v.i - 2;
    v.i = 2;
  }
  v.raf = requestAnimationFrame((t) => tick(v, t));
}

function stop(v) {
  v.playing = false;
  if (v.raf) cancelAnimationFrame(v.raf);
  v.raf = 0;
}

function pause(v, then) {
  stop(v);
  v.trigger('pause', { seq: v.seq, step: v.frames[v.i].step, then });
  show(v);
}

function intercept(v, e) {              // Step (and, while playing, Pause) go through the view, not the page
  if (!v.meta || !v.meta.stream) return;
  const button = e.target.closest && e.target.closest('button');
  const keyed = button && !button.disabled
    && button.closest('.st-key-play, .st-key-step, .st-key-step_many, .st-key-copy_link');
  if (!keyed) return;
  const is = (c) => keyed.classList.contains(c);
  if (!v.playing && !is('st-key-step')) return;
  e.stopImmediatePropagation();
  e.preventDefault();
  if (!v.playing) return step(v);
  pause(v, is('st-key-step') ? 'step' : is('st-key-step_many') ? 'many' : is('st-key-copy_link') ? 'link' : null);
}

function step(v) {                       // the server steps (only the view reruns); meanwhile, the frame it will send
  const f = v.next, now = v.frames[v.i];
  v.next = null;
  if (f && now && f.step === now.step + 1) {
    v.frames = [f];
    v.i = 0;
    v.box.dataset.ahead = '1';             // until the server's answer
    v.confirmed = now;
    remember(v, f);
    show(v);
  }
  ask(v, { seq: v.seq, at: now ? now.step : -1 }, STEP_TRIES);
}

// Streamlit can drop a trigger (the first one after a reconnect to another process): a frame ahead with no
// answer is asked for again, which is safe because the server steps only from `at`. If none ever comes, the
// view goes back to the last frame the server sent, so it never shows a step the session has not taken.
function ask(v, value, tries) {
  clearTimeout(v.retry);
  v.trigger('step', value);
  v.retry = setTimeout(() => {
    if (v.gone || !v.box.dataset.ahead) return;
    if (tries > 1) return ask(v, value, tries - 1);
    delete v.box.dataset.ahead;
    v.log = v.log.filter((g) => g.step <= v.confirmed.step);
    v.frames = [v.confirmed];
    v.i = 0;
    show(v);
  }, STEP_WAIT_MS);
}

function remember(v, f) {                // the loss chart's points beyond the history the server sent
  if (v.log.length && f.step <= v.log[v.log.length - 1].step) return;
  // Numbers only (a frame would keep its whole batch alive), and at most LOG_CAP of them: on a long Play,
  // every other point goes, the latest stays, as the server's history thins itself.
  v.log.push({ step: f.step, nets: f.nets.map((n) => ({ run: n.run, score: [n.score[0], n.score[1]] })) });
  if (v.log.length > LOG_CAP) v.log = v.log.filter((g, i) => i % 2 === 1 || i === v.log.length - 1);
}

// -- numbers as text ------------------------------------------------------------------------------------
const num = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2)
  : x.toPrecision(3)) : '–');
const pct = (x) => (Number.isFinite(x) ? `${Math.round(100 * x)}%` : '–');

function show(v) {
  const f = v.frames[v.i];
  if (!f) return;
  if (v.playing) remember(v, f);
  draw(v);
  if (v.shown !== f.step) {
    v.shown = f.step;
    v.painted += 1;
    v.box.dataset.frames = v.painted;
  }
  v.step.textContent = String(f.step);
  v.box.dataset.step = String(f.step);
  v.status.textContent = !v.playing ? '' : v.meta.status || `Playing · ${v.meta.speed} step${v.meta.speed > 1 ? 's' : ''} per frame`;
  const now = performance.now();
  if (!v.playing || now - v.spoken > 3000) {                 // the text alternative, not 30 times a second
    v.spoken = now;
    v.text.textContent = `Step ${f.step}. ` + v.meta.visible.map((k) => {
      const n = v.meta.nets[k], [tl, te, ta, tt] = f.nets[k].score;
      return `${n.label}: train loss ${num(tl)}, test loss ${num(te)}, train accuracy ${pct(ta)}, test accuracy ${pct(tt)}.`;
    }).join(' ');
  }
}

// -- layout and drawing -----------------------------------------------------------------------------------
function top(v) {                         // where the canvas starts in the page, however far it is scrolled
  let y = v.canvas.getBoundingClientRect().top + window.scrollY;
  for (let e = v.canvas.parentElement; e; e = e.parentElement) y += e.scrollTop;
  return y;
}

function layout(v) {
  const m = v.meta, s = m.style, n = m.visible.length;
  const W = Math.max(320, v.root.clientWidth || 800);
  v.width = v.root.clientWidth;
  const font = s.font, small = Math.max(10, font - 4), tick = font - 2;
  v.box.style.fontSize = `${font}px`;                          // before measuring where the canvas starts
  v.box.classList.toggle('bpl-present', !!m.present);
  v.box.classList.toggle('bpl-nokeys', !m.stream);
  const c = v.canvas.getContext('2d');
  const wide = (text, px, weight) => { c.font = fontOf(px, weight); return Math.ceil(c.measureText(text).width); };
  // Panels share the box, so only the first has y tick labels. Each panel's colour bar is at its right:
  // the bar, its tick labels, then its title (rotated), side by side. A panel's x axis title follows its last tick
  // label (under the colour bar); the loss chart's too when it is as wide as the view, else it is below them.
  const labels = Math.max(...m.visible.flatMap((k) => bar(m.nets[k]).map((t) => wide(String(t), small))));
  // Left of a plot: its y tick labels (shrunk if wider than '0.00', '-1.5' or '10⁻³'), then its y title (rotated).
  const ylabels = Math.max(...['0.00', '-1.5', power(-3)].map((t) => wide(t, tick)));
  const L = { font, small, tick, labels, head: Math.round(s.title * 1.3 + font * 3.7),
    left: Math.max(Math.round(font * 3), ylabels + Math.ceil(tick * 1.05) + 13),
    foot: Math.round(tick * 1.3 + 8), gap: Math.round(font * 0.7), barW: Math.round(font * 0.55) };
  L.bar = L.barW + labels + Math.ceil(small * 1.1) + 16;
  const end = Math.round(font * 1.5), tail = wide('step', tick) + Math.ceil(wide('00000', tick) / 2 + tick * 0.6);
  v.top = top(v);
  const room = window.innerHeight - v.top - 8;                // fit the screen (presenter view, large panels)
  const fit = (side) => Math.floor(Math.max(120, Math.min(side, 700)));
  // Two arrangements: panels and loss chart in one row, or the panels in a row above a chart as wide as the
  // view, its key on one line. The one with the larger panels is drawn: the row unless 15% smaller, for the
  // stacked view leaves the width beside few panels empty.
  const row = fit(Math.min((W - 2 * L.left - end - n * (L.bar + L.gap)) / (n + 1.1), room - L.head - L.foot));
  const across = key(v, wide, L, W - L.left);
  const low = Math.max(90, font * 4);                        // the stacked chart's least height
  const rest = room - L.head - 2 * L.foot - across.height;
  const stack = fit(Math.min((W - L.left - n * (L.bar + L.gap) + L.gap) / n, rest - low, rest / 1.35));
  const stacked = stack > 1.15 * row, side = stacked ? stack : row;
  L.side = side;
  L.panels = m.visible.map((k, j) => ({ k, x: L.left + j * (side + L.bar + L.gap), y: L.head, w: side, h: side,
    first: j === 0 }));
  if (!stacked) {                           // the key in a column above the chart, the plot below it
    const cx = L.left + n * (side + L.bar + L.gap) + L.left, y = (k) => Math.round(s.title * 1.05 + font * 1.2 * k);
    const cw = Math.max(100, W - cx - end);
    L.key = key(v, wide, L, cw + end, y).items.map((i) => ({ ...i, x: i.x + cx }));
    const below = Math.max(L.head, y(1 + n) + Math.ceil(small * 0.5));
    L.chart = { x: cx, y: below, w: cw, h: side - below + L.head - Math.round(tick * 1.25), first: true, below: true };
    L.H = side + L.head + L.foot;
  } else {
    const y0 = L.head + side + L.foot, h = Math.floor(Math.min(Math.max(low, side / 2), rest - side));
    L.key = across.items.map((i) => ({ ...i, x: i.x + L.left, y: i.y + y0 }));
    L.chart = { x: L.left, y: y0 + across.height, w: W - L.left - tail, h, first: true };
    L.H = L.chart.y + h + L.foot;
  }
  L.W = W;
  const dpr = window.devicePixelRatio || 1;
  if (v.canvas.width !== Math.round(W * dpr) || v.canvas.height !== Math.round(L.H * dpr)) {
    v.canvas.width = Math.round(W * dpr);            // only on a change: it reallocates the canvas
    v.canvas.height = Math.round(L.H * dpr);
    v.canvas.style.width = `${W}px`;
    v.canvas.style.height = `${L.H}px`;
  }
  v.canvas.dataset.panels = JSON.stringify(L.panels.map((p) => [p.k, p.x, p.y, p.w, p.h]));
  v.canvas.dataset.chart = JSON.stringify([L.chart.x, L.chart.y, L.chart.w, L.chart.h]);
  v.canvas.dataset.key = JSON.stringify(L.key.map((i) => [i.x, i.y - i.px, i.w, Math.ceil(i.px * 1.25)]));
  v.canvas.dataset.sizes = JSON.stringify({ font, small, title: s.title, contour: s.contour, marker: s.marker,
    head: L.head, foot: L.foot, bar: L.bar, stacked });
  if (L.side !== (v.L && v.L.side)) v.dots = null;
  v.L = L;
  v.dpr = dpr;
}

// The loss chart's key: its title, each network's colour and loss, then a solid line for train and a dashed one
// for test. With ``y`` (a line's baseline), one entry a line above the chart; without, entries side by side in
// ``width``, on one line if they fit (at the small size if need be), the title first if it fits too.
function key(v, wide, L, width, y) {
  const m = v.meta, s = m.style, n = m.visible.length;
  const entries = (px) => [
    ...m.visible.map((k) => {
      const net = m.nets[k], label = n > 2 ? net.label.replace(/ \(.*\)$/, '') : net.label;   // colours tell them apart
      const text = `${label} (${net.loss})`;
      return { k, text, px, swatch: Math.round(L.font * 1.8), w: Math.round(L.font * 1.8) + wide(text, px) };
    }),
    ...[['train', []], ['test', [5, 4]]].map(([text, dash]) => ({ text, dash, px: y ? L.small : px,
      swatch: Math.round(L.small * 1.9), w: Math.round(L.small * 1.9) + wide(text, y ? L.small : px) }))];
  const title = { text: 'Loss per step', px: s.title, weight: 600, swatch: 0, w: wide('Loss per step', s.title, 600) };
  if (y) {
    const out = [{ ...title, x: 0, y: y(0), w: Math.min(title.w, width) }];
    const list = entries(L.font);
    list.slice(0, n).forEach((e, j) => out.push({ ...e, x: 0, y: y(1 + j), w: Math.min(e.w, width) }));
    let x = 0;
    for (const e of list.slice(n)) { out.push({ ...e, x, y: y(1 + n) }); x += e.w + L.small * 0.7; }
    return { items: out };
  }
  const space = Math.round(L.font * 1.1), sum = (list) => list.reduce((a, e) => a + e.w + space, -space);
  let list = entries(L.font);
  if (sum(list) > width && sum(entries(L.small)) <= width) list = entries(L.small);
  if (sum([title, ...list]) <= width) list = [title, ...list];
  const out = [], line = Math.round(L.font * 1.35), lead = Math.round(L.gap * 0.6) + (list[0] === title ? s.title : L.font);
  let x = 0, row = 0;
  for (const e of list) {
    if (x > 0 && x + e.w > width) { x = 0; row += 1; }
    out.push({ ...e, x, y: lead + row * line });
    x += e.w + space;
  }
  return { items: out, height: lead + row * line + Math.round(L.small * 0.6) };
}

function draw(v) {
  const m = v.meta, L = v.L, f = v.frames[v.i];
  if (!m || !L || !f || !v.base) return;
  const c = v.canvas.getContext('2d');
  c.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
  c.fillStyle = '#fff';
  c.fillRect(0, 0, L.W, L.H);
  c.textBaseline = 'alphabetic';
  for (const p of L.panels) panel(v, c, p, f, m.nets[p.k], f.nets[p.k]);
  chart(v, c, f);
}

const fontOf = (px, weight = 400) => `${weight} ${px}px Inter, "Segoe UI", Helvetica, Arial, sans-serif`;

function fitText(c, text, x, y, width, px, weight) {   // shrink rather than cut: no number is ever truncated
  let size = px;
  c.font = fontOf(size, weight);
  while (size > 9 && c.measureText(text).width > width) c.font = fontOf(--size, weight);
  c.fillText(text, x, y);
}

function panel(v, c, p, f, net, fr) {
  const m = v.meta, L = v.L, s = m.style, box = m.box, r = m.r;
  c.fillStyle = '#111';
  const line = (k) => Math.round(s.title * 1.05 + L.font * 1.2 * k);
  fitText(c, net.label, p.x, line(0), p.w + L.bar, s.title, 600);
  fitText(c, fr.run < f.step ? `step ${fr.run}: stopped, it diverged` : `step ${fr.run}`, p.x, line(1), p.w + L.bar,
    L.font, 600);
  const [tl, te, ta, tt] = fr.score;
  fitText(c, `loss ${num(tl)} train · ${num(te)} test`, p.x, line(2), p.w + L.bar, L.font, 400);
  fitText(c, `accuracy ${pct(ta)} train · ${pct(tt)} test`, p.x, line(3), p.w + L.bar, L.font, 400);
  // ŷ: one cell per grid point, its colour LUT[q], centred on the point (no smoothing between cells)
  const img = (v.cell ||= document.createElement('canvas'));
  img.width = r;
  img.height = r;
  const ic = img.getContext('2d'), data = ic.createImageData(r, r), lut = v.base.lut;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      const q = fr.q[i * r + j], o = 4 * ((r - 1 - i) * r + j);
      data.data[o] = lut[3 * q]; data.data[o + 1] = lut[3 * q + 1]; data.data[o + 2] = lut[3 * q + 2]; data.data[o + 3] = 255;
    }
  }
  ic.putImageData(data, 0, 0);
  const cell = p.w / (r - 1);
  c.save();
  c.beginPath();
  c.rect(p.x, p.y, p.w, p.h);
  c.clip();
  c.imageSmoothingEnabled = false;
  c.drawImage(img, p.x - cell / 2, p.y - cell / 2, p.w + cell, p.h + cell);
  const X = (u) => p.x + (u / 65535) * p.w, Y = (u) => p.y + p.h - (u / 65535) * p.h;
  c.strokeStyle = '#111';
  c.lineWidth = s.contour;
  c.lineCap = 'round';
  c.beginPath();
  for (let k = 0; k < fr.seg.length; k += 4) {
    c.moveTo(X(fr.seg[k]), Y(fr.seg[k + 1]));
    c.lineTo(X(fr.seg[k + 2]), Y(fr.seg[k + 3]));
  }
  c.stroke();
  c.drawImage(dots(v), p.x, p.y, p.w, p.h);
  c.restore();
  axes(c, p, L, s, -box, box, -box, box, 'x₁', 'x₂');
  legend(v, c, p, net);
}

function dots(v) {                         // the points, drawn once per size: they do not move
  if (v.dots) return v.dots;
  const L = v.L, s = v.meta.style, b = v.base, box = v.meta.box, dpr = v.dpr, present = v.meta.present;
  const layer = document.createElement('canvas');
  layer.width = Math.round(L.side * dpr);
  layer.height = Math.round(L.side * dpr);
  const c = layer.getContext('2d');
  c.scale(dpr, dpr);
  const rad = s.marker / 2, X = (x) => ((x + box) / (2 * box)) * L.side, Y = (y) => L.side - ((y + box) / (2 * box)) * L.side;
  for (const test of [0, 1]) {
    for (let i = 0; i < b.px.length; i++) {
      if (((b.kind[i] >> 1) & 1) !== test) continue;
      const colour = s.classes[b.kind[i] & 1];
      c.beginPath();
      c.arc(X(b.px[i]), Y(b.py[i]), rad, 0, 2 * Math.PI);
      if (test) {                           // test points hollow: a ring (on a white disc in presenter view)
        if (present) { c.fillStyle = '#fff'; c.fill(); }
        c.strokeStyle = colour;
        c.lineWidth = Math.max(1.5, s.line * 0.8);
        c.stroke();
      } else {
        c.fillStyle = colour;
        c.fill();
        c.strokeStyle = present ? '#111' : '#fff';
        c.lineWidth = present ? Math.max(1.5, s.line / 3) : 1;
        c.stroke();
      }
    }
  }
  return (v.dots = layer);
}

function ticks(lo, hi, count) {
  const span = hi - lo, raw = span / count, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((k) => span / k <= count) || raw;
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * span; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}

function axes(c, p, L, s, x0, x1, y0, y1, xt, yt, ylog) {
  const f = L.tick;
  c.strokeStyle = '#444';
  c.lineWidth = 1;
  c.strokeRect(p.x + 0.5, p.y + 0.5, p.w - 1, p.h - 1);
  c.fillStyle = '#222';
  c.font = fontOf(f);
  c.textAlign = 'center';
  let end = p.x + p.w;
  const xs = ticks(x0, x1, Math.max(2, Math.floor(p.w / (f * 4))));
  for (const t of xt === 'step' ? xs.filter(Number.isInteger) : xs) {     // whole steps only
    const x = p.x + ((t - x0) / (x1 - x0)) * p.w, label = +t.toPrecision(6) + '';
    c.beginPath(); c.moveTo(x, p.y + p.h); c.lineTo(x, p.y + p.h + 5); c.stroke();
    c.fillText(label, x, p.y + p.h + 6 + f);
    end = Math.max(end, x + c.measureText(label).width / 2);
  }
  if (p.below) c.fillText(xt, p.x + p.w / 2, p.y + p.h + 8 + 2.2 * f);
  c.textAlign = 'left';
  if (!p.below) c.fillText(xt, end + f * 0.5, p.y + p.h + 6 + f);
  if (!p.first) return;
  c.textAlign = 'right';
  const ys = ylog ? decades(y0, y1, Math.max(2, Math.floor(p.h / (f * 1.5))))
    : ticks(y0, y1, Math.max(2, Math.floor(p.h / (f * 2.5)))), labels = [];
  for (const t of ys) {
    const y = p.y + p.h - ((ylog ? Math.log10(t) - Math.log10(y0) : t - y0) / (ylog ? Math.log10(y1 / y0) : y1 - y0)) * p.h;
    const label = ylog ? power(Math.log10(t)) : +t.toPrecision(6) + '';
    c.beginPath(); c.moveTo(p.x - 5, y); c.lineTo(p.x, y); c.stroke();
    fitText(c, label, p.x - 7, y + f / 3, L.left - Math.ceil(f * 1.05) - 11, f, 400);
    labels.push(label);
  }
  c.save();
  c.translate(p.x - L.left + f * 0.8, p.y + p.h / 2);        // the title's glyphs rise leftwards from here
  c.rotate(-Math.PI / 2);
  c.textAlign = 'center';
  fitText(c, yt, 0, 0, p.h, f, 400);
  c.restore();
  c.textAlign = 'left';
  return labels;                          // the y tick labels drawn
}

const bar = (net) => [net.hi, (net.lo + net.hi) / 2, net.lo];   // a colour bar's labels, top to bottom

function legend(v, c, p, net) {            // the fixed colour range, and whether ŷ is clipped to it
  const L = v.L, x = p.x + p.w + 4, w = L.barW, f = L.small;
  if (!v.bar || v.bar.lut !== v.base.lut) {      // the colour table as a 1 x 256 picture, top = LUT[255]
    const lut = v.base.lut, strip = document.createElement('canvas');
    strip.width = 1;
    strip.height = 256;
    const bc = strip.getContext('2d'), img = bc.createImageData(1, 256);
    for (let q = 0; q < 256; q++) img.data.set([lut[3 * q], lut[3 * q + 1], lut[3 * q + 2], 255], 4 * (255 - q));
    bc.putImageData(img, 0, 0);
    v.bar = strip;
    strip.lut = lut;
  }
  c.imageSmoothingEnabled = false;
  c.drawImage(v.bar, x, p.y, w, p.h);
  c.strokeStyle = '#444';
  c.strokeRect(x + 0.5, p.y + 0.5, w - 1, p.h - 1);
  c.fillStyle = '#222';
  c.font = fontOf(f);
  const at = [p.y + f, p.y + p.h / 2 + f / 3, p.y + p.h];
  bar(net).forEach((t, i) => c.fillText(String(t), x + w + 4, at[i]));
  c.save();
  c.translate(x + w + 4 + L.labels + 5 + f * 0.85, p.y + p.h / 2);   // beside the labels: its glyphs rise leftwards
  c.rotate(-Math.PI / 2);
  c.textAlign = 'center';
  fitText(c, net.clipped ? `ŷ, clipped to [${net.lo}, ${net.hi}]` : 'ŷ', 0, 0, p.h, f, 400);
  c.restore();
}

const power = (e) => `10${e < 0 ? '⁻' : ''}${[...String(Math.abs(Math.round(e)))].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[d]).join('')}`;

function decades(lo, hi, most) {         // every decade, or every k-th one: at most ``most`` labels
  const a = Math.ceil(Math.log10(lo)), b = Math.floor(Math.log10(hi)), k = Math.ceil((b - a + 1) / most), out = [];
  for (let e = a; e <= b; e += k) out.push(10 ** e);
  return out.length ? out : [lo];
}

function series(v, k, f) {               // the loss history, then the frames shown since Play began
  const b = v.base;
  let start = 0;
  for (let j = 0; j < k; j++) start += b.hn[j];
  const n = b.hn[k], steps = [], train = [], test = [];
  for (let i = 0; i < n && b.hs[start + i] <= f.step; i++) {      // up to the frame shown
    steps.push(b.hs[start + i]);
    train.push(b.hl[2 * start + i]);
    test.push(b.hl[2 * start + n + i]);
  }
  const last = steps.length ? steps[steps.length - 1] : -1;
  for (const g of v.log) {                 // a run that has stopped (diverged) adds nothing after its last step
    if (g.step <= last || g.step > f.step || g.nets[k].run !== g.step) continue;
    steps.push(g.step);
    train.push(g.nets[k].score[0]);
    test.push(g.nets[k].score[1]);
  }
  return { steps, train, test };
}

function every(n, most) {                 // at most about ``most`` indices, evenly spaced, the last one kept
  const step = Math.max(1, Math.floor(n / most)), out = [];
  for (let i = 0; i < n; i += step) out.push(i);
  if (n && out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

function chart(v, c, f) {
  const m = v.meta, L = v.L, s = m.style, p = L.chart, lines = [];
  let top = 0, low = Infinity, right = Math.max(1, f.step);
  for (const k of m.visible) {
    const d = series(v, k, f);
    for (const y of [...d.train, ...d.test]) if (Number.isFinite(y)) { top = Math.max(top, y); if (y > 0) low = Math.min(low, y); }
    lines.push([k, d]);
  }
  const log = v.log_y && low < Infinity;
  const y0 = log ? 10 ** Math.floor(Math.log10(low)) : 0, y1 = log ? 10 ** Math.ceil(Math.log10(Math.max(top, low * 10))) : (top || 1) * 1.05;
  for (const e of L.key) {                   // above the plot (layout put it there): it never covers a curve
    const mid = e.y - e.px * 0.35;
    if (e.k !== undefined) {
      c.fillStyle = m.nets[e.k].colour;
      c.fillRect(e.x, mid - Math.max(3, s.line) / 2, L.font * 1.4, Math.max(3, s.line));
    } else if (e.dash) {
      c.strokeStyle = '#333';
      c.lineWidth = Math.max(2, s.line * 0.7);
      c.setLineDash(e.dash);
      c.beginPath(); c.moveTo(e.x, mid); c.lineTo(e.x + L.small * 1.6, mid); c.stroke();
      c.setLineDash([]);
    }
    c.fillStyle = e.swatch ? '#222' : '#111';
    fitText(c, e.text, e.x + e.swatch, e.y, e.w - e.swatch, e.px, e.weight || 400);
  }
  const X = (x) => p.x + (x / right) * p.w;
  const Y = (y) => p.y + p.h - (log ? (Math.log10(y) - Math.log10(y0)) / Math.log10(y1 / y0) : (y - y0) / (y1 - y0)) * p.h;
  c.save();
  c.beginPath();
  c.rect(p.x, p.y, p.w, p.h);
  c.clip();
  for (const [k, d] of lines) {
    for (const [ys, dash] of [[d.train, []], [d.test, [s.line * 2.5, s.line * 2]]]) {
      c.strokeStyle = m.nets[k].colour;
      c.lineWidth = s.line;
      c.setLineDash(dash);
      c.beginPath();
      let pen = false;
      for (const i of every(d.steps.length, 2 * p.w)) {
        const y = ys[i];
        if (!Number.isFinite(y) || (log && y <= 0)) { pen = false; continue; }
        if (pen) c.lineTo(X(d.steps[i]), Y(y)); else c.moveTo(X(d.steps[i]), Y(y));
        pen = true;
      }
      c.stroke();
    }
  }
  c.setLineDash([]);
  c.restore();
  const ys = axes(c, p, L, s, 0, right, y0, y1, 'step', log ? 'loss (log scale)' : 'loss', log);
  v.canvas.dataset.yticks = JSON.stringify(ys);
}

function download(v) {
  const f = v.frames[v.i];
  v.canvas.toBlob((blob) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `backprop-lab-step${f ? f.step : 0}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
}
