// make lighthouse: Lighthouse's mobile preset (simulated slow 4G and a mid-range phone's CPU),
// three runs per page, on the site at BASE_URL, as a visitor or with the session in COOKIE.
// Prints performance, LCP, TBT and the bytes each page transfers, with the JavaScript +
// WebAssembly share.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const runs = Number(process.env.RUNS ?? 3);
const pages = process.argv.slice(2);
const who = process.env.WHO ?? "visitor";
const extraHeaders = process.env.COOKIE ? { Cookie: process.env.COOKIE } : undefined;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const rows = [];
try {
  for (const path of pages) {
    for (let run = 1; run <= runs; run += 1) {
      const result = await lighthouse(`${base}${path}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance"],
        extraHeaders,
      });
      const { audits, categories, finalDisplayedUrl } = result.lhr;
      // A lost session would measure the sign-in page instead: refuse to print that.
      if (extraHeaders && new URL(finalDisplayedUrl).pathname !== path) {
        throw new Error(`${path} answered ${finalDisplayedUrl}: the session was not accepted`);
      }
      const requests = audits["network-requests"]?.details?.items ?? [];
      const bytes = (filter) =>
        requests.filter(filter).reduce((sum, request) => sum + (request.transferSize ?? 0), 0);
      const script = bytes((r) => r.resourceType === "Script" || /\.(wasm|js)$/.test(r.url) || r.mimeType === "application/wasm");
      // Only a member's page loads the app: a page without it was measured without the session.
      if (extraHeaders && script === 0) {
        throw new Error(`${path} loaded no app: the session was not accepted`);
      }
      rows.push({
        path,
        run,
        performance: Math.round(categories.performance.score * 100),
        lcp: (audits["largest-contentful-paint"].numericValue / 1000).toFixed(1),
        tbt: Math.round(audits["total-blocking-time"].numericValue),
        total: (bytes(() => true) / 1000).toFixed(1),
        script: (script / 1000).toFixed(1),
      });
    }
  }
} finally {
  await chrome.kill();
}
console.log(`\nLighthouse 12.2.3, mobile preset, ${base}, ${who}\n`);
console.log("| page | run | performance | LCP | TBT | transferred | of which JS + wasm |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) {
  console.log(
    `| \`${row.path}\` | ${row.run} | ${row.performance} | ${row.lcp} s | ${row.tbt} ms | ${row.total} KB | ${row.script} KB |`,
  );
}
