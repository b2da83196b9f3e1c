// The dashboard page: a snapshot (/api/state), then every event after it (/api/events, a
// server-sent event stream that resumes from the last seq seen, across reconnections and
// reloads), a panel for the chosen service (charts, exceptions, log tail) and the actions.
// Every text that comes from the cluster goes into the page through textContent, never as markup.
import uPlot from "/lib/uplot/uPlot.esm.js";
import {Graph} from "/static/graph.js";
import {Timeline} from "/static/timeline.js";

const token = new URLSearchParams(location.search).get("token") || "";
const $ = id => document.getElementById(id);
const STATES = ["created", "starting", "running", "unhealthy", "closing", "closed", "failed", "crashed", "destroyed"];
// the state each event leads to; others (exception) change no colour
const EVENT_STATE = {created: "created", starting: "starting", restarting: "starting", running: "running",
  unhealthy: "unhealthy", closing: "closing", closed: "closed", failed: "failed", crashed: "crashed", destroyed: "destroyed"};

// What tests and the benchmark read: colour changes in order, the seqs seen per page life, gaps.
const record = window.svcDashboard = {colourLog: [], latencies: [], ranges: [], gaps: 0, lastSeq: 0, ready: false};

let services = [];
let byName = new Map();
let selected = null;
let runId = null;
const states = new Map();

const css = getComputedStyle(document.documentElement);
const colourOf = event => event === "exception" ? "#d63384"
  : css.getPropertyValue("--" + (EVENT_STATE[event] || "created")).trim() || "#ccc";
const graph = new Graph($("graph"), select);
const timeline = new Timeline($("timeline"), $("timeline-scroll"), colourOf);

function api(path, options = {}) {
  return fetch(path, {...options, headers: {...(options.headers || {}), "X-Svc-Token": token}});
}

// The colour an event leads to from the current one: the "closed" that follows a "crashed" or
// "failed" (the manager's bookkeeping of the same end) keeps the colour that says why it is down.
function nextState(current, event) {
  const state = EVENT_STATE[event];
  return state === "closed" && (current === "crashed" || current === "failed") ? current : state;
}

function displayState(s) {
  switch (s.state) {
    case "new": case "creating": case "created": return "created";
    case "running": return (s.health || "").startsWith("unhealthy") ? "unhealthy" : "running";
    case "destroying": return "destroyed";
    // the snapshot says only that it is down, and why: a start that went wrong failed, anything else crashed
    case "closed": return !s.problem ? "closed" : / during start|^container: /.test(s.problem) ? "failed" : "crashed";
    default: return s.state;
  }
}

function setState(name, state, event) {
  states.set(name, state);
  if (graph.setState(name, state) && event) {
    record.colourLog.push({service: name, state, seq: event.seq});
    if (record.latencies.length < 200000) record.latencies.push(Date.now() - Date.parse(event.time));
  }
  if (name === selected) $("panel-state").textContent = state;
}

async function loadState() {
  const response = await api("/api/state");
  if (!response.ok) throw new Error("state: " + response.status);
  const state = await response.json();
  $("cluster").textContent = state.cluster;
  runId = state.runId;
  services = state.services;
  byName = new Map(services.map(s => [s.name, s]));
  for (const s of services) {
    // colours come from events; the snapshot gives those not seen yet, and the end of an unhealthy
    // spell, which no event marks (a passing check after failing ones)
    if (!states.has(s.name) || states.get(s.name) === "unhealthy" && displayState(s) === "running") {
      setState(s.name, displayState(s));
    }
    s.displayState = states.get(s.name);
  }
  graph.update(services);
  timeline.setServices(services.map(s => s.name));
  if (selected) showPanel();
  return state;
}

// ---- the event stream --------------------------------------------------------------------

function saved() {
  try { return JSON.parse(sessionStorage.getItem("svc-dashboard-" + runId) || "null"); } catch { return null; }
}

function save() {
  if (!runId) return;
  sessionStorage.setItem("svc-dashboard-" + runId, JSON.stringify({lastSeq: record.lastSeq, ranges: record.ranges,
    gaps: record.gaps, timeline: timeline.events, states: [...states]}));
}

function onEvent(event) {
  if (event.seq <= record.lastSeq) return; // seen before a reconnection
  if (record.lastSeq > 0 && event.seq !== record.lastSeq + 1) record.gaps++;
  const range = record.ranges[record.ranges.length - 1];
  if (range[0] === 0) range[0] = event.seq;
  range[1] = event.seq;
  record.lastSeq = event.seq;
  if (event.event === "created" && !byName.has(event.service)) loadState(); // a spawned child: lay out again
  const state = nextState(states.get(event.service), event.event);
  if (state) setState(event.service, state, event);
  timeline.add(event);
  $("last-seq").textContent = "seq " + event.seq;
  if (event.service === selected && (event.event === "exception" || event.event === "running")) refreshPanel();
}

