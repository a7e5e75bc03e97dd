import { expect, test } from "@playwright/test";
import {
  PASSWORD,
  SENT,
  hydrated,
  lastEmailTo,
  newPage,
  openWelcomeLink,
  loadsApp,
  signIn,
  signOut,
  signUp,
  signUpUnconfirmed,
  submitSignIn,
  uniqueEmail,
  visit,
} from "./helpers";

test("an artist signs up, signs out, and signs in again", async ({ page }) => {
  const email = uniqueEmail("artiste");
  await signUp(page, "artist", email);
  await expect(page.getByText("Artiste", { exact: true })).toBeVisible();
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Messages", exact: true })).toBeVisible();

  await signOut(page);
  await expect(page.getByRole("link", { name: "Mon profil", exact: true })).toHaveCount(0);

  await signIn(page, email);
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await visit(page, "/profil");
  await expect(page.getByText(email, { exact: true })).toBeVisible();
});

test("a host signs up", async ({ page }) => {
  const email = uniqueEmail("hote");
  await signUp(page, "host", email);
  await expect(page.getByText("Hôte", { exact: true })).toBeVisible();
});

test("a wrong password shows a message and keeps the typed e-mail", async ({ page }) => {
  const email = uniqueEmail("oubli");
  await signUp(page, "artist", email);
  await signOut(page);
  await submitSignIn(page, email, "pas le bon mot de passe");
  await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
  await expect(page.getByLabel("Adresse e-mail")).toHaveValue(email);
  await expect(page).toHaveURL(/\/connexion/);
});

test("a taken address signs up like a new one; only its owner learns it, by e-mail", async ({ browser, page }) => {
  const email = uniqueEmail("doublon");
  await signUp(page, "artist", email);

  const second = await newPage(browser);
  await visit(second, "/inscription");
  await second.getByLabel(/Hôte/).check();
  await second.getByLabel("Adresse e-mail").fill(email.toUpperCase());
  await second.getByLabel("Mot de passe").fill("un autre mot de passe");
  await second.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(second.getByText(SENT)).toBeVisible();
  await expect(second.getByRole("alert")).toHaveCount(0);

  const told = await lastEmailTo(email, "aucun nouveau compte n'a été créé");
  expect(told).toContain("/mot-de-passe-oublie");
  // The account is as it was: still an artist's.
  await visit(page, "/profil");
  await expect(page.getByText("Artiste", { exact: true })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in works, and a wrong password keeps the e-mail", async ({ browser, page }) => {
    const email = uniqueEmail("sansjs");
    const setup = await browser.newContext({ javaScriptEnabled: true });
    await signUp(await setup.newPage(), "host", email);
    await setup.close();

    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail").fill(email);
    await page.getByLabel("Mot de passe").fill("pas le bon mot de passe");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
    await expect(page.getByLabel("Adresse e-mail")).toHaveValue(email);

    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
    await page.goto("/profil");
    await expect(page.getByText(email, { exact: true })).toBeVisible();
  });

  test("sign-up sends the link, which signs in", async ({ page }) => {
    const email = uniqueEmail("sansjs-inscription");
    await page.goto("/inscription");
    await page.getByLabel(/Artiste/).check();
    await page.getByLabel("Adresse e-mail").fill(email);
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page).toHaveURL(/\/inscription\?envoye=1$/);
    await expect(page.getByText(SENT)).toBeVisible();
    await openWelcomeLink(page, email);
    await expect(page).toHaveURL(/\/profil$/);
    await expect(page.getByText(email, { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  });
});

test("a private page sends a visitor to sign in and back", async ({ page }) => {
  const email = uniqueEmail("retour");
  await signUp(page, "artist", email);
  await signOut(page);
  await page.goto("/profil");
  await expect(page).toHaveURL(/\/connexion\?suite=%2Fprofil$/);
  // A visitor's page: no app to load.
  expect(await loadsApp(page)).toBe(false);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/profil$/);
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  // Signed in, the page loads the app.
  await hydrated(page);
});

test("the layout fits a 360 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await visit(page, "/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a new artist confirms their address from the e-mail, then publishes", async ({ page }) => {
  const email = uniqueEmail("confirmation");
  await signUpUnconfirmed(page, "artist", email);
  const banner = page.getByRole("complementary", { name: "Adresse à confirmer" });
  await expect(banner).toContainText(`Nous avons envoyé un lien à ${email}`);

  // A draft saves; publishing waits for the confirmation, and nothing typed is lost.
  await page.getByLabel("Nom de scène").fill("Les Confirmés");
  await page.getByLabel("Types de musique").fill("Folk");
  await page.getByLabel("Auvergne-Rhône-Alpes").check();
  await page.getByLabel(/Publier mon profil/).check();
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByText("Confirmez d'abord votre adresse e-mail pour publier votre profil")).toBeVisible();
  await expect(page.getByLabel("Nom de scène")).toHaveValue("Les Confirmés");

  await banner.getByRole("button", { name: "Renvoyer le lien" }).click();
  await expect(banner.getByText("Nouveau lien envoyé")).toBeVisible();

  // Either link works (the newest here): it confirms and leads back to the profile.
  await openWelcomeLink(page, email);
  await expect(page.getByRole("heading", { name: "Mon profil" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole("complementary", { name: "Adresse à confirmer" })).toHaveCount(0);
  await page.getByLabel("Nom de scène").fill("Les Confirmés");
  await page.getByLabel("Types de musique").fill("Folk");
  await page.getByLabel("Auvergne-Rhône-Alpes").check();
  await page.getByLabel(/Publier mon profil/).check();
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByText("Profil enregistré et publié.")).toBeVisible();
});
