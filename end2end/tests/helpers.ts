import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PASSWORD = "une chanson douce";

let counter = 0;
/** An address no other test uses. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@exemple.fr`;
}

/** What a page that loads the app carries: the island loader, a module script. */
const APP_SCRIPT = 'script[type="module"]';

/** Whether the page loaded the app: members' pages do, visitors' pages are plain HTML. */
export async function loadsApp(page: Page): Promise<boolean> {
  return (await page.locator(APP_SCRIPT).count()) > 0;
}

/** Waits until a page that loads the app has hydrated (clicks before that are lost). */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator(APP_SCRIPT)).not.toHaveCount(0);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Opens a page; one that loads the app (a member's) is waited for until it has hydrated. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  if (await loadsApp(page)) {
    await hydrated(page);
  }
}

/** Fills and sends the sign-up form; the page then asks to open the link e-mailed (a sign-up
 * opens no session: the page says the same whether the address had an account or not). */
export async function submitSignUp(page: Page, role: "artist" | "host", email: string): Promise<void> {
  await visit(page, "/inscription");
  await page.getByLabel(role === "artist" ? /Artiste/ : /Hôte/).check();
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page.getByText(SENT)).toBeVisible();
}

/** What the sign-up page says once the form is sent. */
export const SENT = "Il reste une étape : ouvrez le lien que nous venons d'envoyer à votre adresse e-mail.";

/** Signs up and opens the welcome e-mail's link, which confirms the address and signs in: on
 * "Mon profil", hydrated. */
export async function signUp(page: Page, role: "artist" | "host", email: string): Promise<void> {
  await submitSignUp(page, role, email);
  await openWelcomeLink(page, email);
  await expect(page.getByRole("heading", { name: "Mon profil" })).toBeVisible();
  // The sign-up page is a visitor's (no app); the profile the link leads to hydrates.
  await hydrated(page);
}

/** Signs up, then signs in with the password: the address waits for its confirmation. */
export async function signUpUnconfirmed(page: Page, role: "artist" | "host", email: string): Promise<void> {
  await submitSignUp(page, role, email);
  await signIn(page, email);
  await visit(page, "/profil");
}

/** The path (with its query) of the last link to `page` in the last e-mail to `email` that
 * contains `containing`. */
async function linkIn(email: string, containing: string, page: string): Promise<string> {
  const mail = await lastEmailTo(email, containing);
  const escaped = page.replaceAll("/", "\\/");
  const link = mail.match(new RegExp(`https?://[^\\s"<>]+${escaped}\\?jeton=[A-Za-z0-9_-]+(&suite=[^\\s"<>&]+)?`));
  expect(link, `a link to ${page} in the e-mail "${containing}"`).not.toBeNull();
  const url = new URL(link![0]);
  return url.pathname + url.search;
}

/** Opens the link of the welcome e-mail sent to `email` and confirms: the new account is
 * signed in. */
export async function openWelcomeLink(page: Page, email: string): Promise<void> {
  await visit(page, await linkIn(email, "Bienvenue", "/adresse/confirmer"));
  await page.getByRole("button", { name: "Confirmer cette adresse" }).click();
}

/** Fills and sends the sign-in form, whatever the outcome. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await visit(page, "/connexion");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/** Signs in, on a page that has loaded the app and hydrated. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await submitSignIn(page, email, password);
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await hydrated(page);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page.getByRole("link", { name: "Se connecter" })).toBeVisible();
}

/** Collects the page's script errors and console errors (but the 404s tests ask for). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("404")) errors.push(message.text());
  });
  return errors;
}

/** Stops the server and waits until serve.sh has started it again on the same database. */
export async function restartServer(request: APIRequestContext): Promise<void> {
  const control = process.env.E2E_CONTROL_DIR!;
  const pid = Number(readFileSync(join(control, "server.pid"), "utf8"));
  writeFileSync(join(control, "restart"), "");
  process.kill(pid, "SIGTERM");
  await expect
    .poll(() => Number(readFileSync(join(control, "server.pid"), "utf8")), { timeout: 10_000 })
    .not.toBe(pid);
  await expect
    .poll(async () => (await request.get("/healthz").catch(() => null))?.status(), { timeout: 10_000 })
    .toBe(200);
}

