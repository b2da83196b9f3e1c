// The event log as a timeline: one strip per service, each event a mark coloured as the state
// it leads to, time left to right; hover a mark for its seq, time and reason. Drawn on a canvas
// (thousands of marks cost a millisecond, where as many SVG elements stall the page under a
// burst), at most every half second however fast events come.
const STRIP = 16, LABEL = 130, PX_PER_SECOND = 12, KEPT = 5000, MAX_WIDTH = 30000;

export class Timeline {
  constructor(canvas, scroller, colourOf) {
    this.canvas = canvas;
    this.scroller = scroller;
    this.colourOf = colourOf;
    this.events = [];
    this.services = [];
    this.pending = false;
    this.marks = [];
    canvas.addEventListener("mousemove", e => this.hover(e));
  }

  setServices(names) { this.services = names; this.schedule(); }

  add(event) {
    this.events.push(event);
    if (this.events.length > KEPT) this.events.splice(0, this.events.length - KEPT);
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    setTimeout(() => { this.pending = false; this.draw(); }, 500);
  }

  draw() {
    const names = [...this.services];
    const row = new Map(names.map((n, i) => [n, i]));
    for (const e of this.events) if (!row.has(e.service)) { row.set(e.service, names.length); names.push(e.service); }
    const t0 = this.events.length ? Date.parse(this.events[0].time) : Date.now();
    const seconds = Math.max(1, (Math.max(Date.now(), t0) - t0) / 1000);
    const scale = Math.min(PX_PER_SECOND, (MAX_WIDTH - LABEL - 20) / seconds); // px per second
    const width = LABEL + Math.max(600, seconds * scale) + 20;
    const height = names.length * STRIP + 4;
    const atEnd = this.scroller.scrollLeft + this.scroller.clientWidth >= this.scroller.scrollWidth - 30;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = width * ratio;
    this.canvas.height = height * ratio;
    this.canvas.style.width = width + "px";
    this.canvas.style.height = height + "px";
    const g = this.canvas.getContext("2d");
    g.scale(ratio, ratio);
    g.font = "11px system-ui, sans-serif";
    names.forEach((name, i) => {
      g.fillStyle = "#f3f5f7";
      g.fillRect(0, i * STRIP, width, STRIP - 2);
      g.fillStyle = "#1d232a";
      g.fillText(name, 4, i * STRIP + 11); // fillText draws text as text: nothing in it is markup
    });
    this.marks = [];
    for (const e of this.events) {
      const x = LABEL + (Date.parse(e.time) - t0) / 1000 * scale;
      const y = row.get(e.service) * STRIP + 1;
      g.fillStyle = this.colourOf(e.event);
      g.fillRect(x, y, 4, STRIP - 4);
      g.strokeStyle = "#1d232a";
      g.lineWidth = 0.5;
      g.strokeRect(x, y, 4, STRIP - 4);
      this.marks.push({x, y, e});
    }
    // what tests wait for: the newest event drawn
    this.canvas.dataset.lastSeq = this.events.length ? this.events[this.events.length - 1].seq : 0;
    if (atEnd) this.scroller.scrollLeft = this.scroller.scrollWidth;
  }

  hover(mouse) {
    const box = this.canvas.getBoundingClientRect();
    const x = mouse.clientX - box.left, y = mouse.clientY - box.top;
    const hit = this.marks.findLast(m => x >= m.x - 1 && x <= m.x + 5 && y >= m.y && y <= m.y + STRIP - 4);
    this.canvas.title = hit ? `#${hit.e.seq} ${hit.e.time} ${hit.e.service} ${hit.e.event}`
      + (hit.e.reason ? ` (${hit.e.reason})` : "") : "";
  }
}
