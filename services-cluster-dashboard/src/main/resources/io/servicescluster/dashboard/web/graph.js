// The dependency graph as SVG: layers by dependency depth (a service one layer right of its
// deepest dependency; a spawned child one right of its parent), each layer ordered once by the
// mean position of what it depends on, then by name. Laid out when the set of services changes,
// never when a state does: a state change only swaps a class, so nothing moves under the eye.
const SVG = "http://www.w3.org/2000/svg";
const NODE_W = 150, NODE_H = 38, GAP_X = 70, GAP_Y = 14, PAD = 12;

function el(name, attrs = {}, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

/** Layers: depth of every service from its edges (dependsOn, parent). */
export function layers(services) {
  const byName = new Map(services.map(s => [s.name, s]));
  const depth = new Map();
  const visiting = new Set();
  const depthOf = name => {
    if (depth.has(name)) return depth.get(name);
    const s = byName.get(name);
    if (!s || visiting.has(name)) return 0; // an unknown name or a cycle (svc check refuses both)
    visiting.add(name);
    const ups = [...(s.dependsOn || []), ...(s.parent ? [s.parent] : [])];
    const d = ups.length ? 1 + Math.max(...ups.map(depthOf)) : 0;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  services.forEach(s => depthOf(s.name));
  const result = [];
  for (const s of services) (result[depth.get(s.name)] ||= []).push(s.name);
  const row = new Map();
  for (const layer of result) {
    if (!layer) continue;
    const key = name => {
      const s = byName.get(name);
      const ups = [...(s.dependsOn || []), ...(s.parent ? [s.parent] : [])].filter(u => row.has(u));
      return ups.length ? ups.reduce((sum, u) => sum + row.get(u), 0) / ups.length : -1;
    };
    layer.sort((a, b) => key(a) - key(b) || a.localeCompare(b));
    layer.forEach((name, i) => row.set(name, i));
  }
  return result.filter(Boolean);
}

export class Graph {
  constructor(svg, onSelect) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.nodes = new Map();
    this.signature = "";
  }

  /** Lays the graph out again if the services or their edges changed. */
  update(services) {
    const signature = services.map(s => s.name + "<" + (s.dependsOn || []).join(",") + "^" + (s.parent || "")).join(";");
    if (signature === this.signature) return;
    this.signature = signature;
    const states = new Map([...this.nodes].map(([name, g]) => [name, g.dataset.state]));
    this.svg.replaceChildren();
    this.nodes.clear();
    const position = new Map();
    const layout = layers(services);
    layout.forEach((layer, x) => layer.forEach((name, y) => position.set(name, {
      x: PAD + x * (NODE_W + GAP_X), y: PAD + y * (NODE_H + GAP_Y)})));
    const width = PAD * 2 + layout.length * (NODE_W + GAP_X) - GAP_X;
    const height = PAD * 2 + Math.max(1, ...layout.map(l => l.length)) * (NODE_H + GAP_Y) - GAP_Y;
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", height);
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const edges = el("g", {class: "edges"}, this.svg);
    for (const s of services) {
      const to = position.get(s.name);
      const ups = [...(s.dependsOn || []).map(d => [d, "depends"]), ...(s.parent ? [[s.parent, "spawned"]] : [])];
      for (const [up, kind] of ups) {
        const from = position.get(up);
        if (!from) continue;
        const x1 = from.x + NODE_W, y1 = from.y + NODE_H / 2, x2 = to.x, y2 = to.y + NODE_H / 2;
        el("path", {class: "edge " + kind, "data-from": up, "data-to": s.name,
          d: `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`}, edges);
      }
    }
    for (const s of services) {
      const p = position.get(s.name);
      const g = el("g", {class: "node", transform: `translate(${p.x},${p.y})`, "data-service": s.name}, this.svg);
      el("rect", {width: NODE_W, height: NODE_H}, g);
      const label = el("text", {x: 8, y: 16}, g);
      label.textContent = s.name;
      const state = el("text", {x: 8, y: 31, class: "state-label"}, g);
      g.addEventListener("click", () => this.onSelect(s.name));
      this.nodes.set(s.name, g);
      this.setState(s.name, states.get(s.name) || s.displayState);
    }
  }

  setState(name, state) {
    const g = this.nodes.get(name);
    if (!g || g.dataset.state === state) return false;
    g.dataset.state = state;
    g.setAttribute("class", `node state-${state}` + (g.classList.contains("selected") ? " selected" : ""));
    g.querySelector(".state-label").textContent = state;
    return true;
  }

  select(name) {
    for (const [n, g] of this.nodes) g.classList.toggle("selected", n === name);
  }
}
