// axe.mjs runs axe-core with the WCAG 2.0/2.1 A and AA rules on HTML files
// in the system Chromium (puppeteer-core, no browser download) and prints
// one JSON object per line: the file, its violations, and whether the page
// scrolls horizontally at 320 CSS px (WCAG 1.4.10 Reflow).
//
//   node scripts/a11y/axe.mjs page1.html page2.html
//
// The browser is $CHROMIUM, else chromium or chromium-browser on the PATH.
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = require("axe-core/package.json").version;

function browserPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    if (existsSync(p)) return p;
  }
  throw new Error("no chromium found; install it with scripts/deps.sh test or set $CHROMIUM");
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node axe.mjs FILE.html...");
  process.exit(2);
}
const browser = await puppeteer.launch({
  executablePath: browserPath(),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
try {
  for (const f of files) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(f).href, { waitUntil: "load" });
    await page.evaluate(axeSource);
    const res = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
    });
    await page.setViewport({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => {
      const d = document.documentElement;
      return d.scrollWidth > d.clientWidth + 1 ? d.scrollWidth : 0;
    });
    console.log(JSON.stringify({ file: f, axe: axeVersion, violations: res, scrollWidth320: overflow }));
    await page.close();
  }
} finally {
  await browser.close();
}
