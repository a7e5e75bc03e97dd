import { expect, test } from "@playwright/test";
import {
  SENT,
  hostWithProfile,
  hydrated,
  lastEmailTo,
  messagesLink,
  newPage,
  openWelcomeLink,
  publishedArtist,
  signUp,
  uniqueEmail,
  visit,
  watchErrors,
} from "./helpers";

test("a host finds an artist and writes; they talk, archive, and a stranger sees nothing", async ({ browser }) => {
  const artistName = `Trio Messager ${Date.now()}`;
  const artist = await newPage(browser);
  const artistErrors = watchErrors(artist);
  const artistPath = await publishedArtist(artist, artistName);

  // An anonymous visitor is led to sign up as a host, fills their profile, and comes back.
  const host = await newPage(browser);
  const hostErrors = watchErrors(host);
  await visit(host, artistPath);
  await host.getByRole("link", { name: "Contacter" }).click();
  await host.getByRole("link", { name: "créez un compte d'hôte" }).click();
  await expect(host.getByLabel(/Hôte/)).toBeChecked();
  const hostEmail = uniqueEmail("hote-messages");
  await host.getByLabel("Adresse e-mail").fill(hostEmail);
  await host.getByLabel("Mot de passe").fill("une chanson douce");
  await host.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(host.getByText(SENT)).toBeVisible();
  // The welcome e-mail's link confirms the address, signs in, and leads to the profile first.
  await openWelcomeLink(host, hostEmail);
  await expect(host.getByText("vous reviendrez à la page d'où vous venez")).toBeVisible();
  await hydrated(host);
  await host.getByLabel("Votre nom").fill("Famille Delorme");
  const city = host.getByRole("combobox", { name: "Commune du lieu" });
  await city.fill("lyo");
  await host.getByRole("option", { name: /^Lyon \(69\)/ }).click();
  await host.getByLabel("Le lieu que vous proposez").fill("Un salon de 40 m², un piano droit.");
  await host.getByRole("button", { name: "Enregistrer mon profil" }).click();
  await expect(host).toHaveURL(new RegExp(`${artistPath}$`));

  await host.getByLabel("Votre message").fill("Bonjour !\nSeriez-vous libres le samedi 14 mars ?");
  await host.getByRole("button", { name: "Envoyer" }).click();
  await expect(host).toHaveURL(/\/messages\/\d+$/);
  const threadPath = new URL(host.url()).pathname;
  await expect(host.getByText("Seriez-vous libres le samedi 14 mars ?")).toBeVisible();

  // The artist sees the unread count after a page load, then reads and replies.
  await visit(artist, "/artistes");
  await messagesLink(artist, "1 message non lu").click();
  await expect(artist).toHaveURL(/\/messages$/);
  const row = artist.getByRole("link", { name: /Famille Delorme/ });
  await expect(row).toContainText("Bonjour ! Seriez-vous libres");
  await row.click();
  await expect(artist.getByRole("heading", { name: "Conversation avec Famille Delorme" })).toBeVisible();
  await expect(artist.getByText("Bonjour !\nSeriez-vous libres le samedi 14 mars ?")).toBeVisible();
  await expect(messagesLink(artist, null)).toBeVisible();

  await artist.getByRole("link", { name: "Voir le profil de l'hôte" }).click();
  await expect(artist.getByRole("heading", { name: "Famille Delorme" })).toBeVisible();
  await expect(artist.getByText("Un salon de 40 m², un piano droit.")).toBeVisible();
  await artist.goBack();

  const answer = artist.getByLabel("Votre réponse");
  await answer.fill("Avec plaisir !\nQuel est votre code postal ?");
  await artist.getByRole("button", { name: "Envoyer" }).click();
  await expect(artist.locator(".message.mine").last()).toContainText("Quel est votre code postal ?");
  await expect(answer).toHaveValue("");

  // The host, whose conversation is still open, sees the reply arrive; then archives it.
  await expect(host.getByText("Avec plaisir !\nQuel est votre code postal ?")).toBeVisible();
  await expect(messagesLink(host, null)).toBeVisible();
  await host.getByRole("button", { name: "Archiver" }).click();
  await expect(host.getByText("Conversation archivée.")).toBeVisible();
  await visit(host, "/messages");
  await expect(host.getByText("Aucune conversation pour l'instant.")).toBeVisible();
  await host.getByRole("link", { name: "Archivées" }).click();
  await expect(host.getByRole("link", { name: "Archivées" })).toHaveAttribute("aria-current", "page");
  await expect(host.getByRole("link", { name: "En cours" })).not.toHaveAttribute("aria-current", "page");
  await expect(host.getByRole("link", { name: new RegExp(artistName) })).toBeVisible();

  // A new message from the artist brings it back.
  await answer.fill("Nous pouvons venir dès 17 h.");
  await artist.getByRole("button", { name: "Envoyer" }).click();
  await expect(artist.locator(".message.mine").last()).toContainText("dès 17 h");
  await visit(host, "/messages");
  await expect(host.getByRole("link", { name: new RegExp(artistName) })).toContainText("Nous pouvons venir dès 17 h.");
  expect(hostErrors).toEqual([]);
  expect(artistErrors).toEqual([]);

  // A third artist gets 404 on the conversation and on the host's profile.
  const hostProfile = await artist.getByRole("link", { name: "Voir le profil de l'hôte" }).getAttribute("href");
  expect(hostProfile).toMatch(/^\/hotes\/\d+$/);
  const stranger = await newPage(browser);
  await signUp(stranger, "artist", uniqueEmail("intrus"));
  for (const path of [threadPath, hostProfile!]) {
    const response = await stranger.goto(path);
    expect(response?.status()).toBe(404);
    await expect(stranger.getByRole("heading", { name: "Page introuvable" })).toBeVisible();
    await expect(stranger.getByText("Famille Delorme")).toHaveCount(0);
  }
});

