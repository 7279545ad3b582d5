// page.evaluate: change the income, press 开始测算, resolve with the ms until the result updates.
async () => {
  const root = document.getElementById("calculator");
  const before = Number(root.dataset.runs || 0);
  const income = root.querySelector("[data-key=monthly_income_yuan]");
  income.value = String(Number(income.value || 0) + 7);
  income.dispatchEvent(new Event("input", { bubbles: true }));
  return await new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (Number(root.dataset.runs) > before) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(root, { attributes: true, attributeFilter: ["data-runs"] });
    const t0 = performance.now();
    root.querySelector("button.calc-run").click();
  });
}
