/* tconvmat's explorable page: draws the states the Python engine computed and links them.
   Written for tconvmat, no library. Every number, index and sentence comes from the data
   (tconvmat/teaching/pages/state.py); this script only lays the cells out and highlights them. */
(function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"})[c]);
  }

  /* Row-major position of a flat index on a grid of `shape` (1-D or 2-D): the "i,j" label. */
  function position(flat, shape) {
    return shape.length === 1 ? [flat] : [Math.floor(flat / shape[1]), flat % shape[1]];
  }

  /* A chunk of states (tconvmat/teaching/pages/packing.py): gzip, base64; a field an earlier state of
     the chunk holds already is {same: that state's key}, here replaced by the value itself. */
  async function unpack(text) {
    const binary = atob(text), bytes = new Uint8Array(binary.length);
    for (let n = 0; n < binary.length; n++) bytes[n] = binary.charCodeAt(n);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const states = JSON.parse(await new Response(stream).text());
    const shared = (v) => v !== null && typeof v === "object" && "same" in v;
    for (const s of Object.values(states)) {
      for (const [field, v] of Object.entries(s)) {
        if (shared(v)) { s[field] = states[v.same][field]; continue; }
        if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
        for (const [inner, w] of Object.entries(v)) if (shared(w)) v[inner] = states[w.same][field][inner];
      }
    }
    return states;
  }

  const TITLES = {
    "x": "Input x",
    "kernel": "Kernel w",
    "canvas": "Canvas: all stamps added; the frame is the crop, y",
    "y": "Output y = Cᵀx",
    "zero-insertion": "Zero insertion: the reversed kernel slides over it",
    "phase": "Polyphase: y's phases, one sub-kernel each",
    "C": "C: rows are inputs, columns outputs",
    "CT": "Cᵀ: rows are outputs, columns inputs",
  };
  const HINT = "Point at, click or tab to any number: everything it is made of, or makes, is framed.";

  function Page(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector("script[data-states]").textContent);
    this.cache = new Map(Object.entries(this.data.states));
    this.pending = new Map();
    this.pinned = null;
    this.current = null;
    this.request = 0;
    this.views = root.querySelector("[data-views]");
    this.readout = root.querySelector("[data-readout]");
    this.error = root.querySelector("[data-error]");
    this.buildControls();
    this.listen();
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        if (this.current && this.readout.clientWidth !== this.readoutWidth) {
          const text = this.readout.textContent;
          this.measureReadout();
          this.readout.textContent = text;
        }
      }).observe(this.readout);
    }
    this.show(this.data.start);
  }

  Page.prototype.buildControls = function () {
    const sliders = this.data.sliders;
    const box = this.root.querySelector("[data-controls]");
    if (!sliders) { box.hidden = true; return; }
    const id = this.root.id;
    const dims = sliders.dims.map((d) => `<label><input type="radio" name="${id}-dims" value="${d}"` +
      `${d === sliders.start[0] ? " checked" : ""}> ${d}-D</label>`).join(" ");
    const rows = sliders.names.map((name, a) => {
      const [low, high] = sliders.ranges[a];
      const value = sliders.start[a + 1];
      return `<label class="tcm-slider"><span>${esc(name)}</span>` +
        `<input type="range" min="${low}" max="${high}" step="1" value="${value}" data-slider="${a}">` +
        `<output>${value}</output></label>`;
    }).join("");
    box.innerHTML = `<fieldset class="tcm-dims"><legend>dimensions</legend>${dims}</fieldset>${rows}`;
    box.addEventListener("input", () => {
      box.querySelectorAll("input[type=range]").forEach((r) => { r.nextElementSibling.value = r.value; });
      this.show(this.sliderKey());
    });
  };

  Page.prototype.sliderKey = function () {
    const box = this.root.querySelector("[data-controls]");
    const ndim = box.querySelector("input[type=radio]:checked").value;
    const values = Array.from(box.querySelectorAll("input[type=range]"), (r) => r.value);
    return `${ndim}:${values.join(",")}`;
  };

  Page.prototype.chunkOf = function (key) {
    const [ndim, values] = key.split(":");
    return `${ndim}:${values.split(",").slice(0, 2).join(",")}`;
  };

  Page.prototype.load = function (key) {
    if (this.cache.has(key)) return Promise.resolve(this.cache.get(key));
    const chunk = this.chunkOf(key);
    const packed = this.data.chunks[chunk];
    if (packed === undefined) return Promise.resolve({error: `No state for ${key} in this page.`});
    return this.unpackChunk(chunk).then(() => this.cache.get(key));
  };

  Page.prototype.unpackChunk = function (chunk) {
    if (!this.pending.has(chunk)) {
      this.pending.set(chunk, unpack(this.data.chunks[chunk]).then((states) => {
        for (const [k, s] of Object.entries(states)) if (!this.cache.has(k)) this.cache.set(k, s);
      }));
    }
    return this.pending.get(chunk);
  };

  /* While the page is idle, unpack the chunks one slider step away (the first two sliders
     or the dimensions), so the step into them does not wait for gzip. One chunk per idle
     moment; an error is left for the step that needs the chunk to report. */
  Page.prototype.unpackAhead = function (key) {
    const chunks = this.data.chunks;
    if (!chunks || !this.data.sliders) return;
    const [ndim, values] = key.split(":"), [a, b] = values.split(",").map(Number);
    const near = [`${ndim}:${a + 1},${b}`, `${ndim}:${a - 1},${b}`, `${ndim}:${a},${b + 1}`, `${ndim}:${a},${b - 1}`,
      ...this.data.sliders.dims.map((d) => `${d}:${a},${b}`)];
    this.ahead = near.filter((c) => c in chunks && !this.pending.has(c));
    if (this.ahead.length && !this.waiting) this.idle();
  };

  Page.prototype.idle = function () {
    const later = window.requestIdleCallback || ((f) => setTimeout(f, 50));
    this.waiting = true;
    later(() => {
      this.waiting = false;
      const chunk = this.ahead.shift();
      if (chunk === undefined) return;
      this.unpackChunk(chunk).catch(() => this.pending.delete(chunk)).then(() => {
        if (this.ahead.length && !this.waiting) this.idle();
      });
    }, {timeout: 1000});
  };

  Page.prototype.show = async function (key) {
    const ticket = ++this.request;
    const started = performance.now();
    let s;
    try {
      s = await this.load(key);
    } catch (e) {
      s = {error: `This browser could not unpack the slider states (${e.message}).`};
    }
    if (ticket !== this.request) return;  // a later slider step won
    this.render(s);
    if (!this.root.dataset.firstRender) this.root.dataset.firstRender = performance.now().toFixed(1);
    this.root.dataset.state = key;
    this.root.dataset.renderMs = (performance.now() - started).toFixed(2);
    this.root.dispatchEvent(new CustomEvent("tcm-render", {detail: key}));
    if (!s.error) this.unpackAhead(key);
  };

  /* ---- drawing ---- */

  /* A view is written as a template: every cell, frame and caption in it is a token standing
     for a record of what it shows (text, label, classes) and where it sits. A view whose
     places are those it shows already keeps its elements: only what they show is rewritten. */
  let drawn = [];  // the records of a state, in page order
  const TOKEN = /\u0001(\d+)\u0002/g;

  function record(r) {
    drawn.push(r);
    return `\u0001${drawn.length - 1}\u0002`;
  }

  function cell(view, index, text, label, cls, attrs, phase) {
    return record({key: `${view}|${phase || ""}|${index}`, view, index, text: String(text), label,
      cls: `tcm-cell${cls || ""}`, attrs: attrs || "", place: `${view}|${index}|${attrs || ""}`});
  }

  function written(r) {
    if (r.frame) {
      return `<div class="tcm-frame tcm-${r.frame}"${r.hidden ? " hidden" : ""} style="grid-row:${r.rows};` +
        `grid-column:${r.cols}"></div>`;
    }
    if (r.caption !== undefined) return `<p class="tcm-caption">${esc(r.caption)}</p>`;
    return `<span class="${r.cls}" data-view="${r.view}" data-index="${r.index}"${r.attrs} ` +
      `role="button" aria-label="${esc(r.label)}">${esc(r.text)}</span>`;
  }

  /* Show a record on the element drawn for an earlier one at the same place; what a pointer,
     a click or the keyboard left on it (frames, pins, the tab stop) goes. */
  function rewrite(el, r) {
    if (r.frame) {
      el.style.gridRow = r.rows;
      el.style.gridColumn = r.cols;
      el.hidden = r.hidden;
      return;
    }
    if (el.textContent !== (r.caption ?? r.text)) el.textContent = r.caption ?? r.text;
    if (r.caption !== undefined) return;
    if (el.className !== r.cls) el.className = r.cls;
    if (el.getAttribute("aria-label") !== r.label) el.setAttribute("aria-label", r.label);
    for (const a of ["data-linked", "data-active", "aria-pressed", "tabindex"]) el.removeAttribute(a);
  }

  const FONT = {"": 1.2, " tcm-s": 1, " tcm-xs": 0.8};  // rem, as page.css sets them

  function sizeClass(columns) {
    return columns > 24 ? " tcm-xs" : columns > 12 ? " tcm-s" : "";
  }

  /* Fixed column widths, wide enough for the longest number (no intrinsic sizing: fast). */
  function columnsOf(cols, values, size) {
    const longest = values.reduce((m, v) => Math.max(m, String(v).length), 1);
    const cell = {"": 2.5, " tcm-s": 2, " tcm-xs": 1.6}[size];
    const width = Math.max(cell, 0.62 * longest * FONT[size] + 0.5);
    return `grid-template-columns:repeat(${cols},${width.toFixed(2)}rem)`;
  }

  function dense(view, shape, values, label, style) {
    const cols = shape.length === 1 ? shape[0] : shape[1], size = sizeClass(cols);
    const cells = values.map((v, f) => {
      const p = position(f, shape);
      return cell(view, p.join(","), v, `${label(f, p)} = ${v}`, style ? style(f) : "");
    });
    return `<div class="tcm-grid${size}" role="group" data-grid="${view}" ` +
      `style="${columnsOf(cols, values, size)}">${cells.join("")}</div>`;
  }

  /* The kernel that slides over the zero-inserted grid: w reversed on every axis (state.py
     says which tap each cell is), its taps placed d apart as on the grid, blank between. */
  function reversedKernel(s, name) {
    const shape = s.shape.kernel, taps = s.zero_insertion.kernel, d = s.zero_insertion.dilation;
    const [dr, dc] = d.length === 1 ? [1, d[0]] : d;
    const cols = shape.length === 1 ? shape[0] : shape[1], span = (cols - 1) * dc + 1;
    const values = taps.map((j) => s.value.kernel[j]), size = sizeClass(span);
    const cells = taps.map((j, f) => {
      const p = position(f, shape), [r, c] = p.length === 1 ? [0, p[0]] : p;
      return cell("reversed-kernel", p.join(","), values[f],
        `reversed kernel${name.kernel[f]} = w${name.kernel[j]} = ${values[f]}`, ` tcm-tap tcm-tap-${j}`,
        ` style="grid-row:${r * dr + 1};grid-column:${c * dc + 1}"`);
    });
    const apart = new Set(d).size === 1 ? `${d[0]}` : d.join(", ");
    const caption = `reversed kernel${d.some((v) => v > 1) ? `, taps ${apart} apart` : ""}`;
    return `<figure class="tcm-reversed"><figcaption>${esc(caption)}</figcaption>` +
      `<div class="tcm-grid${size}" role="group" data-grid="reversed-kernel" ` +
      `style="${columnsOf(span, values, size)};grid-auto-rows:var(--tcm-cell)">${cells.join("")}</div></figure>`;
  }

  function overlay(kind, rows, cols, hidden) {
    return record({frame: kind, hidden, rows: `${rows[0] + 1}/${rows[1] + 1}`, cols: `${cols[0] + 1}/${cols[1] + 1}`,
      place: `frame ${kind}`});
  }

  /* A sparse matrix: only its entries are elements, placed absolutely on a ruled plane.
     Its cell size follows its shorter side, so C and Cᵀ get the same cells (a wide C
     scrolls sideways rather than shrinking its digits). */
  function matrix(view, rows, columns, entries, rowNames, colNames) {
    const side = Math.min(rows, columns);
    const kind = side > 48 ? "m3" : side > 20 ? "m2" : "m1";
    const m = {m1: 1.9, m2: 1.3, m3: 0.75}[kind];
    const longest = rowNames.reduce((n, s) => Math.max(n, s.length), 0);
    const left = rows <= 64 ? 0.48 * longest + 0.8 : 0, top = columns <= 48 ? 1.1 : 0;
    const at = (x, y, w, h) => `left:${x.toFixed(2)}rem;top:${y.toFixed(2)}rem` +
      (w ? `;width:${w.toFixed(2)}rem;height:${h.toFixed(2)}rem` : "");
    const parts = [`<div class="tcm-lines" style="${at(left, top, columns * m, rows * m)}"></div>`,
      // an output's row or an input's column, framed: moved by a transform, never laid out again
      `<div class="tcm-band" data-band="row" style="${at(left, top, columns * m, m)}"></div>`,
      `<div class="tcm-band" data-band="col" style="${at(left, top, m, rows * m)}"></div>`];
    if (left) rowNames.forEach((n, r) => parts.push(`<span class="tcm-label" style="${at(0, top + r * m, left - 0.3, m)}">${esc(n)}</span>`));
    if (top) colNames.forEach((n, c) => parts.push(`<span class="tcm-label tcm-top" style="${at(left + c * m, 0, m, top)}">${esc(n)}</span>`));
    for (const [r, c, text, label, tap] of entries) {
      parts.push(cell(view, `${r},${c}`, text, label, ` tcm-tap tcm-tap-${tap}`, ` style="${at(left + c * m, top + r * m)}"`));
    }
    return `<div class="tcm-matrix tcm-${kind}" role="group" data-grid="${view}" data-m="${m}" style="--tcm-m:${m}rem">` +
      `<div class="tcm-plane" style="width:${(left + columns * m).toFixed(2)}rem;height:${(top + rows * m).toFixed(2)}rem">` +
      `${parts.join("")}</div></div>`;
  }

  /* A view's contents; its <section> stays from state to state, so a view scrolled out of
     sight keeps being skipped by the browser (content-visibility) when the sliders move. */
  function section(view, body, caption) {
    return [view, `<h3>${esc(TITLES[view])}</h3>${caption ? record({caption, place: "caption"}) : ""}${body}`];
  }

  Page.prototype.sections = function () {
    if (!this.sectionOf) {
      this.views.innerHTML = Object.keys(TITLES).map((view) =>
        `<section class="tcm-view" data-section="${view}" aria-label="${esc(TITLES[view])}"></section>`).join("");
      this.sectionOf = {};
      this.views.querySelectorAll("section[data-section]").forEach((el) => { this.sectionOf[el.dataset.section] = el; });
    }
    return this.sectionOf;
  };

  Page.prototype.render = function (s) {
    this.pinned = null;
    if (s.error) {
      this.current = null;
      this.error.textContent = s.error;
      this.error.hidden = false;
      for (const el of Object.values(this.sections())) el.innerHTML = "";
      this.places = {};
      this.views.hidden = true;
      this.root.querySelector("[data-title]").textContent = "";
      this.root.querySelector("[data-facts]").innerHTML = "";
      this.readout.textContent = "";
      this.readout.hidden = true;  // no empty box under the message
      return;
    }
    this.current = s;
    this.index(s);
    const shape = s.shape, value = s.value;
    const name = this.name = {};
    for (const v of ["x", "kernel", "y"]) name[v] = this.data.names[shape[v].join(",")];
    this.readout.hidden = false;
    this.fitReadout(s);
    this.error.hidden = true;
    this.views.hidden = false;
    this.root.querySelector("[data-title]").textContent = s.title;
    this.root.querySelector("[data-facts]").innerHTML = s.facts.map((f) => `<li>${esc(f)}</li>`).join("");
    const tapStyle = (f) => ` tcm-tap tcm-tap-${f}`;
    const parts = [];
    drawn = [];
    parts.push(section("x", dense("x", shape.x, value.x, (f) => `x${name.x[f]}`)));
    parts.push(section("kernel", dense("kernel", shape.kernel, value.kernel, (f) => `w${name.kernel[f]}`, tapStyle)));
    const win = s.window;
    const inside = new Set(s.output_canvas);
    let canvas = dense("canvas", shape.canvas, value.canvas, (f, p) => `canvas[${p.join(",")}]`,
      (f) => inside.has(f) ? "" : " tcm-out");
    const rowsOf = (w) => shape.canvas.length === 1 ? [0, 1] : w[0];
    const colsOf = (w) => shape.canvas.length === 1 ? w[0] : w[1];
    canvas = canvas.replace(/<\/div>$/, overlay("crop", rowsOf(win), colsOf(win)) + "</div>");
    parts.push(section("canvas", canvas, s.crop));
    parts.push(section("y", dense("y", shape.y, value.y, (f) => `y${name.y[f]}`)));
    const held = new Set(s.zero_insertion.inputs);
    const slides = reversedKernel(s, name);  // drawn first: cells are keyed in page order
    let zero = dense("zero-insertion", shape["zero-insertion"], value["zero-insertion"],
      (f, p) => `zero-insertion[${p.join(",")}]`, (f) => held.has(f) ? " tcm-held" : " tcm-zero");
    zero = zero.replace(/<\/div>$/, overlay("window", [0, 1], [0, 1], true) + "</div>");
    parts.push(section("zero-insertion", slides + zero));
    const phases = s.phases.map((ph, n) => {
      const cells = ph.outputs.map((t, m) => cell("phase", position(m, ph.shape).join(","), value.y[t],
        `y${name.y[t]} = ${value.y[t]}`, ` tcm-phase-${n}`, ` data-phase="${ph.first}"`, ph.first));
      const cols = ph.shape.length === 1 ? ph.shape[0] : ph.shape[1];
      return `<figure class="tcm-phase"><figcaption class="tcm-phasecap-${n}">${esc(ph.label)}</figcaption>` +
        `<div class="tcm-grid${sizeClass(cols)}" role="group" data-grid="phase-${n}" ` +
        `style="${columnsOf(cols, ph.outputs.map((t) => value.y[t]), sizeClass(cols))}">${cells.join("")}</div></figure>`;
    });
    parts.push(section("phase", `<div class="tcm-phases">${phases.join("")}</div>`));
    const nIn = value.x.length, nOut = value.y.length;
    const entries = [], transposed = [];
    for (const p of this.pairs) {
      if (p.t < 0) continue;
      const v = value.kernel[p.j];
      entries.push([p.i, p.t, v, `C[${p.i},${p.t}] = ${v}`, p.j]);
      transposed.push([p.t, p.i, v, `Cᵀ[${p.t},${p.i}] = ${v}`, p.j]);
    }
    const outNumbers = Array.from({length: nOut}, (_, t) => String(t));
    const inNumbers = Array.from({length: nIn}, (_, i) => String(i));
    const inRows = name.x.map((n, i) => `${i}: x${n}`), outRows = name.y.map((n, t) => `${t}: y${n}`);
    parts.push(section("C", matrix("C", nIn, nOut, entries, inRows, outNumbers)));
    parts.push(section("CT", matrix("CT", nOut, nIn, transposed, outRows, inNumbers)));
    const sections = this.sections();
    this.places = this.places || {};
    this.cells = new Map();
    for (const [view, template] of parts) {
      const el = sections[view], records = [];
      const places = template.replace(TOKEN, (_, n) => { records.push(drawn[n]); return drawn[n].place; });
      const kept = this.places[view] === places;
      if (!kept) el.innerHTML = template.replace(TOKEN, (_, n) => written(drawn[n]));
      this.places[view] = places;
      const shown = el.querySelectorAll(".tcm-cell, .tcm-frame, .tcm-caption");
      records.forEach((r, n) => {
        if (kept) rewrite(shown[n], r);
        if (r.key) this.cells.set(r.key, shown[n]);
      });
      if (kept) el.querySelectorAll(".tcm-band[data-shown]").forEach((b) => b.removeAttribute("data-shown"));
    }
    this.colour(s);
    this.views.querySelectorAll("[data-grid]").forEach((g) => {
      const first = g.querySelector(".tcm-cell");
      if (first) first.tabIndex = 0;
    });
  };

  /* The readout keeps one height while a state is shown: room for its longest text (a sum,
     an input's stamp or a tap; at least the two lines CSS gives it), so pointing at a number
     never moves the views under the pointer. Measured before the views are drawn. */
  Page.prototype.fitReadout = function (s) {
    const texts = [HINT, ...s.sums];
    const say = (view, n) => this.meaning({dataset: {view, index: position(n, s.shape[view]).join(",")}}).text;
    for (let i = 0; i < s.value.x.length; i++) texts.push(say("x", i));
    for (let j = 0; j < s.value.kernel.length; j++) texts.push(say("kernel", j));
    this.longest = texts.reduce((a, b) => (b.length > a.length ? b : a));
    this.measureReadout();
    this.readout.textContent = HINT;
  };

  Page.prototype.measureReadout = function () {
    const r = this.readout;
    r.style.minHeight = "";
    r.textContent = this.longest;
    r.style.minHeight = `${r.offsetHeight}px`;
    this.readoutWidth = r.clientWidth;
  };

  /* Above the views (a narrow page) the readout sticks to the top of the scrolling box and
     covers what passes under it (beside them it covers nothing): when it covers the cell pointed at (or focused), scroll just enough to show its row.
     The pointer is on the cell's visible part, below the readout, so it stays on the cell. */
  Page.prototype.clear = function (el) {
    const r = this.readout.getBoundingClientRect(), c = el.getBoundingClientRect();
    if (c.top >= r.bottom || c.bottom <= r.top || c.left >= r.right || c.right <= r.left) return;
    el.style.scrollMarginTop = `${r.height}px`;
    el.scrollIntoView({block: "nearest", inline: "nearest"});
    el.style.scrollMarginTop = "";
  };

  Page.prototype.colour = function (s) {
    const rules = s.colors.taps.map(([bg, fg], j) =>
      `#${this.root.id} .tcm-tap-${j}{background:${bg};color:${fg}}`);
    s.colors.phases.forEach(([bg], n) => rules.push(
      `#${this.root.id} .tcm-phase-${n}{box-shadow:inset 0 0 0 4px ${bg}}`,
      `#${this.root.id} .tcm-phasecap-${n}{border-left:1rem solid ${bg};padding-left:.4rem}`));
    this.root.querySelector("style[data-colours]").textContent = rules.join("\n");
  };

  /* ---- links: every cell maps to (input, tap, canvas cell, output) pairs ---- */

  Page.prototype.index = function (s) {
    const taps = s.pairs.taps, pairs = [];
    const by = {i: new Map(), j: new Map(), c: new Map(), t: new Map(), e: new Map()};
    const add = (m, k, n) => { if (!m.has(k)) m.set(k, []); m.get(k).push(n); };
    for (let n = 0; n < s.pairs.canvas.length; n++) {
      // pairs are listed input by input, scatter tap by scatter tap (state.py)
      const p = {i: Math.floor(n / taps.length), j: taps[n % taps.length], c: s.pairs.canvas[n], t: s.pairs.output[n]};
      pairs.push(p);
      add(by.i, p.i, n); add(by.j, p.j, n); add(by.c, p.c, n); add(by.t, p.t, n);
      if (p.t >= 0) add(by.e, `${p.i},${p.t}`, n);
    }
    this.pairs = pairs;
    this.by = by;
    this.canvasOutput = new Map(s.output_canvas.map((c, t) => [c, t]));
    this.heldInput = new Map(s.zero_insertion.inputs.map((z, i) => [z, i]));
    this.reversedCell = [];  // user tap → its flat cell on the reversed kernel
    s.zero_insertion.kernel.forEach((j, f) => { this.reversedCell[j] = f; });
    this.phaseCell = new Map();
    s.phases.forEach((ph) => ph.outputs.forEach((t, m) => this.phaseCell.set(t, [ph.first, position(m, ph.shape).join(",")])));
  };

  function flat(index, shape) {
    const p = index.split(",").map(Number);
    return shape.length === 1 ? p[0] : p[0] * shape[1] + p[1];
  }

  /* What a cell stands for: its pairs, the outputs it concerns, and the readout. */
  Page.prototype.meaning = function (el) {
    const s = this.current, v = el.dataset.view, idx = el.dataset.index, by = this.by;
    const pairsOf = (m, k) => m.get(k) || [];
    const reached = (ns) => [...new Set(ns.map((n) => this.pairs[n].t).filter((t) => t >= 0))];
    const names = (ts) => {  // a long list would fill the readout: the frames show them all
      const shown = (ts.length > 12 ? ts.slice(0, 8) : ts).map((t) => `y${this.name.y[t]}`).join(", ");
      return ts.length > 12 ? `${shown} and ${ts.length - 8} more (all framed)` : shown;
    };
    if (v === "y" || v === "phase") {
      const t = v === "y" ? flat(idx, s.shape.y) : this.phaseOutput(el);
      return {pairs: pairsOf(by.t, t), outputs: [t], text: s.sums[t], bands: [["CT", "row", t], ["C", "col", t]]};
    }
    if (v === "x" || (v === "zero-insertion" && this.heldInput.has(flat(idx, s.shape["zero-insertion"])))) {
      const i = v === "x" ? flat(idx, s.shape.x) : this.heldInput.get(flat(idx, s.shape["zero-insertion"]));
      const ns = pairsOf(by.i, i), ts = reached(ns);
      return {pairs: ns, outputs: ts, text: `${s.stamp_text[i]}; it reaches ${ts.length ? names(ts) : "no output (all cropped)"}`,
        bands: [["CT", "col", i], ["C", "row", i]]};
    }
    if (v === "kernel" || v === "reversed-kernel") {
      const f = flat(idx, s.shape.kernel), j = v === "kernel" ? f : s.zero_insertion.kernel[f];
      const ns = pairsOf(by.j, j), ts = reached(ns);
      const which = v === "kernel" ? "" : `reversed kernel${this.name.kernel[f]} = `;
      return {pairs: ns, outputs: ts, text: `${which}w${this.name.kernel[j]} = ${s.value.kernel[j]} is in every stamp; inside the crop it reaches ${ts.length} output(s): ${names(ts)}`};
    }
    if (v === "C" || v === "CT") {
      const [a, b] = idx.split(",").map(Number);
      const [i, t] = v === "C" ? [a, b] : [b, a];
      const ns = pairsOf(by.e, `${i},${t}`), p = this.pairs[ns[0]], n = this.name;
      const text = `${el.getAttribute("aria-label")} = w${n.kernel[p.j]}: x${n.x[i]} · w${n.kernel[p.j]} → y${n.y[t]}`;
      return {pairs: ns, outputs: [t], text};
    }
    if (v === "canvas") {
      const c = flat(idx, s.shape.canvas), ns = pairsOf(by.c, c);
      const t = this.canvasOutput.get(c);
      const where = t === undefined ? "cropped away" : `it is y${this.name.y[t]}`;
      return {pairs: ns, outputs: t === undefined ? [] : [t], text: `${el.getAttribute("aria-label")}: ${ns.length} stamp(s) land here; ${where}`};
    }
    return {pairs: [], outputs: [], text: `${el.getAttribute("aria-label")}: an inserted or border zero`};
  };

  Page.prototype.phaseOutput = function (el) {
    const s = this.current, ph = s.phases.find((p) => p.first === el.dataset.phase);
    return ph.outputs[flat(el.dataset.index, ph.shape)];
  };

  Page.prototype.linked = function (m) {
    const s = this.current, out = [], get = (v, i, ph) => this.cells.get(`${v}|${ph || ""}|${i}`);
    const at = (view, f) => position(f, s.shape[view]).join(",");
    for (const n of m.pairs) {
      const p = this.pairs[n];
      out.push(get("x", at("x", p.i)), get("kernel", at("kernel", p.j)), get("canvas", at("canvas", p.c)),
        get("reversed-kernel", at("kernel", this.reversedCell[p.j])));
      if (p.t >= 0) out.push(get("C", `${p.i},${p.t}`), get("CT", `${p.t},${p.i}`));
      const z = s.zero_insertion.inputs[p.i];
      if (z >= 0) out.push(get("zero-insertion", at("zero-insertion", z)));
    }
    for (const t of m.outputs) {
      out.push(get("y", at("y", t)), get("canvas", at("canvas", s.output_canvas[t])));
      const [first, where] = this.phaseCell.get(t);
      out.push(get("phase", where, first));
    }
    return out.filter(Boolean);
  };

  Page.prototype.highlight = function (el) {
    this.root.querySelectorAll("[data-linked]").forEach((c) => c.removeAttribute("data-linked"));
    this.root.querySelectorAll("[data-active]").forEach((c) => c.removeAttribute("data-active"));
    const frame = this.root.querySelector(".tcm-window");
    if (frame) frame.hidden = true;
    this.views.querySelectorAll(".tcm-band[data-shown]").forEach((b) => b.removeAttribute("data-shown"));
    if (!el || !this.current) {
      this.views.classList.remove("tcm-focusing");
      this.readout.textContent = this.current ? HINT : "";
      return;
    }
    const m = this.meaning(el);
    const linked = this.linked(m);
    for (const c of linked) c.setAttribute("data-linked", "");
    const bands = (m.bands || []).map(([view, axis, n]) => this.band(view, axis, n)).filter(Boolean);
    this.reveal(linked.concat(bands), el);
    el.setAttribute("data-linked", "");
    el.setAttribute("data-active", "");
    this.views.classList.add("tcm-focusing");
    this.readout.textContent = m.text;
    this.clear(el);
    if (frame && m.outputs.length === 1 && (el.dataset.view === "y" || el.dataset.view === "phase")) {
      const t = m.outputs[0], w = this.current.zero_insertion.windows, p = position(t, this.current.shape.y);
      const rows = w.length === 1 ? [0, 1] : w[0][p[0]], cols = w.length === 1 ? w[0][p[0]] : w[1][p[1]];
      frame.style.gridRow = `${rows[0] + 1}/${rows[1] + 1}`;
      frame.style.gridColumn = `${cols[0] + 1}/${cols[1] + 1}`;
      frame.hidden = false;
    }
  };

  /* Frame a whole row or column of a matrix: an output's row of Cᵀ (its column of C), an
     input's column of Cᵀ (its row of C). */
  Page.prototype.band = function (view, axis, n) {
    const box = this.sections()[view].querySelector(".tcm-matrix");
    const band = box && box.querySelector(`.tcm-band[data-band="${axis}"]`);
    if (!band) return null;
    const shift = (n * box.dataset.m).toFixed(2);
    band.style.transform = axis === "row" ? `translateY(${shift}rem)` : `translateX(${shift}rem)`;
    band.setAttribute("data-shown", "");
    return band;
  };

  /* A large matrix scrolls inside its own box: bring its first linked entry into view there
     (the page itself never scrolls). */
  Page.prototype.reveal = function (linked, active) {
    const done = new Set();
    for (const c of linked) {
      const box = c.closest(".tcm-matrix");
      if (!box || done.has(box) || box.contains(active)) continue;
      done.add(box);
      const b = box.getBoundingClientRect(), r = c.getBoundingClientRect();  // a band is moved by a transform
      const x = r.left - b.left - box.clientLeft + box.scrollLeft, y = r.top - b.top - box.clientTop + box.scrollTop;
      const seen = x >= box.scrollLeft && x + r.width <= box.scrollLeft + box.clientWidth &&
        y >= box.scrollTop && y + r.height <= box.scrollTop + box.clientHeight;
      if (!seen) {
        box.scrollLeft = Math.max(0, x - box.clientWidth / 3);
        box.scrollTop = Math.max(0, y - box.clientHeight / 3);
      }
    }
  };

  /* ---- events: pointer, click (pins), keyboard ---- */

  Page.prototype.listen = function () {
    const target = (e) => e.target.closest && e.target.closest(".tcm-cell");
    this.views.addEventListener("mouseover", (e) => { const c = target(e); if (c) this.highlight(c); });
    this.views.addEventListener("mouseleave", () => this.highlight(this.pinned));
    this.views.addEventListener("focusin", (e) => { const c = target(e); if (c) this.highlight(c); });
    this.views.addEventListener("focusout", (e) => {
      if (!this.views.contains(e.relatedTarget)) this.highlight(this.pinned);
    });
    this.views.addEventListener("click", (e) => {
      const c = target(e);
      if (!c) return;
      this.pin(this.pinned === c ? null : c);
      this.rove(c);
      c.focus({preventScroll: true});
      this.highlight(c);
    });
    this.views.addEventListener("keydown", (e) => this.key(e));
  };

  /* One tab stop per grid (roving tabindex): the cell last visited. */
  Page.prototype.rove = function (el) {
    const grid = el.closest("[data-grid]");
    grid.querySelectorAll('[tabindex="0"]').forEach((c) => { c.tabIndex = -1; });
    el.tabIndex = 0;
  };

  Page.prototype.pin = function (el) {
    if (this.pinned) this.pinned.removeAttribute("aria-pressed");
    this.pinned = el;
    if (el) el.setAttribute("aria-pressed", "true");
  };

  Page.prototype.key = function (e) {
    const el = e.target.closest(".tcm-cell");
    if (!el) return;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); el.click(); return; }
    if (e.key === "Escape") { this.pin(null); this.highlight(null); return; }
    const moves = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const grid = el.closest("[data-grid]");
    const cells = Array.from(grid.querySelectorAll(".tcm-cell"));
    const spot = (c) => { const p = c.dataset.index.split(",").map(Number); return p.length === 1 ? [0, p[0]] : p; };
    const [r0, c0] = spot(el);
    let best = null, bestScore = Infinity;
    for (const c of cells) {  // the nearest cell in the direction of the arrow
      const [r, col] = spot(c), dr = r - r0, dc = col - c0;
      const ahead = move[0] ? dr * move[0] : dc * move[1];
      if (ahead <= 0) continue;
      const score = ahead * 1000 + Math.abs(move[0] ? dc : dr);
      if (score < bestScore) { bestScore = score; best = c; }
    }
    if (best) {
      this.rove(best);
      best.focus();
    }
  };

  function start(root) {
    if (root.hasAttribute("data-started")) return;
    root.setAttribute("data-started", "");
    root.tconvmat = new Page(root);
  }
  // A notebook may run this script inside an output that is not attached yet: start the
  // page this script sits in first, then any other page of the document.
  const own = document.currentScript && document.currentScript.closest("[data-tconvmat-page]");
  if (own) start(own);
  document.querySelectorAll("[data-tconvmat-page]").forEach(start);
})();
