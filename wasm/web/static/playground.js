// The scheduler playground in section 1: a second wasm module
// (playground.wasm: the go/ssa interpreter on the scheduler model) loaded
// only when the panel is opened, which runs the program in the editor and
// paints its Gs' moves on #pg-canvas (viz/gtrace's layout, painted by the
// module). The program travels in the URL fragment as
// #play=<base64url(deflate-raw(source))>&procs=N&seed=S.
// window.playground is the hook the browser tests use.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const panel = $("playground"), src = $("pg-src"), out = $("pg-output"), status = $("pg-status");
  const exampleSel = $("pg-example"), procsSel = $("pg-procs"), seedIn = $("pg-seed"), runBtn = $("pg-run");
  const canvas = $("pg-canvas"), playBtn = $("pg-play"), speedSel = $("pg-speed"), stepIn = $("pg-step"), timeOut = $("pg-time");
  let loading = null, examples = [], last = null;
  // Playback: step k of steps, frame f of the move into it.
  const pb = { step: 0, steps: 0, frame: 0, playing: false };

  const pg = {
    ready: false, error: "", runs: 0, last: null,
    open: () => { panel.open = true; return load(); },
    load: () => load(),
    run: () => run(),
    examples: () => examples,
    fragment: () => location.hash,
    draw: (step, frac) => JSON.parse(window.gohttpsimPlaygroundDraw(canvas, step, frac)),
  };
  window.playground = pg;

  function setStatus(s) { status.textContent = s; }

  function load() {
    if (loading) return loading;
    setStatus("loading the playground module…");
    loading = (async () => {
      if (!window.Go) {
        await new Promise((ok, bad) => {
          const s = Object.assign(document.createElement("script"), { src: "wasm_exec.js" });
          s.onload = ok;
          s.onerror = () => bad(new Error("wasm_exec.js did not load"));
          document.head.append(s);
        });
      }
      const resp = await fetch("playground.wasm");
      if (!resp.ok) throw new Error(`playground.wasm: HTTP ${resp.status}: ${(await resp.text()).trim()}`);
      const go = new Go();
      const { instance } = await WebAssembly.instantiateStreaming(resp, go.importObject);
      go.run(instance).then(() => { pg.exited = true; });
      for (let i = 0; !window.gohttpsimPlaygroundReady; i++) {
        if (i > 500) throw new Error("the playground module did not start");
        await new Promise(r => setTimeout(r, 10));
      }
      examples = JSON.parse(window.gohttpsimPlaygroundExamples());
      if (examples.error) throw new Error(examples.error);
      exampleSel.textContent = "";
      for (const [i, e] of examples.entries()) exampleSel.append(new Option(`${e.name} (${e.file})`, String(i)));
      if (!src.value.trim() && examples.length) src.value = examples[0].src;
      pg.ready = true;
      if (!pg.error) setStatus("ready: edit the program and press Run.");
    })().catch(e => {
      pg.error = String(e.message || e);
      setStatus("the playground failed to load: " + pg.error);
      loading = null;
      throw e;
    });
    return loading;
  }

  // base64url of bytes, and back (throws on a character outside the alphabet).
  function b64url(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function unb64url(s) {
    if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("not base64url");
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    return Uint8Array.from(bin, c => c.charCodeAt(0));
  }
  async function pack(text) {
    const z = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    return b64url(new Uint8Array(await new Response(z).arrayBuffer()));
  }
  async function unpack(s) {
    const z = new Blob([unb64url(s)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new TextDecoder("utf-8", { fatal: true }).decode(await new Response(z).arrayBuffer());
  }

  // The fragment a run is shared by.
  async function share() {
    const f = `#play=${await pack(src.value)}&procs=${procsSel.value}&seed=${seedIn.value || 0}`;
    if (location.hash !== f) history.replaceState(null, "", f);
  }

  // restore reads a #play= fragment: the program, GOMAXPROCS and seed.
  async function restore(hash) {
    const q = new URLSearchParams(hash.replace(/^#/, ""));
    if (!q.get("play")) throw new Error("no program (play=) in the link");
    const procs = q.get("procs") || "1", seed = q.get("seed") || "1";
    if (![...procsSel.options].some(o => o.value === procs)) throw new Error(`procs=${procs}: want one of 1, 2, 4, 8`);
    if (!/^[0-9]+$/.test(seed)) throw new Error(`seed=${seed}: want an unsigned integer`);
    let text;
    try { text = await unpack(q.get("play")); }
    catch (e) { throw new Error("the program in the link is not valid deflate+base64url (" + (e.message || e) + ")"); }
    src.value = text;
    procsSel.value = procs;
    seedIn.value = seed;
  }

  function show(r) {
    out.textContent = "";
    const span = (cls, text) => out.append(Object.assign(document.createElement("span"), { className: cls, textContent: text }));
    if (r.error) { span("err", r.error + "\n"); }
    if (r.output) span("stdout", r.output);
    if (r.stderr) span("stderr", r.stderr);
    if (!r.error) {
      const ms = (r.simTimeNs / 1e6).toLocaleString("en", { maximumFractionDigits: 3 });
      span("meta", `\n[exit status ${r.exitCode} · simulated ${ms} ms · ${r.events} events · digest ${r.digest}${r.truncated ? " · stopped at the event limit" : ""}]`);
    }
  }

  async function run() {
    await load();
    const procs = Number(procsSel.value), seed = Number(seedIn.value || 0);
    setStatus("running…");
    await new Promise(r => setTimeout(r, 0)); // let the status paint
    const r = JSON.parse(window.gohttpsimRunProgram(src.value, procs, seed));
    last = r;
    pg.last = r;
    pg.runs++;
    show(r);
    await share();
    if (r.error) { setStatus("did not compile"); pb.steps = 0; return r; }
    const d = pg.draw(0, 1);
    Object.assign(pb, { step: 0, steps: d.steps, frame: 0, playing: true });
    stepIn.max = d.steps;
    stepIn.value = 0;
    playBtn.textContent = "pause";
    setStatus(`exit status ${r.exitCode}; ${d.steps} steps of the scheduler to replay`);
    return r;
  }

  function tick() {
    requestAnimationFrame(tick);
    if (!pg.ready || !last || last.error || !pb.steps) return;
    const per = Number(speedSel.value);
    if (pb.playing) {
      pb.frame++;
      if (pb.frame >= per) {
        if (pb.step < pb.steps) { pb.step++; pb.frame = 0; }
        else pb.playing = false, playBtn.textContent = "replay";
      }
    }
    const d = pg.draw(pb.step, Math.min(pb.frame / per, 1));
    stepIn.value = pb.step;
    timeOut.textContent = `t = ${(d.timeNs / 1e3).toLocaleString("en", { maximumFractionDigits: 1 })} µs · step ${d.step}/${d.steps} · ${d.chips} Gs`;
  }
  requestAnimationFrame(tick);

  playBtn.addEventListener("click", () => {
    if (!pb.steps) return;
    if (!pb.playing && pb.step >= pb.steps) { pb.step = 0; pb.frame = 0; }
    pb.playing = !pb.playing;
    playBtn.textContent = pb.playing ? "pause" : "play";
  });
  stepIn.addEventListener("input", () => { pb.step = Number(stepIn.value); pb.frame = Number(speedSel.value); pb.playing = false; playBtn.textContent = "play"; });
  exampleSel.addEventListener("change", () => { const e = examples[Number(exampleSel.value)]; if (e) src.value = e.src; });
  runBtn.addEventListener("click", () => run().catch(e => setStatus(String(e.message || e))));
  src.addEventListener("keydown", ev => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); runBtn.click(); }
    if (ev.key === "Tab" && !ev.shiftKey && !ev.ctrlKey) { // indent, as an editor would
      ev.preventDefault();
      src.setRangeText("\t", src.selectionStart, src.selectionEnd, "end");
    }
  });
  panel.addEventListener("toggle", () => { if (panel.open) load().catch(() => {}); });

  // A #play= link: open the panel, restore the program and run it.
  pg.follow = hash => {
    pg.error = "";
    panel.open = true;
    return restore(hash).then(() => run()).catch(e => {
      pg.error = "bad playground link: " + (e.message || e);
      setStatus(pg.error);
      out.textContent = pg.error;
    });
  };
  if (location.hash.startsWith("#play=")) {
    panel.open = true;
    panel.scrollIntoView({ behavior: "instant", block: "start" });
    pg.follow(location.hash);
  }
})();
