// Small DOM helpers of the calculator page. Every text is put in the page as a text node or with
// textContent, never parsed as HTML.

export const HERE = new URL(".", import.meta.url); // .../assets/calculator/
export const SITE = new URL("../../", HERE); // the site root
// A share link: the household after #household= in the page address (share.js).
export const HOUSEHOLD_PREFIX = "#household=";

let uid = 0;
export const newId = (what) => `calc-${what}-${++uid}`;

// el("p", {class: "x"}, "text", child, ...): strings become text nodes (never parsed as HTML).
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "checked") node.defaultChecked = node.checked = Boolean(value);
    else if (key === "hidden" || key === "open" || key === "disabled") node[key] = Boolean(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function siteHref(path) {
  return new URL(path, SITE).href;
}

export function describedBy(input, id, add) {
  const ids = new Set((input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  if (add) ids.add(id);
  else ids.delete(id);
  if (ids.size) input.setAttribute("aria-describedby", [...ids].join(" "));
  else input.removeAttribute("aria-describedby");
}
