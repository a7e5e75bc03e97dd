import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: "fr-FR" });
const base = "http://127.0.0.1:3300";
await page.goto(base + "/connexion");
await page.waitForSelector("body[data-hydrated=true]");
await page.getByLabel("Adresse e-mail").fill(process.argv[2]);
await page.getByLabel("Mot de passe").fill("concert-demo-2026");
await page.getByRole("button", { name: "Se connecter" }).click();
await page.waitForURL(base + "/");
for (const [name, path] of [["inbox", "/messages"], ["thread", "/messages/1"], ["artist", "/artistes/les-freres-etoile"]]) {
  await page.goto(base + path);
  await page.waitForSelector("body[data-hydrated=true]");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log(name, "overflow", overflow);
  await page.screenshot({ path: `/tmp/shots/${process.argv[3]}-${name}.png`, fullPage: true });
}
await browser.close();
