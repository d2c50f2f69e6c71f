// The page around the one simulation canvas: it moves the canvas frame
// over the section in view, builds each section's controls from the
// simulation's own parameter list, keeps the URL fragment in sync and
// forwards the keyboard. window.gohttpsim here proxies the frame's hooks
// (returning parsed values) for the page and the browser tests.
"use strict";
(() => {
  const frame = document.getElementById("sim");
  const status = document.getElementById("status");
  const sections = [...document.querySelectorAll("main section")];
  let api = null;     // the frame's raw hooks
  let current = null; // id of the section the canvas is in

  function call(name, ...args) {
    if (!api) throw new Error("simulation not loaded");
    const r = JSON.parse(api[name](...args.map(a => a === undefined ? undefined : String(a))));
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }

  const hook = {
    state: () => call("state"),
    select: id => { call("select", id); place(id); syncHash(); },
    set: (k, v) => { call("set", k, v); syncHash(); refreshControls(current); },
    action: (n, a) => call("action", n, a),
    click: (x, y) => call("click", x, y),
    play: () => { call("play"); syncHash(); syncToolbar(); },
    pause: () => { call("pause"); syncHash(); syncToolbar(); },
    step: n => call("step", n),
    reset: () => call("reset"),
    seek: n => { call("seek", n); syncHash(); syncToolbar(); },
    positions: () => call("positions") || [],
    texts: () => call("texts") || [],
    gif: (secs, fps, w, h) => { const n = call("gif", secs, fps, w, h); return { size: n, bytes: api.lastGIF }; },
    seed: s => { call("seed", s); syncHash(); },
    speed: x => { call("speed", x); syncHash(); syncToolbar(); },
    fragment: () => call("fragment"),
    apply: f => { call("apply", f); const st = call("state"); place(st.section); refreshAll(); syncHash(); },
    empty: on => call("empty", on),
    get frames() { return api ? api.frames : 0; },
    get ready() { return !!api; },
  };
  window.gohttpsim = hook;
  Object.defineProperty(window, "wasmError", { get: () => frame.contentWindow && frame.contentWindow.wasmError });
  Object.defineProperty(window, "goExited", { get: () => frame.contentWindow && frame.contentWindow.goExited });

  // A #play= fragment belongs to the playground (playground.js) while
  // section 1 is in view.
  const playLink = () => location.hash.startsWith("#play=");

  function syncHash() {
    if (!api) return;
    if (playLink() && current === "goroutines") return;
    const f = "#" + call("fragment");
    if (location.hash !== f) history.replaceState(null, "", f);
  }

  // place moves the frame over section id's slot (no reload: one instance).
  function place(id) {
    const slot = document.querySelector(`.slot[data-slot="${id}"]`);
    if (!slot) return;
    current = id;
    const r = slot.getBoundingClientRect();
    frame.style.left = (r.left + scrollX + 1) + "px";
    frame.style.top = (r.top + scrollY + 1) + "px";
    frame.style.width = (r.width - 2) + "px";
    frame.style.height = (r.height - 2) + "px";
    syncToolbar();
  }

  function showError(where, e) {
    const el = where.querySelector(".err") || where.appendChild(Object.assign(document.createElement("span"), { className: "err" }));
    el.textContent = e ? String(e.message || e) : "";
  }

  function fmt(v) { return v; }

  function buildControls(id) {
    const box = document.querySelector(`.controls[data-for="${id}"]`);
    box.textContent = "";
    const cs = call("controls", id);
    for (const c of cs) {
      const label = document.createElement("label");
      label.append(c.label + " ");
      let input;
      const apply = v => {
        try { if (current !== id) hook.select(id); hook.set(c.key, v); showError(box, null); }
        catch (e) { showError(box, e); refreshControls(id); }
      };
      if (c.kind === "slider") {
        input = Object.assign(document.createElement("input"), { type: "range", min: c.min, max: c.max, step: c.step || "any" });
        const out = document.createElement("output");
        input.addEventListener("input", () => { out.textContent = fmt(input.value); });
        input.addEventListener("change", () => apply(input.value));
        label.append(input, out);
        input._out = out;
      } else if (c.kind === "toggle") {
        input = Object.assign(document.createElement("input"), { type: "checkbox" });
        input.addEventListener("change", () => apply(input.checked ? "true" : "false"));
        label.prepend(input);
      } else if (c.kind === "select") {
        input = document.createElement("select");
        for (const o of c.options) input.append(new Option(o, o));
        input.addEventListener("change", () => apply(input.value));
        label.append(input);
      } else {
        input = document.createElement("textarea");
        const btn = Object.assign(document.createElement("button"), { textContent: "apply" });
        btn.addEventListener("click", () => apply(input.value));
        label.append(input, btn);
      }
      input.dataset.key = c.key;
      input.dataset.kind = c.kind;
      box.append(label);
    }
    refreshControls(id);
  }

  // Section actions as ordinary buttons and fields, so that what a click on
  // the canvas does can also be done from the keyboard.
  function buildActions(id) {
    const box = document.querySelector(`.controls[data-for="${id}"]`);
    const run = (name, arg) => {
      try { if (current !== id) hook.select(id); hook.action(name, arg); showError(box, null); }
      catch (e) { showError(box, e); }
    };
    if (id === "goroutines") {
      for (const n of [10, 1000, 10000]) {
        const b = Object.assign(document.createElement("button"), { textContent: `open ${n} connections` });
        b.dataset.action = "spawn";
        b.addEventListener("click", () => run("spawn", n));
        box.append(b);
      }
    }
    if (id === "routing") {
      const label = document.createElement("label");
      const input = Object.assign(document.createElement("input"), { type: "text", value: "GET /users/42", size: 28 });
      input.setAttribute("list", "routing-requests");
      input.dataset.action = "route";
      const list = document.createElement("datalist");
      list.id = "routing-requests";
      const b = Object.assign(document.createElement("button"), { textContent: "route" });
      b.addEventListener("click", () => run("route", input.value));
      input.addEventListener("keydown", ev => { if (ev.key === "Enter") run("route", input.value); });
      label.append("request ", input, list, b);
      box.prepend(label);
    }
  }

  function refreshControls(id) {
    if (!id) return;
    const vals = call("values", id);
    for (const input of document.querySelectorAll(`.controls[data-for="${id}"] [data-key]`)) {
      const v = vals[input.dataset.key];
      if (input.dataset.kind === "toggle") input.checked = v === "true";
      else input.value = v;
      if (input._out) input._out.textContent = v;
    }
  }

  function refreshAll() { for (const s of sections) refreshControls(s.id); }

  function buildToolbar(id) {
    const bar = document.querySelector(`.toolbar[data-for="${id}"]`);
    const btn = (text, title, f) => {
      const b = Object.assign(document.createElement("button"), { textContent: text, title });
      b.addEventListener("click", () => { try { if (current !== id) hook.select(id); f(); showError(bar, null); } catch (e) { showError(bar, e); } });
      bar.append(b);
      return b;
    };
    btn("pause", "play / pause (Space)", () => { call("state").paused ? hook.play() : hook.pause(); }).dataset.role = "play";
    btn("step", "advance one tick (.)", () => hook.step(1));
    btn("reset", "restart from the seed (r)", () => hook.reset());
    const sp = document.createElement("select");
    sp.title = "speed";
    for (const s of ["0.1", "0.25", "0.5", "1", "2", "5", "10", "50", "100"]) sp.append(new Option(s + "×", s));
    sp.dataset.role = "speed";
    sp.addEventListener("change", () => { try { if (current !== id) hook.select(id); hook.speed(sp.value); } catch (e) { showError(bar, e); } });
    const seed = Object.assign(document.createElement("input"), { type: "number", min: 0, step: 1, title: "seed", style: "width:7em" });
    seed.dataset.role = "seed";
    seed.addEventListener("change", () => { try { if (current !== id) hook.select(id); hook.seed(seed.value); } catch (e) { showError(bar, e); } });
    const l1 = document.createElement("label"); l1.append("speed ", sp);
    const l2 = document.createElement("label"); l2.append("seed ", seed);
    // The timeline: drag back to any earlier tick (a deterministic replay
    // from the seed), or forward up to the furthest tick reached.
    const tl = Object.assign(document.createElement("input"), { type: "range", min: 0, max: 0, step: 1, value: 0, title: "timeline: scrub back to any earlier time" });
    tl.dataset.role = "timeline";
    tl.addEventListener("change", () => { try { if (current !== id) hook.select(id); hook.seek(tl.value); } catch (e) { showError(bar, e); } });
    const l3 = document.createElement("label"); l3.append("time ", tl);
    const dl = btn("download GIF", "record 5 s of this section from its seed as an animated GIF", () => {
      const r = hook.gif(5, 15, frame.clientWidth, frame.clientHeight);
      const url = URL.createObjectURL(new Blob([r.bytes], { type: "image/gif" }));
      const a = Object.assign(document.createElement("a"), { href: url, download: `gohttpsim-${id}-seed${call("state").seed}.gif` });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
    dl.dataset.role = "gif";
    bar.append(l1, l2, l3);
  }

  function syncToolbar() {
    if (!api) return;
    const st = call("state");
    for (const bar of document.querySelectorAll(".toolbar")) {
      bar.querySelector('[data-role="play"]').textContent = st.paused ? "play" : "pause";
      const sp = bar.querySelector('[data-role="speed"]');
      if (![...sp.options].some(o => o.value === String(st.speed))) sp.append(new Option(st.speed + "×", String(st.speed)));
      sp.value = String(st.speed);
      bar.querySelector('[data-role="seed"]').value = st.seed;
    }
    const tl = document.querySelector(`.toolbar[data-for="${current}"] [data-role="timeline"]`);
    if (tl) { tl.max = Math.max(Number(tl.max), st.ticks); tl.value = st.ticks; }
  }

  // The section whose slot is most visible gets the canvas.
  function follow() {
    let best = null, bestVis = 0;
    for (const s of sections) {
      const r = s.querySelector(".slot").getBoundingClientRect();
      const vis = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
      if (vis > bestVis) { bestVis = vis; best = s.id; }
    }
    if (best && best !== current) {
      try { hook.select(best); } catch (e) { status.textContent = String(e.message || e); }
    }
  }

  function start() {
    api = frame.contentWindow.gohttpsim;
    for (const s of sections) { buildToolbar(s.id); buildControls(s.id); buildActions(s.id); }
    const fe = frame.contentWindow.fragmentError;
    let id = "goroutines";
    if (playLink()) {
      // the playground's link: section 1 with its defaults
    } else if (location.hash.length > 1) {
      try { hook.apply(location.hash); id = call("state").section; }
      catch (e) { status.textContent = "bad link: " + (e.message || e); }
    } else if (fe) {
      status.textContent = "bad link: " + fe;
    }
    place(id);
    if (location.hash.length > 1 && !playLink()) document.getElementById(id).scrollIntoView({ behavior: "instant", block: "start" });
    syncHash();
    syncToolbar();
    if (!status.textContent.startsWith("bad link")) status.textContent = "simulation running (wasm).";
    let pending = false;
    addEventListener("scroll", () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; follow(); });
    }, { passive: true });
    addEventListener("resize", () => place(current));
    // Keep the timeline under the clock (not while it is being dragged).
    setInterval(() => {
      const tl = document.querySelector(`.toolbar[data-for="${current}"] [data-role="timeline"]`);
      if (!tl || document.activeElement === tl) return;
      try { const t = call("state").ticks; tl.max = Math.max(Number(tl.max), t); tl.value = t; } catch (e) { /* not loaded */ }
    }, 250);
    // Text above a slot can change height (status line, controls, fonts),
    // which would leave the frame where the slot was: keep them aligned.
    (function track() {
      const slot = document.querySelector(`.slot[data-slot="${current}"]`);
      if (slot) {
        const r = slot.getBoundingClientRect();
        const top = (r.top + scrollY + 1) + "px", left = (r.left + scrollX + 1) + "px";
        if (frame.style.top !== top || frame.style.left !== left || frame.style.width !== (r.width - 2) + "px" || frame.style.height !== (r.height - 2) + "px") place(current);
      }
      requestAnimationFrame(track);
    })();
  }

  // The frame's Go code sets gohttpsim.ready; poll for it (or an error).
  const t0 = performance.now();
  (function wait() {
    const w = frame.contentWindow;
    if (w && w.gohttpsim && w.gohttpsim.ready) { start(); return; }
    if (w && w.wasmError) { status.textContent = "the simulation failed to load: " + w.wasmError; return; }
    if (performance.now() - t0 > 60000) { status.textContent = "the simulation did not start within 60 s"; return; }
    setTimeout(wait, 20);
  })();

  addEventListener("keydown", ev => {
    if (!api || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    try {
      switch (ev.key) {
        case " ": ev.preventDefault(); call("state").paused ? hook.play() : hook.pause(); break;
        case ".": hook.step(1); break;
        case "r": hook.reset(); break;
        case "+": case "=": hook.speed(Math.min(1000, call("state").speed * 2)); break;
        case "-": hook.speed(Math.max(0.01, call("state").speed / 2)); break;
        default:
          if (ev.key >= "1" && ev.key <= "6") {
            const s = sections[Number(ev.key) - 1];
            s.scrollIntoView({ behavior: "instant", block: "start" });
            hook.select(s.id);
          }
      }
    } catch (e) { status.textContent = String(e.message || e); }
  });
  // Nav links: select directly (the fragment is the simulation's).
  for (const a of document.querySelectorAll("nav a")) {
    a.addEventListener("click", ev => {
      ev.preventDefault();
      const id = a.getAttribute("href").slice(3);
      document.getElementById(id).scrollIntoView({ behavior: "instant", block: "start" });
      if (api) hook.select(id);
    });
  }
})();
