// walk.mjs walks KI-Check's accessible view (internal/webview) with the
// keyboard alone, in the system Chromium (puppeteer-core): Tab, Shift+Tab,
// Enter, Space, the arrow keys and typing; no clicks. It prints one JSON
// object: what each walk did and what the result page said.
//
//   node scripts/a11y/walk.mjs BASE_URL PLAN.json
//
// BASE_URL is the view's start page (http://127.0.0.1:PORT/TOKEN/de/).
// PLAN.json: {"pseudonym": "Falke", "sessionArrows": 1, "roleArrows": 3,
// "answers": [{"kind": "radio", "pick": [1], "cbm": 2}, {"kind": "checkbox",
// "pick": [0, 2]}, {"kind": "text", "text": "30"}, {"kind": "matching",
// "pick": [0, 1, 2]}, …]} in the order of the questions.
import { readFileSync, existsSync } from "node:fs";
import puppeteer from "puppeteer-core";

function browserPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    if (existsSync(p)) return p;
  }
  throw new Error("no chromium found; install it with scripts/deps.sh test or set $CHROMIUM");
}

const [base, planFile] = process.argv.slice(2);
if (!base || !planFile) {
  console.error("usage: node walk.mjs BASE_URL PLAN.json");
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, "utf8"));
const log = [];
const keys = {};

const browser = await puppeteer.launch({
  executablePath: browserPath(),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
const page = await browser.newPage();
await page.setViewport({ width: 1024, height: 800 });
// No pointer at all: a click would be a failure of the walk.
await page.evaluateOnNewDocument(() => {
  window.__clicks = 0;
  document.addEventListener("mousedown", () => { window.__clicks++; }, true);
});

async function press(key) {
  keys[key] = (keys[key] || 0) + 1;
  await page.keyboard.press(key);
}

// focused describes document.activeElement.
async function focused() {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e) return {};
    const label = e.labels && e.labels.length ? e.labels[0].innerText.trim() : "";
    return {
      tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "", value: e.value || "",
      checked: !!e.checked, text: (e.innerText || "").trim(), label, href: e.getAttribute("href") || "",
    };
  });
}

// tabTo presses Tab until match(focused) holds (at most max times).
async function tabTo(what, match, max = 60) {
  for (let i = 1; i <= max; i++) {
    await press("Tab");
    const f = await focused();
    if (match(f)) {
      log.push(`Tab ×${i} → ${what}`);
      return f;
    }
  }
  throw new Error(`Tab did not reach ${what} in ${max} presses; focus on ${JSON.stringify(await focused())}`);
}

// shot saves a picture of the page, with the focused element, when
// $WALK_SHOTS names a folder (for people to look at; the tests do not).
let shots = 0;
async function shot(what) {
  if (!process.env.WALK_SHOTS) return;
  shots++;
  const name = `${String(shots).padStart(2, "0")}-${what.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 40)}.png`;
  await page.screenshot({ path: `${process.env.WALK_SHOTS}/${name}`, fullPage: true });
}

// activate presses key on the focused element and waits for the next page.
async function activate(key, what) {
  await shot("before " + key + " " + what);
  await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 60000 }), press(key)]);
  log.push(`${key} on ${what} → ${new URL(page.url()).pathname.replace(/^\/[^/]+/, "")}${new URL(page.url()).search}${new URL(page.url()).hash}`);
}

const h1 = () => page.$eval("h1", (e) => e.innerText.trim());
const isLink = (text) => (f) => f.tag === "a" && f.text === text;
const isButton = (text) => (f) => f.tag === "button" && f.text === text;

