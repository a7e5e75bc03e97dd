import { expect, test, type Page, type Request } from "@playwright/test";
import { hydrated, loadsApp, publishedArtist, signIn, signOut, signUp, uniqueEmail, visit, watchErrors } from "./helpers";

/** Records the scripts and WebAssembly a page asks for. */
function watchScripts(page: Page): string[] {
  const fetched: string[] = [];
  page.on("request", (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (request.resourceType() === "script" || /\.(js|wasm)$/.test(path)) fetched.push(path);
  });
  return fetched;
}

test("a visitor's pages load no script at all; signed in, the same pages load the app", async ({ browser }) => {
  const artist = await (await browser.newContext()).newPage();
  const email = uniqueEmail("visite");
  const profile = await publishedArtist(artist, `Les Visiteurs ${Date.now()}`);

  const visitor = await (await browser.newContext()).newPage();
  const fetched = watchScripts(visitor);
  const errors = watchErrors(visitor);
  for (const path of ["/", "/artistes", profile, "/recherche?type=jazz&ville=Lyon", "/connexion", "/inscription"]) {
    await visit(visitor, path);
    await expect(visitor.getByRole("main")).toBeVisible();
    expect(await loadsApp(visitor), path).toBe(false);
  }
  expect(fetched).toEqual([]);
  // Nothing was refused by the policy either (no inline script left over).
  expect(errors).toEqual([]);

  // Signing up leads to a page with the app, hydrated.
  await signUp(visitor, "host", email);
  expect(fetched.some((path) => path.endsWith(".wasm"))).toBe(true);
  await signOut(visitor);
  await signIn(visitor, email);
  await visit(visitor, profile);
  await hydrated(visitor);
  expect(errors).toEqual([]);
});

test("without the app, a shared city name offers every commune and a misspelt one the nearest", async ({ page }) => {
  await visit(page, "/recherche");
  expect(await loadsApp(page)).toBe(false);
  const city = page.getByRole("textbox", { name: "Ville" });
  await city.fill("Saint-Denis");
  await page.getByRole("button", { name: "Rechercher" }).click();
  const choices = page.getByRole("navigation", { name: "Autres communes" });
  await expect(choices).toContainText("4 communes s'appellent Saint-Denis");
  await expect(choices.getByRole("link")).toHaveText([
    "Saint-Denis (974)",
    "Saint-Denis (93)",
    "Saint-Denis (11)",
    "Saint-Denis (30)",
  ]);
  await choices.getByRole("link", { name: "Saint-Denis (93)" }).click();
  await expect(page.locator(".result-count")).toContainText("jouant à Saint-Denis (93), Île-de-France");
  await expect(page.getByRole("textbox", { name: "Ville" })).toHaveValue("Saint-Denis (93)");

  await page.getByRole("textbox", { name: "Ville" }).fill("Marseile");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByText("Vouliez-vous dire Marseille (13)")).toBeVisible();
  await page.getByRole("navigation", { name: "Autres communes" }).getByRole("link", { name: "Marseille (13)" }).click();
  await expect(page.locator(".result-count")).toContainText("jouant à Marseille (13), Provence-Alpes-Côte d'Azur");
});
