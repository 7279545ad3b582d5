// The leaflets' QR codes, drawn at build time by the site's own encoder (docs/assets/calculator/qr.js,
// the one the calculator's share link uses, checked against the `qrcode` package in the tests): its
// qrSvg() runs here on a minimal stand-in for the DOM, and each <svg> is written out as text.
//
//   node scripts/site/leaflet_qr.mjs < ["https://…/leaflets/tekun/", …]  ->  {"https://…": "<svg …>…</svg>", …}
import { readFileSync } from "node:fs";

const QR_JS = new URL("../../docs/assets/calculator/qr.js", import.meta.url);

const escape = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

class Element {
  constructor(ns, tag) { this.ns = ns; this.tag = tag; this.attrs = []; this.children = []; }
  setAttribute(name, value) {
    const at = this.attrs.findIndex(([n]) => n === name);
    if (at >= 0) this.attrs[at][1] = String(value); else this.attrs.push([name, String(value)]);
  }
  append(...nodes) { this.children.push(...nodes); }
  appendChild(node) { this.children.push(node); return node; }
  toString(root = true) {
    const attrs = (root ? [["xmlns", this.ns], ...this.attrs] : this.attrs)
      .map(([n, v]) => ` ${n}="${escape(v)}"`).join("");
    const inner = this.children.map((c) => (c instanceof Element ? c.toString(false) : escape(c))).join("");
    return `<${this.tag}${attrs}>${inner}</${this.tag}>`;
  }
}
globalThis.document = { createElementNS: (ns, tag) => new Element(ns, tag) };

// qr.js is an ES module in a directory without package.json: imported from its source.
const source = readFileSync(QR_JS, "utf-8");
const { qrSvg } = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));

const texts = JSON.parse(readFileSync(0, "utf-8"));
const out = {};
for (const text of texts) out[text] = qrSvg(text, { label: "本页网址的二维码" }).toString();
process.stdout.write(JSON.stringify(out));