const out = { check: {}, quiz: {} };
try {
  // --- Arbeitsplatz prüfen: start → progress → result → export ---
  await page.goto(base, { waitUntil: "load" });
  const navCheck = await page.$eval("nav a[href$='/check']", (e) => e.innerText.trim());
  await tabTo("nav link " + navCheck, isLink(navCheck));
  await activate("Enter", "link " + navCheck);
  const startLabel = await page.$eval("main form button", (e) => e.innerText.trim());
  await tabTo("button " + startLabel, isButton(startLabel));
  await activate("Space", "button " + startLabel);
  let refreshes = 0;
  while (!(await page.$("h2.verdict"))) {
    if (refreshes > 60) throw new Error("the check did not finish after 60 refreshes");
    const refresh = await page.$eval("main a.button", (e) => e.innerText.trim());
    await tabTo("link " + refresh, isLink(refresh), 30);
    await activate("Enter", "link " + refresh);
    refreshes++;
  }
  out.check.refreshes = refreshes;
  out.check.verdict = await page.$eval("h2.verdict", (e) => e.innerText.trim());
  out.check.sentence = await page.$eval("#progress p", (e) => e.innerText.trim());
  out.check.verdicts = await page.$$eval("main ul.plain li", (ls) => ls.map((l) => l.innerText.trim()));
  const exportLabel = await page.$eval("main form button", (e) => e.innerText.trim());
  await tabTo("button " + exportLabel, isButton(exportLabel));
  await activate("Enter", "button " + exportLabel);
  out.check.downloads = await page.$$eval("main a[download]", (ls) => ls.map((l) => l.getAttribute("download")));

  // --- Quiz: choose session, pseudonym, role → every question → result ---
  await page.goto(base, { waitUntil: "load" });
  const navQuiz = await page.$eval("nav a[href$='/quiz']", (e) => e.innerText.trim());
  await tabTo("nav link " + navQuiz, isLink(navQuiz));
  await activate("Enter", "link " + navQuiz);
  await tabTo("session radio", (f) => f.type === "radio" && f.name === "session");
  for (let i = 0; i < (plan.sessionArrows || 0); i++) await press("ArrowDown");
  out.quiz.session = (await focused()).label;
  log.push(`ArrowDown ×${plan.sessionArrows || 0} → session ${out.quiz.session}`);
  await tabTo("pseudonym field", (f) => f.name === "pseudonym");
  await page.keyboard.type(plan.pseudonym);
  log.push(`typed pseudonym ${plan.pseudonym}`);
  await tabTo("role radio", (f) => f.type === "radio" && f.name === "role");
  for (let i = 0; i < (plan.roleArrows || 0); i++) await press("ArrowDown");
  out.quiz.role = (await focused()).label;
  log.push(`ArrowDown ×${plan.roleArrows || 0} → role ${out.quiz.role}`);
  const startQuiz = await page.$eval("main form button", (e) => e.innerText.trim());
  await tabTo("button " + startQuiz, isButton(startQuiz));
  await activate("Space", "button " + startQuiz);
  out.quiz.questions = [];
  for (const [n, a] of plan.answers.entries()) {
    const head = await h1();
    out.quiz.questions.push(head);
    if (a.kind === "radio") {
      const f = await tabTo(`question ${n + 1}: first answer`, (f) => f.type === "radio" && f.name === "a");
      if (a.pick[0] === 0) await press("Space");
      for (let i = 0; i < a.pick[0]; i++) await press("ArrowDown");
    } else if (a.kind === "checkbox") {
      await tabTo(`question ${n + 1}: first box`, (f) => f.type === "checkbox");
      const count = await page.$$eval("input[type=checkbox]", (l) => l.length);
      for (let i = 0; i < count; i++) {
        if (i > 0) await press("Tab");
        if (a.pick.includes(i)) await press("Space");
      }
    } else if (a.kind === "text") {
      await tabTo(`question ${n + 1}: answer field`, (f) => f.name === "text");
      await page.keyboard.type(a.text);
    } else if (a.kind === "matching") {
      await tabTo(`question ${n + 1}: first list`, (f) => f.tag === "select");
      for (const [i, k] of a.pick.entries()) {
        if (i > 0) await press("Tab");
        for (let j = 0; j <= k; j++) await press("ArrowDown");
      }
    }
    if (a.cbm) {
      await tabTo(`question ${n + 1}: certainty`, (f) => f.type === "radio" && f.name === "cbm");
      for (let i = 0; i < a.cbm - 1; i++) await press("ArrowDown");
    }
    const chosen = await page.evaluate(() => {
      const f = new FormData(document.querySelector("main form"));
      f.delete("csrf");
      return [...f.entries()].map(([k, v]) => `${k}=${v}`).join("&");
    });
    log.push(`question ${n + 1} (${head}): ${chosen}`);
    const next = await page.$eval("main form button", (e) => e.innerText.trim());
    await tabTo("button " + next, isButton(next), 20);
    await activate("Enter", "button " + next);
  }
  out.quiz.heading = await h1();
  out.quiz.total = await page.$eval("main .status p", (e) => e.innerText.trim());
  out.quiz.path = await page.$$eval("main ol > li > strong", (l) => l.map((e) => e.innerText.trim()));
  await shot("quiz result");
  out.clicks = await page.evaluate(() => window.__clicks);
} catch (err) {
  out.error = String(err && err.stack || err);
} finally {
  out.log = log;
  out.keys = keys;
  console.log(JSON.stringify(out));
  await browser.close();
}
