// Batch screening (政策找人) for village staff: a roster file is read on this device, screened by
// calculator.api's "screen" in the worker, and the result table is offered as a download. The
// roster never leaves the device.

import { RT, call } from "./runtime.js";
import { el, newId, siteHref } from "./dom.js";

export class Batch {
  // form: the Form, whose 测算日期 and 低保标准 apply to every household of the roster;
  // alive(): whether the page is still on screen when an answer arrives.
  constructor(data, { form, alive }) {
    this.data = data;
    this.form = form;
    this.alive = alive;
    this.blobUrl = null;
    this.element = this.buildBatch();
  }

  release() {
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
  }

  buildBatch() {
    const id = newId("roster");
    this.rosterInput = el("input", { id, type: "file", accept: ".csv,.jsonl,text/csv", "aria-describedby": `${id}-hint` });
    this.batchStatus = el("p", { class: "calc-batch-status", role: "status" });
    // The download link exists only while there is a result to download (a real link with its href,
    // never an <a> without one, which search engines and Lighthouse count as an uncrawlable link).
    this.batchLink = null;
    this.batchDownload = el("div", { class: "calc-batch-download" });
    const keepId = newId("roster-keep");
    this.keepOrder = el("input", { id: keepId, type: "checkbox" });
    this.batchButton = el("button", { type: "button", class: "md-button md-button--primary", onclick: () => this.screen() }, "开始筛查");
    return el("section", { class: "calc-batch no-print", "aria-labelledby": "calc-batch-title" },
      el("h2", { id: "calc-batch-title", text: "批量筛查名单（工作人员用）" }),
      el("p", {}, "选择一个名单文件，在这台设备上逐户测算，得到一张结果表格（CSV，可用 Excel 打开）。名单不会上传到任何地方。名单格式见",
        el("a", { href: siteHref(this.data.roster_template), download: "名单模板.csv", text: "名单模板" }),
        "：每人一行，同一户的人用相同的户编号。每一列可填什么、怎么填，见",
        el("a", { href: siteHref(this.data.roster_guide), download: "名单填写说明.csv", text: "名单填写说明" }),
        "（两个文件都可用 Excel 打开）。"),
      el("div", { class: "calc-field" },
        el("label", { for: id, text: "名单文件（CSV，UTF-8 编码；或 JSONL）" }),
        el("p", { class: "calc-hint", id: `${id}-hint`, text: "如填写了上面的“测算日期”和“低保标准”，名单中的每一户都按它们测算。" }),
        this.rosterInput),
      el("p", { class: "calc-hint", text: this.data.batch.order }),
      el("div", { class: "calc-field" }, this.keepOrder, " ", el("label", { for: keepId, text: this.data.batch.keep_order })),
      el("div", { class: "calc-buttons" }, this.batchButton),
      this.batchStatus, this.batchDownload);
  }

  clear() {
    this.rosterInput.value = "";
    this.keepOrder.checked = false;
    this.batchStatus.textContent = "";
    this.batchDownload.replaceChildren();
    this.batchLink = null;
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = null;
  }

  async screen() {
    const file = this.rosterInput.files && this.rosterInput.files[0];
    this.batchDownload.replaceChildren();
    this.batchLink = null;
    if (!file) {
      this.batchStatus.textContent = "请先选择名单文件。";
      this.rosterInput.focus();
      return;
    }
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch (err) {
      this.batchStatus.textContent = "这个文件不是 UTF-8 编码。请在 Excel 中选“另存为”→“CSV UTF-8（逗号分隔）”，再选择保存的文件。";
      return;
    }
    const request = { text, format: /\.jsonl$/i.test(file.name) ? "jsonl" : "csv" };
    const asOf = this.form.value(this.form.formEl, "as_of");
    if (asOf) request.as_of = asOf;
    const standards = this.form.collect().standards;
    if (standards) request.standards = standards;
    if (this.keepOrder.checked) request.keep_order = true;
    this.batchButton.disabled = true;
    this.batchStatus.textContent = RT.stage === "ready" ? "正在筛查……" : "测算程序正在启动，启动后开始筛查……";
    let response;
    try {
      response = await call("screen", request);
    } catch (err) {
      response = { ok: false, error: { message: err.message } };
    } finally {
      this.batchButton.disabled = false;
    }
    if (!this.alive()) return;
    if (!response.ok) {
      this.batchStatus.textContent = `无法筛查：${response.error.message}`;
      return;
    }
    const r = response.result;
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = URL.createObjectURL(new Blob([r.csv], { type: "text/csv;charset=utf-8" }));
    const name = `筛查结果-${file.name.replace(/\.[^.]*$/, "")}.csv`;
    this.batchLink = el("a", { class: "md-button", href: this.blobUrl, download: name, text: `下载筛查结果（${name}）` });
    this.batchDownload.replaceChildren(this.batchLink);
    this.batchStatus.textContent = `已筛查 ${r.households} 户` + (r.errors ? `，其中 ${r.errors} 户的信息有误（见表格最后一列）` : "") + "。结果表格已开始下载。" + r.order;
    this.batchLink.click();
  }
}
