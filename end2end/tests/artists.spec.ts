import { expect, test, type Browser, type Page } from "@playwright/test";
import { openWelcomeLink, signUp, uniqueEmail, visit, watchErrors } from "./helpers";

/** A PNG photo drawn by the browser itself (no fixture file to keep). */
async function drawnPhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 900;
    canvas.height = 600;
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#7a2e3a";
    context.fillRect(0, 0, 900, 600);
    context.fillStyle = "#f4d58d";
    context.beginPath();
    context.arc(450, 300, 200, 0, Math.PI * 2);
    context.fill();
    return canvas.toDataURL("image/png");
  });
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

/** Types in a city field and picks the suggestion `label`. */
async function chooseCity(page: Page, field: string, typed: string, label: string): Promise<void> {
  const input = page.getByRole("combobox", { name: field });
  await input.fill(typed);
  await page.getByRole("option", { name: new RegExp(`^${label.replace(/[()]/g, "\\$&")}`) }).click();
  await expect(input).toHaveValue(label);
}

async function anonymousPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("an artist publishes a profile with two offers and a photo, and a visitor finds it by type and city", async ({
  page,
  browser,
}) => {
  const name = `Les Ondes Vives ${Date.now()}`;
  await signUp(page, "artist", uniqueEmail("ondes"));

  await page.getByLabel("Nom de scène").fill(name);
  await page.getByLabel("Présentation du groupe et de ses membres").fill("Deux synthés, une batterie.\nTrois amis de Lyon.");
  await page.getByLabel("Types de musique").fill("Électro, Chanson");
  await page.getByLabel("Auvergne-Rhône-Alpes").check();
  await chooseCity(page, "Ville où vous êtes basé (facultatif)", "lyo", "Lyon (69)");
  const firstOffer = page.getByRole("group", { name: "Nouvelle formule (facultatif)" });
  await firstOffer.getByLabel("Titre").fill("Concert en salon");
  await firstOffer.getByLabel("Prix demandé").fill("400 € + défraiement");
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByText("Brouillon enregistré.")).toBeVisible();

  // The saved offer is now n° 1, and a new blank one waits below it.
  await expect(page.getByRole("group", { name: /^Formule n°.1$/ }).getByLabel("Titre")).toHaveValue("Concert en salon");
  const secondOffer = page.getByRole("group", { name: "Nouvelle formule (facultatif)" });
  await secondOffer.getByLabel("Titre").fill("Soirée au jardin");
  await secondOffer.getByLabel("Prix maximum (€, facultatif)").fill("900");
  await page.getByLabel(/Publier mon profil/).check();
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(page.getByText("Profil enregistré et publié.")).toBeVisible();

  await page.getByLabel("Choisir une photo").setInputFiles({
    name: "groupe.png",
    mimeType: "image/png",
    buffer: await drawnPhoto(page),
  });
  await page.getByRole("button", { name: "Envoyer la photo" }).click();
  await expect(page.getByRole("img", { name: "Votre photo actuelle" })).toBeVisible();

  // Loaded afresh, the editor hydrates and shows what was saved.
  await visit(page, "/profil");
  await expect(page.getByLabel("Nom de scène")).toHaveValue(name);
  await expect(page.getByLabel("Présentation du groupe et de ses membres")).toHaveValue("Deux synthés, une batterie.\nTrois amis de Lyon.");
  await expect(page.getByRole("group", { name: /^Formule n°.2$/ }).getByLabel("Titre")).toHaveValue("Soirée au jardin");
  await expect(page.getByRole("combobox", { name: "Ville où vous êtes basé (facultatif)" })).toHaveValue("Lyon (69)");

  // A visitor's search page is plain HTML: the city is typed whole, the server understands it.
  const visitor = await anonymousPage(browser);
  await visit(visitor, "/recherche");
  await visitor.getByLabel("Type de musique").fill("electro");
  await visitor.getByRole("textbox", { name: "Ville" }).fill("lyon");
  await visitor.getByRole("button", { name: "Rechercher" }).click();
  await expect(visitor).toHaveURL(/\/recherche\?type=electro&ville=lyon/);
  await expect(visitor.getByText("jouant à Lyon (69), Auvergne-Rhône-Alpes")).toBeVisible();
  await visitor.getByRole("link", { name }).click();

  await expect(visitor.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(visitor.getByRole("heading", { name: "Concert en salon" })).toBeVisible();
  await expect(visitor.getByRole("heading", { name: "Soirée au jardin" })).toBeVisible();
  await expect(visitor.getByRole("img", { name: `Photo de ${name}` })).toBeVisible();
  await expect(visitor).toHaveTitle(`${name} · Concerts dans mon salon`);
});