/** The header's "Messages" link, whose name carries the unread count when there is one. */
export function messagesLink(page: Page, unread: string | null) {
  const name = unread === null ? /^Messages$/ : `Messages (${unread})`;
  return page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name });
}

/** A page in a browser context of its own (its own cookies: another person). */
export async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Signs up an artist and publishes a profile named `name`; returns its address. */
export async function publishedArtist(page: Page, name: string): Promise<string> {
  await signUp(page, "artist", uniqueEmail("artiste-messages"));
  await page.getByLabel("Nom de scène").fill(name);
  await page.getByLabel("Types de musique").fill("Jazz, Swing");
  await page.getByLabel("Auvergne-Rhône-Alpes").check();
  await page.getByLabel(/Publier mon profil/).check();
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByText("Profil enregistré et publié.")).toBeVisible();
  const path = await page.getByRole("link", { name: "Voir ma page" }).getAttribute("href");
  expect(path).toMatch(/^\/artistes\//);
  return path!;
}

/** A host, signed up in a context of their own, with a saved profile (in Lyon). */
export async function hostWithProfile(browser: Browser, name: string): Promise<Page> {
  const host = await newPage(browser);
  await signUp(host, "host", uniqueEmail("hote"));
  await host.getByLabel("Votre nom").fill(name);
  await host.getByRole("combobox", { name: "Commune du lieu" }).fill("69001");
  await host.getByRole("option", { name: /^Lyon \(69\)/ }).click();
  await host.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(host.getByText("Profil enregistré.")).toBeVisible();
  return host;
}

/** An e-mail file as its reader sees it: quoted-printable undone (soft line breaks, then
 * "=3D" and the other escaped bytes). Headers stay as they are: a subject with accents is
 * encoded, so tests look for words of the text. */
function decoded(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, "");
  return Buffer.from(
    unfolded.replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
}

/** The text of the last e-mail the test SMTP server received for `address`, whose decoded
 * text holds `containing` if given (waits 15 s). */
export async function lastEmailTo(address: string, containing = ""): Promise<string> {
  const folder = join(process.env.E2E_CONTROL_DIR!, "maildir", "new");
  let found = "";
  await expect
    .poll(
      () => {
        const mails = existsSync(folder) ? readdirSync(folder).map((name) => decoded(readFileSync(join(folder, name), "latin1"))) : [];
        found = mails.filter((mail) => mail.includes(address) && mail.includes(containing)).pop() ?? "";
        return found !== "";
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found;
}

/** An artist and a host (in Lyon) in a conversation the host opened, each in a browser context
 * of their own; the host's page is left on the conversation. */
export async function talking(browser: Browser) {
  const artist = await newPage(browser);
  const artistPath = await publishedArtist(artist, `Les Instantanés ${Date.now()}`);
  const host = await hostWithProfile(browser, "Famille Vidal");
  await visit(host, artistPath);
  await host.getByLabel("Votre message").fill("Bonjour, premier message.");
  await host.getByRole("button", { name: "Envoyer" }).click();
  await expect(host).toHaveURL(/\/messages\/\d+$/);
  const conversationId = new URL(host.url()).pathname.split("/").pop()!;
  return { artist, host, conversationId, artistPath };
}

/** Makes the account at `email` a moderator, as an operator does on the server: the binary's
 * `moderator grant` command, on the database the test server uses. */
export function grantModerator(email: string): void {
  const control = process.env.E2E_CONTROL_DIR!;
  const read = (name: string) => readFileSync(join(control, name), "utf8").trim();
  execFileSync(read("server_bin"), ["moderator", "grant", email], {
    env: { ...process.env, DATABASE_URL: read("database_url"), LOG_LEVEL: "warn" },
  });
}
