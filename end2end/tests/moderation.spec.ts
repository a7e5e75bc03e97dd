import { expect, test } from "@playwright/test";
import { grantModerator, hostWithProfile, newPage, publishedArtist, signUp, uniqueEmail, visit, watchErrors } from "./helpers";

test("a host reports a profile; a moderator hides it with a reason in the log, and the public page is gone", async ({ browser }) => {
  const artist = await newPage(browser);
  const name = `Les Imitateurs ${Date.now()}`;
  const artistPath = await publishedArtist(artist, name);
  const host = await hostWithProfile(browser, "Famille Lenoir");
  const hostErrors = watchErrors(host);

  await visit(host, artistPath);
  await host.getByRole("link", { name: "Signaler ce profil" }).click();
  await expect(host.getByRole("heading", { name: "Signaler un profil" })).toBeVisible();
  // Sent without a reason, the form says so and keeps what was typed.
  await host.getByLabel("Expliquez, si vous le souhaitez").fill("Ce groupe reprend les photos d'un autre.");
  await host.locator("input[name=reason]").evaluateAll((radios) => radios.forEach((radio) => radio.removeAttribute("required")));
  await host.getByRole("button", { name: "Envoyer le signalement" }).click();
  await expect(host.getByText("Choisissez la raison du signalement.")).toBeVisible();
  await expect(host.getByLabel("Expliquez, si vous le souhaitez")).toHaveValue("Ce groupe reprend les photos d'un autre.");
  await host.getByLabel("Faux profil").check();
  await host.getByRole("button", { name: "Envoyer le signalement" }).click();
  await expect(host.getByRole("heading", { name: "Merci, votre signalement est bien arrivé" })).toBeVisible();

  // The desk is nobody else's business.
  await host.goto("/moderation");
  await expect(host.getByRole("heading", { name: "Page introuvable" })).toBeVisible();

  const moderator = await newPage(browser);
  const email = uniqueEmail("moderation");
  await signUp(moderator, "artist", email);
  grantModerator(email);
  await visit(moderator, "/moderation");
  const card = moderator.locator("article.case").filter({ hasText: name });
  await expect(card).toContainText("Faux profil");
  await expect(card).toContainText("Ce groupe reprend les photos d'un autre.");
  // Without a reason, nothing is decided.
  await card.getByLabel("Raison (inscrite au journal)").evaluate((field) => field.removeAttribute("required"));
  await card.getByRole("button", { name: "Appliquer" }).click();
  await expect(moderator.getByText("Indiquez la raison de votre décision : elle est écrite au journal.")).toBeVisible();
  const again = moderator.locator("article.case").filter({ hasText: name });
  await again.getByLabel(/Masquer le profil/).check();
  await again.getByLabel("Raison (inscrite au journal)").fill("Photos reprises d'un autre groupe.");
  await again.getByRole("button", { name: "Appliquer" }).click();
  await expect(moderator.locator("article.case").filter({ hasText: name })).toHaveCount(0);
  const journal = moderator.locator("#journal");
  await expect(journal).toContainText("Profil masqué");
  await expect(journal).toContainText("Photos reprises d'un autre groupe.");
  await expect(moderator.locator("#mesures")).toContainText(name);

  // The public page is gone, for a visitor as for the host who reported it.
  const visitor = await newPage(browser);
  const gone = await visitor.goto(artistPath);
  expect(gone?.status()).toBe(404);
  await visit(host, artistPath);
  await expect(host.getByRole("heading", { name: "Page introuvable" })).toBeVisible();
  expect(hostErrors).toEqual([]);
});