function connect() {
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}&since=${record.lastSeq}`);
  source.onopen = () => { $("connection").textContent = "live"; $("connection").dataset.connected = "true"; };
  source.onerror = () => { $("connection").textContent = "reconnecting…"; $("connection").dataset.connected = "false"; };
  source.onmessage = m => onEvent(JSON.parse(m.data));
  // older events left the server's ring: what the page missed is only in the snapshot now
  source.addEventListener("gap", () => {
    record.gaps++;
    states.clear();
    loadState();
  });
}

// ---- the panel of one service ------------------------------------------------------------

let cpuChart = null, memoryChart = null, logSource = null;

function select(name) {
  selected = name;
  graph.select(name);
  $("panel").hidden = false;
  $("panel-name").textContent = name;
  $("action-result").textContent = "";
  $("log").replaceChildren();
  if (logSource) logSource.close();
  logSource = new EventSource(`/api/logs?token=${encodeURIComponent(token)}&service=${encodeURIComponent(name)}`);
  logSource.onmessage = m => appendLine(JSON.parse(m.data));
  cpuChart?.destroy(); memoryChart?.destroy(); cpuChart = memoryChart = null;
  refreshPanel();
}

function appendLine(line) {
  const log = $("log");
  const div = document.createElement("div");
  div.className = line.stream;
  div.textContent = line.line;
  div.hidden = !matches(line.line);
  const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.appendChild(div);
  while (log.childElementCount > 1000) log.firstElementChild.remove();
  if (atEnd) log.scrollTop = log.scrollHeight;
}

function matches(text) {
  const filter = $("log-filter").value.trim().toLowerCase();
  return !filter || text.toLowerCase().includes(filter);
}

$("log-filter").addEventListener("input", () => {
  for (const div of $("log").children) div.hidden = !matches(div.textContent);
});

function uptime(since) {
  if (!since) return "—";
  let s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
  const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
  s %= 60;
  return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
}

function showPanel() {
  const s = byName.get(selected);
  if (!s) return;
  const state = states.get(selected) || displayState(s);
  $("panel-state").textContent = state;
  $("panel-health").textContent = s.health || "—";
  $("panel-restarts").textContent = s.restarts;
  $("panel-uptime").textContent = uptime(s.runningSince);
  $("panel-pid").textContent = s.pid ?? "—";
  $("panel-problem").textContent = s.problem || "—";
  const up = ["starting", "running", "unhealthy"].includes(state);
  $("action-stop").disabled = !up;
  $("action-restart").disabled = !up;
  $("action-start").disabled = up || state === "closing";
  const list = $("exceptions");
  list.replaceChildren();
  for (const e of [...s.exceptions].reverse()) {
    const box = document.createElement("div");
    box.className = "exception";
    const head = document.createElement("div");
    head.textContent = `${e.time} [${e.thread}] ${e.exception}: ${e.message}`;
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "stack trace";
    const trace = document.createElement("pre");
    trace.textContent = e.stackTrace;
    details.append(summary, trace);
    box.append(head, details);
    list.appendChild(box);
  }
  if (!s.exceptions.length) list.textContent = "none";
}

async function refreshPanel() {
  if (!selected) return;
  showPanel();
  const response = await api("/api/history?service=" + encodeURIComponent(selected));
  if (!response.ok) return;
  const h = await response.json();
  const mib = v => v / 1048576;
  const cpu = [h.t, h.cpu];
  const memory = [h.t, h.heap.map(mib), h.rss.map(mib)];
  const width = Math.max(300, $("panel").clientWidth - 40);
  if (!cpuChart) {
    cpuChart = new uPlot({width, height: 100, series: [{}, {label: "CPU %", stroke: "#2d9cdb", width: 1.5}],
      scales: {y: {range: (u, min, max) => [0, Math.max(5, max)]}}}, cpu, $("chart-cpu"));
    memoryChart = new uPlot({width, height: 100, series: [{}, {label: "heap", stroke: "#27ae60"},
      {label: "RSS", stroke: "#9b51e0"}], scales: {y: {range: (u, min, max) => [0, Math.max(1, max * 1.2)]}}},
      memory, $("chart-memory"));
  } else {
    cpuChart.setData(cpu);
    memoryChart.setData(memory);
  }
}

// ---- actions: the same commands as svc stop / svc restart, after a confirmation -------------

const WORDS = {
  "action-stop": n => `Stop ${n}? Its dependents close first, and it stays down until started again.`,
  "action-restart": n => `Restart ${n}? It and its dependents close, then start again in order.`,
  "action-start": n => `Start ${n} (and its dependents) again?`,
};

for (const id of Object.keys(WORDS)) {
  $(id).addEventListener("click", () => {
    const name = selected, command = $(id).dataset.command;
    $("confirm-text").textContent = WORDS[id](name);
    $("confirm").returnValue = "";
    $("confirm").onclose = async () => {
      if ($("confirm").returnValue !== "ok") return;
      const response = await api("/api/action", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({command, service: name})});
      const answer = await response.json();
      $("action-result").textContent = answer.ok ? `${command}: asked` : answer.error;
    };
    $("confirm").showModal();
  });
}

// ---- start -------------------------------------------------------------------------------

for (const state of STATES.slice(0, 8)) {
  const li = document.createElement("li");
  li.textContent = state;
  li.style.setProperty("--swatch", css.getPropertyValue("--" + state));
  $("legend").appendChild(li);
}

const state = await loadState();
const before = saved();
if (before) {
  // a reload: resume after the last event this tab saw, with its timeline
  record.lastSeq = before.lastSeq;
  record.ranges = before.ranges;
  record.gaps = before.gaps;
  before.timeline.forEach(e => timeline.add(e));
  before.states.forEach(([name, s]) => { states.set(name, s); graph.setState(name, s); });
} else if (state.seq > 0) {
  // a new tab: the events kept in the server's ring replay the timeline (and states) from the start
  record.lastSeq = 0;
}
record.ranges.push([0, 0]);
// a reload or a navigation away: what the next page of this tab resumes from
addEventListener("pagehide", save);
setInterval(() => { loadState(); if (selected) refreshPanel(); }, 2000);
connect();
record.ready = true;
