// The draft page in a real browser: Debian's Chromium driven by playwright-core. Types a
// customer message with two questions and a draft that answers one plus a filler sentence,
// checks that one question is marked open and the filler is underlined, applies a fix with the
// keyboard, and saves a screenshot ($SCREENSHOT).
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const bin = process.env.CANDOR_BIN;
const screenshot = process.env.SCREENSHOT ?? "draft-page.png";
if (!bin) throw new Error("set CANDOR_BIN to the candor binary");

function fail(message) {
  throw new Error(message);
}

// A project folder whose .candor.yaml adds one rule with an unambiguous rewrite.
const project = mkdtempSync(join(tmpdir(), "candor-page-"));
mkdirSync(join(project, "styles/Acme"), { recursive: true });
writeFileSync(
  join(project, "styles/Acme/Utilize.yml"),
  "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\n" +
    "ignorecase: true\nswap:\n  utilize: use\n",
);
writeFileSync(join(project, ".candor.yaml"), "packs: [styles/Acme]\n");

const server = spawn(bin, ["serve", "--port", "0"], { cwd: project, stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: server.stdout });
  lines.once("line", (line) => {
    const m = line.match(/http:\/\/127\.0\.0\.1:\d+\//);
    m ? resolve(m[0]) : reject(new Error("unexpected first line: " + line));
  });
  server.once("exit", (code) => reject(new Error("candor serve exited with " + code)));
});

const userDataDir = mkdtempSync(join(tmpdir(), "candor-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
  ],
  viewport: { width: 1280, height: 760 },
  colorScheme: "light",
});

try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15000);
  await page.goto(url);
  await page.locator("#inbound").pressSequentially(
    "Hi, I was charged twice this month. Can I get a refund for the second charge? " +
      "And how do I reset my password?",
  );
  await page.locator("#draft").pressSequentially(
    "Hi Sam,\n\nTo reset your password, open Settings and choose Reset password. " +
      "We apologize for any inconvenience this may have caused. " +
      "Please utilize the form or utilize the mobile app to update your profile photo.",
  );

  // The question map: one answered, one open (the refund).
  await page.waitForFunction(() => document.querySelectorAll("#questions li").length === 2);
  const open = page.locator("#questions li.open");
  const answered = page.locator("#questions li.answered");
  await open.first().waitFor();
  if ((await open.count()) !== 1) fail(`expected 1 open question, got ${await open.count()}`);
  if ((await answered.count()) !== 1) fail(`expected 1 answered question, got ${await answered.count()}`);
  const openText = await open.textContent();
  if (!/refund/i.test(openText)) fail("the open question is not the refund one: " + openText);
  if (!/not answered/i.test(openText)) fail("the open question is not marked: " + openText);
  if (!/password/i.test(await answered.textContent())) fail("the password question is not answered");

  // The filler sentence is underlined in place, with its message as the hover text.
  const filler = page.locator("#draft-marks mark", { hasText: "apologize for any inconvenience" });
  await filler.waitFor({ state: "attached" });
  const decoration = await filler.evaluate((m) => getComputedStyle(m).textDecorationLine);
  if (!decoration.includes("underline")) fail("the filler is not underlined: " + decoration);
  const title = await filler.getAttribute("title");
  if (!/Candor\.CannedFiller/.test(title)) fail("the filler's hover text names no rule: " + title);

  // One-click apply, with the keyboard: focus the button and press Enter.
  const applyButtons = page.locator("button.apply", { hasText: "utilize" });
  await page.waitForFunction(() => document.querySelectorAll("button.apply").length === 2);
  const apply = applyButtons.first();
  await apply.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#draft").value.includes("Please use the form"));
  // The other one is still offered.
  await page.waitForFunction(() => document.querySelectorAll("button.apply").length === 1);
  if (!(await page.locator("#draft").inputValue()).includes("or utilize the mobile app")) {
    fail("applying one fix changed another place");
  }
  // Still reported after the fix: the filler and the open question.
  await filler.waitFor({ state: "attached" });
  if ((await open.count()) !== 1) fail("the open question disappeared after the fix");

  // The hover box, for the picture.
  const box = await filler.boundingBox();
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
  await page.locator("#tip").waitFor();
  await page.screenshot({ path: screenshot });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-dark.png") });
  console.log("browser test: passed; screenshot in " + screenshot);
} finally {
  await context.close();
  server.kill();
  rmSync(userDataDir, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
}
