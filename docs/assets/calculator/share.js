// The share link: the household as entered, in the page address after #household= (base64url of
// UTF-8 JSON), so that opening the link runs the same household again. The link is the household:
// whoever or whatever carries it can read it.

import { RT } from "./runtime.js";
import { HERE, HOUSEHOLD_PREFIX, el, newId } from "./dom.js";

export { HOUSEHOLD_PREFIX };

export function encodeHousehold(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeHousehold(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

// The link for a shown result: {household, result}.
export function shareLink({ household, result }) {
  const h = { ...household };
  if (!h.as_of) h.as_of = result.as_of; // the link shows the same result on another day
  const base = location.href.split("#")[0];
  return `${base}${HOUSEHOLD_PREFIX}${encodeHousehold(h)}`;
}

// Show the link (and its QR code) in shareBox and qrBox, and copy it to the clipboard.
export async function share(last, shareBox, qrBox) {
  const link = shareLink(last);
  const id = newId("share");
  const input = el("input", { id, type: "text", readonly: true, class: "calc-share-link", value: link });
  const status = el("p", { role: "status", class: "calc-share-status" });
  shareBox.replaceChildren(
    el("label", { for: id, text: "分享链接" }),
    el("p", { class: "calc-share-warning", id: `${id}-what` },
      "这个链接里写着上面填写的家庭情况（人数、年龄、收入、疾病、残疾等），谁拿到链接都能看到。"
      + "用微信、短信等发送时，传送消息的服务也能读到这些内容。只发给您信任、需要帮您办事的人。"),
    input, status);
  input.setAttribute("aria-describedby", `${id}-what`);
  shareBox.hidden = false;
  try {
    const { qrSvg } = await import(new URL("qr.js", HERE).href);
    qrBox.replaceChildren(qrSvg(link, { label: "分享链接的二维码" }),
      el("figcaption", { text: "用手机扫描二维码，可打开同样的测算结果；二维码里同样写着填写的家庭情况。" }));
    qrBox.hidden = false;
  } catch (err) {
    qrBox.hidden = true; // too long for a QR code: the link above still works
  }
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch (err) {
    input.select();
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
  }
  RT.copied = RT.copied || copied;
  status.textContent = copied ? "链接已复制。发送前请想好：收到的人和传送的服务都能看到链接里的家庭情况。" : "请长按或右键复制上面的链接。";
  input.focus();
  input.select();
}

// After 清除: the copied link holds the household, so empty the clipboard too.
export function forgetCopied() {
  if (!RT.copied) return;
  RT.copied = false;
  navigator.clipboard.writeText("").catch(() => {});
}
