import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail, visit } from "./helpers";

test("a host fills a confidential profile that an artist cannot open", async ({ page, browser }) => {
  await signUp(page, "host", uniqueEmail("hote-profil"));
  await page.getByLabel("Votre nom").fill("Famille Arnaud");
  const city = page.getByRole("combobox", { name: "Commune du lieu" });
  await city.fill("nant");
  await page.getByRole("option", { name: /^Nantes \(44\)/ }).click();
  await expect(city).toHaveValue("Nantes (44)");
  await page.getByLabel("Le lieu que vous proposez").fill("Une longère, un piano à queue.\nJusqu'à 50 personnes.");
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByText("Profil enregistré.")).toBeVisible();

  const path = await page.getByRole("link", { name: "Voir mon profil" }).getAttribute("href");
  expect(path).toMatch(/^\/hotes\/\d+$/);
  await visit(page, path!);
  await expect(page.getByRole("heading", { name: "Famille Arnaud" })).toBeVisible();
  await expect(page.getByText("Nantes (44), Pays de la Loire")).toBeVisible();

  const artist = await (await browser.newContext()).newPage();
  await signUp(artist, "artist", uniqueEmail("curieuse"));
  const response = await artist.goto(path!);
  expect(response?.status()).toBe(404);
  await expect(artist.getByText("Famille Arnaud")).toHaveCount(0);
});