test("a long conversation shows its latest messages and loads older ones on demand", async ({ browser }) => {
  const artist = await newPage(browser);
  const artistPath = await publishedArtist(artist, `Les Bavards ${Date.now()}`);
  const host = await hostWithProfile(browser, "Maison Bavarde");

  await visit(host, artistPath);
  await host.getByLabel("Votre message").fill("Message 1");
  await host.getByRole("button", { name: "Envoyer" }).click();
  await expect(host).toHaveURL(/\/messages\/\d+$/);
  const conversationId = new URL(host.url()).pathname.split("/").pop()!;
  // The rest through the API, as the mobile app would send them.
  for (let number = 2; number <= 35; number++) {
    const response = await host.request.post("/api/send_message", {
      form: { conversation_id: conversationId, body: `Message ${number}` },
      headers: { accept: "application/json", origin: new URL(host.url()).origin },
    });
    expect(response.status()).toBe(200);
  }

  await visit(artist, `/messages/${conversationId}`);
  const bodies = artist.locator(".message-body");
  await expect(bodies).toHaveCount(30);
  await expect(bodies.first()).toHaveText("Message 6");
  await expect(bodies.last()).toHaveText("Message 35");
  await artist.getByRole("link", { name: "Voir les messages précédents" }).click();
  await expect(bodies).toHaveCount(35);
  await expect(bodies.first()).toHaveText("Message 1");
  await expect(bodies.nth(5)).toHaveText("Message 6");
  await expect(artist.getByRole("link", { name: "Voir les messages précédents" })).toHaveCount(0);
  await expect(artist).toHaveURL(new RegExp(`/messages/${conversationId}$`));

  // A reader at the end of the conversation stays there as a message arrives.
  await artist.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const atBottom = () =>
    artist.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2);
  expect(await atBottom()).toBe(true);
  const late = await host.request.post("/api/send_message", {
    form: { conversation_id: conversationId, body: "Message 36" },
    headers: { accept: "application/json", "sec-fetch-site": "same-origin" },
  });
  expect(late.status()).toBe(200);
  await expect(bodies.last()).toHaveText("Message 36");
  await expect.poll(atBottom).toBe(true);
});

test("the inbox comes 30 conversations at a time, older ones a click away", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const artist = await newPage(browser);
  const errors = watchErrors(artist);
  const artistPath = await publishedArtist(artist, `Trio Demandé ${Date.now()}`);
  const slug = artistPath.split("/").pop()!;
  const headers = { "sec-fetch-site": "same-origin", accept: "application/json" };
  // 31 hosts write to the artist, through the API as the mobile app would.
  const hostWrites = async (number: number) => {
    const host = await playwright.request.newContext({ baseURL });
    const email = uniqueEmail(`hote-${number}`);
    const post = async (endpoint: string, form: Record<string, string>) => {
      const response = await host.post(`/api/${endpoint}`, { form, headers });
      expect(response.status(), endpoint).toBe(200);
    };
    await post("sign_up", { role: "host", email, password: "une chanson douce" });
    const token = (await lastEmailTo(email, "Bienvenue")).match(/jeton=([A-Za-z0-9_-]+)/)![1];
    await post("confirm_email_change", { token });
    await post("save_host_profile", { "host[name]": `Hôte numéro ${number}`, "host[city]": "69001" });
    await post("write_to_artist", { artist: slug, body: `Bonjour, ici l'hôte numéro ${number}.` });
    await host.dispose();
  };
  await hostWrites(1);
  for (let first = 2; first <= 31; first += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, index) => first + index).filter((n) => n <= 31).map(hostWrites));
  }

  await visit(artist, "/messages");
  const rows = artist.locator(".inbox .conversation");
  await expect(rows).toHaveCount(30);
  await expect(artist.getByRole("link", { name: /Hôte numéro 1\b/ })).toHaveCount(0);
  await artist.getByRole("link", { name: "Conversations plus anciennes" }).click();
  await expect(artist).toHaveURL(/\/messages\?avant=\d+\.\d+$/);
  await expect(rows).toHaveCount(1);
  await expect(artist.getByRole("link", { name: /Hôte numéro 1\b/ })).toBeVisible();
  await artist.getByRole("link", { name: "Revenir aux conversations les plus récentes" }).click();
  await expect(artist).toHaveURL(/\/messages$/);
  await expect(rows).toHaveCount(30);
  expect(errors).toEqual([]);
});
