import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { PASSWORD, lastEmailTo, newPage, signIn, signUp, submitSignIn, talking, uniqueEmail, visit } from "./helpers";

test("a forgotten password is reset from the link in the e-mail; old password and other sessions stop working", async ({
  browser,
}) => {
  const email = uniqueEmail("oubli");
  const laptop = await newPage(browser);
  await signUp(laptop, "artist", email);

  const phone = await newPage(browser);
  await visit(phone, "/connexion");
  await phone.getByRole("link", { name: "Mot de passe oublié ?" }).click();
  await phone.getByLabel("Adresse e-mail").fill(email);
  await phone.getByRole("button", { name: "Recevoir un lien" }).click();
  await expect(phone.getByText("Si un compte existe avec cette adresse")).toBeVisible();

  const mail = await lastEmailTo(email, "Votre nouveau mot de passe");
  const link = mail.match(/https?:\/\/[^\s"<>]+\/mot-de-passe\/nouveau\?jeton=[A-Za-z0-9_-]+/);
  expect(link).not.toBeNull();
  await visit(phone, new URL(link![0]).pathname + new URL(link![0]).search);
  await phone.getByLabel("Nouveau mot de passe").fill("un air de printemps");
  await phone.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
  await expect(phone).toHaveURL(/\/connexion\?reinitialise=1$/);
  await expect(phone.getByText("Votre mot de passe a été changé.")).toBeVisible();

  await submitSignIn(phone, email, PASSWORD);
  await expect(phone.getByText("Adresse e-mail ou mot de passe incorrect.")).toBeVisible();
  await signIn(phone, email, "un air de printemps");

  // The laptop's session ended with the reset.
  await laptop.goto("/profil");
  await expect(laptop).toHaveURL(/\/connexion\?suite=%2Fprofil$/);
});

test("a host downloads their data from the account page: a JSON file with their conversation", async ({ browser }) => {
  const { host, conversationId } = await talking(browser);
  await visit(host, "/profil");
  const downloading = host.waitForEvent("download");
  await host.getByRole("button", { name: "Télécharger mes données" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("mes-donnees-concerts-dans-mon-salon.json");
  const data = JSON.parse(readFileSync((await download.path())!, "utf8"));
  expect(data.account.role).toBe("host");
  expect(data.host_profile.name).toBe("Famille Vidal");
  expect(data.conversations.map((c: { id: number }) => String(c.id))).toEqual([conversationId]);
  expect(data.conversations[0].messages[0].body).toBe("Bonjour, premier message.");
  // The page stays where it was.
  await expect(host).toHaveURL(/\/profil$/);
  await expect(host.getByRole("heading", { name: "Mon profil" })).toBeVisible();
});
