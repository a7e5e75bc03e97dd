import { expect, test } from "@playwright/test";
import { hydrated, talking, visit, watchErrors } from "./helpers";

test("an artist blocks a host, who then cannot write and is never told why; unblocking reopens", async ({ browser }) => {
  const { artist, host, conversationId, artistPath } = await talking(browser);
  const artistErrors = watchErrors(artist);
  const hostErrors = watchErrors(host);
  const threadPath = `/messages/${conversationId}`;

  await visit(artist, threadPath);
  await artist.getByRole("button", { name: "Bloquer", exact: true }).click();
  await expect(artist.getByRole("status").filter({ hasText: "Cette conversation est fermée. Vous avez bloqué Famille Vidal" })).toBeVisible();
  await expect(artist.getByLabel("Votre réponse")).toHaveCount(0);
  await expect(artist.getByRole("link", { name: "Voir le profil de l'hôte" })).toHaveCount(0);

  // The host's open conversation offers no reply any more, and says nothing of a block.
  await visit(host, threadPath);
  await expect(host.getByText("Cette conversation est fermée.")).toBeVisible();
  await expect(host.getByLabel("Votre réponse")).toHaveCount(0);
  await expect(host.locator("main")).not.toContainText("bloqué");
  // Nor from the artist's page.
  await visit(host, artistPath);
  await expect(host.locator("#contacter")).toContainText("Cette conversation est fermée.");
  await expect(host.getByLabel("Votre message")).toHaveCount(0);
  // Neither current inbox lists it; the archived view does, marked closed.
  await visit(host, "/messages");
  await expect(host.locator(".inbox")).toHaveCount(0);
  await visit(host, "/messages?vue=archives");
  await expect(host.locator(".conversation")).toContainText("Fermée");

  // The artist's account lists whom they blocked, and unblocks from there.
  await visit(artist, "/profil");
  const blocked = artist.locator("#personnes-bloquees");
  await expect(blocked).toContainText("Famille Vidal");
  await blocked.getByRole("button", { name: "Débloquer" }).click();
  await expect(artist.locator("#personnes-bloquees")).toContainText("Vous n'avez bloqué personne.");

  await visit(host, threadPath);
  await host.getByLabel("Votre réponse").fill("Re-bonjour !");
  await host.getByRole("button", { name: "Envoyer" }).click();
  await expect(host.getByText("Re-bonjour !")).toBeVisible();
  await hydrated(artist);
  expect(artistErrors).toEqual([]);
  expect(hostErrors).toEqual([]);
});