test("a draft is a 404 for everyone but its owner", async ({ page, browser }) => {
  await signUp(page, "artist", uniqueEmail("brouillon"));
  await page.getByLabel("Nom de scène").fill(`Brouillon ${Date.now()}`);
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  const ownPage = page.getByRole("link", { name: "Voir ma page" });
  await expect(ownPage).toBeVisible();
  const path = await ownPage.getAttribute("href");
  expect(path).toMatch(/^\/artistes\/brouillon-\d+$/);

  const visitor = await anonymousPage(browser);
  const response = await visitor.goto(path!);
  expect(response?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { name: "Page introuvable" })).toBeVisible();

  const otherArtist = await anonymousPage(browser);
  await signUp(otherArtist, "artist", uniqueEmail("curieux"));
  expect((await otherArtist.goto(path!))?.status()).toBe(404);

  const own = await page.goto(path!);
  expect(own?.status()).toBe(200);
  await expect(page.getByText("Brouillon : vous seul voyez cette page")).toBeVisible();
});

test("on a member's page, city autocomplete proposes Lyon after typing lyo, and the keyboard picks it", async ({ page }) => {
  await signUp(page, "host", uniqueEmail("autocomplete"));
  await visit(page, "/recherche");
  const city = page.getByRole("combobox", { name: "Ville" });
  await city.fill("lyo");
  await expect(page.getByRole("option").first()).toContainText("Lyon (69)");
  await city.press("ArrowDown");
  await city.press("Enter");
  await expect(city).toHaveValue("Lyon (69)");
  await expect(page.getByRole("listbox")).toBeHidden();
});

test("a failed save keeps everything that was typed", async ({ page }) => {
  await signUp(page, "artist", uniqueEmail("garde"));
  await page.getByLabel("Nom de scène").fill("Les Patients");
  await page.getByLabel("Votre musique").fill("Une longue description qu'on ne veut pas perdre.");
  const offer = page.getByRole("group", { name: "Nouvelle formule (facultatif)" });
  await offer.getByLabel("Description").fill("Une formule sans titre.");
  await page.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(offer.getByText(/Donnez un titre à la formule n°.1\./)).toBeVisible();
  await expect(page.getByLabel("Votre musique")).toHaveValue("Une longue description qu'on ne veut pas perdre.");
  await expect(offer.getByLabel("Description")).toHaveValue("Une formule sans titre.");
  await expect(page.getByLabel("Nom de scène")).toHaveValue("Les Patients");
});

test("every page, loaded afresh, hydrates without an error", async ({ page }) => {
  const errors = watchErrors(page);
  const headers = { "sec-fetch-site": "same-origin", accept: "application/json" };
  const email = uniqueEmail("hydrate");
  await page.request.post("/api/sign_up", { form: { role: "artist", email, password: "une chanson douce" }, headers });
  // The link signs in the page's context, which `page.request` shares.
  await openWelcomeLink(page, email);
  const saved = await page.request.post("/api/save_artist_profile", {
    headers,
    form: {
      "profile[stage_name]": `Hydra ${Date.now()}`,
      "profile[presentation]": "Ligne une\nLigne deux",
      "profile[music_types]": "Jazz, Swing",
      "profile[regions][0]": "84",
      "profile[base_city]": "Lyon",
      "profile[offers][0][title]": "Salon",
      "profile[published]": "true",
    },
  });
  expect(saved.status()).toBe(200);
  const { slug } = await saved.json();
  const pages = [
    "/profil",
    "/artistes",
    `/artistes/${slug}`,
    "/recherche",
    "/recherche?type=jazz&ville=Lyon",
    "/recherche?ville=Atlantide",
    "/messages",
    "/confidentialite",
    "/mot-de-passe-oublie",
    "/mot-de-passe/nouveau?jeton=x",
    "/desabonnement?jeton=x",
    "/adresse/confirmer?jeton=x",
  ];
  for (const path of pages) {
    await visit(page, path);
  }
  expect(errors).toEqual([]);
});
