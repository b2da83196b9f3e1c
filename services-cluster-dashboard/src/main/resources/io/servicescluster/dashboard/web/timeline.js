// The event log as a timeline: one strip per service, each event a mark coloured as the state
// it leads to, time left to right. Redrawn at most every half second however fast events come.
const SVG = "http://www.w3.org/2000/svg";
const STRIP = 16, LABEL = 130, PX_PER_SECOND = 12, KEPT = 5000;

export class Timeline {
  constructor(svg, scroller, colourOf) {
    this.svg = svg;
    this.scroller = scroller;
    this.colourOf = colourOf;
    this.events = [];
    this.services = [];
    this.pending = false;
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
    for (const e of this.events) if (!names.includes(e.service)) names.push(e.service);
    const t0 = this.events.length ? Date.parse(this.events[0].time) : Date.now();
    const t1 = Math.max(Date.now(), t0 + 1000);
    const width = LABEL + Math.max(600, (t1 - t0) / 1000 * PX_PER_SECOND) + 20;
    const height = names.length * STRIP + 4;
    const atEnd = this.scroller.scrollLeft + this.scroller.clientWidth >= this.scroller.scrollWidth - 30;
    const parts = [];
    names.forEach((name, i) => {
      parts.push(`<rect class="strip" x="0" y="${i * STRIP}" width="${width}" height="${STRIP - 2}"/>`);
      parts.push(`<text x="4" y="${i * STRIP + 11}"></text>`);
    });
    const row = new Map(names.map((n, i) => [n, i]));
    for (const e of this.events) {
      const x = LABEL + (Date.parse(e.time) - t0) / 1000 * PX_PER_SECOND;
      parts.push(`<rect class="mark" x="${x.toFixed(1)}" y="${row.get(e.service) * STRIP + 1}" width="4" height="${STRIP - 4}"`
        + ` fill="${this.colourOf(e.event)}" data-seq="${e.seq}"><title></title></rect>`);
    }
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", height);
    // built as markup for speed; every text from the cluster goes in through textContent below
    this.svg.innerHTML = parts.join("");
    const labels = this.svg.querySelectorAll("text");
    names.forEach((name, i) => { labels[i].textContent = name; });
    const titles = this.svg.querySelectorAll("title");
    this.events.forEach((e, i) => {
      titles[i].textContent = `#${e.seq} ${e.time} ${e.service} ${e.event}` + (e.reason ? ` (${e.reason})` : "");
    });
    if (atEnd) this.scroller.scrollLeft = this.scroller.scrollWidth;
  }
}
