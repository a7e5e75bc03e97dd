import { expect, test, type Download, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { talking, visit, watchErrors } from "./helpers";

/** A day `days` from today, as a date input takes it ("2027-02-01"). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Fills a proposal's fields inside `form` (the host's form, or a counter-proposal's). */
async function fillProposal(form: Locator, date: string, time: string, guests: string, fee: string) {
  await form.getByLabel("Date", { exact: true }).fill(date);
  await form.getByLabel("Heure de début").fill(time);
  await form.getByLabel("Nombre d'invités").fill(guests);
  await form.getByLabel("Cachet proposé (€)").fill(fee);
}

function proposeForm(page: Page): Locator {
  return page.locator("details.concert-form", { has: page.getByText("Proposer un concert") });
}

/** The card of the conversation's current request (the last one shown). */
function currentCard(page: Page): Locator {
  return page.locator(".concert-card").last();
}

/** Downloads the calendar file from the card's link, and answers its text. */
async function calendarFile(page: Page): Promise<string> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent("download"),
    currentCard(page).getByRole("link", { name: "Ajouter à mon agenda (.ics)" }).click(),
  ]);
  return readFileSync((await download.path())!, "utf8");
}

/** Makes the site judge `page`'s requests as if `days` had passed (the test server's clock). */
async function daysLater(page: Page, days: number) {
  await page.context().setExtraHTTPHeaders({ "x-test-clock-offset": String(days * 86_400_000) });
}

/** From "Mes concerts", opens the past concert and publishes a review of the other side. */
async function reviewFromMyConcerts(page: Page, stars: string, text: string) {
  await page.getByRole("link", { name: "Mes concerts" }).click();
  await expect(page.getByRole("heading", { name: "Mes concerts" })).toBeVisible();
  const past = page.locator(".my-concerts").last();
  await expect(past).toContainText("Concert confirmé");
  await past.getByRole("link", { name: "Donner mon avis" }).click();
  await page.getByLabel(stars, { exact: true }).check();
  await page.getByLabel("Comment s'est passé le concert ?").fill(text);
  await page.getByRole("button", { name: "Publier mon avis" }).click();
  await expect(page.locator(".review").first()).toContainText(text);
  await expect(page.getByRole("button", { name: "Modifier mon avis" })).toBeVisible();
}

test("a host proposes a concert, the artist counter-proposes live, the host accepts, both get the calendar file, and after the date both review", async ({
  browser,
}) => {
  const { artist, host, conversationId, artistPath } = await talking(browser);
  const errors = [...watchErrors(artist), ...watchErrors(host)];
  const threadPath = `/messages/${conversationId}`;
  await visit(artist, threadPath);
  const date = inDays(60);

  // The host proposes; the artist, whose page is open, sees the card arrive.
  await proposeForm(host).getByText("Proposer un concert").click();
  await fillProposal(proposeForm(host), date, "20:30", "40", "300");
  await proposeForm(host).getByRole("button", { name: "Envoyer la proposition" }).click();
  await expect(currentCard(host)).toContainText("Votre proposition de concert");
  await expect(currentCard(host)).toContainText("En attente de réponse");
  await expect(currentCard(artist)).toContainText("Proposition de concert");
  await expect(currentCard(artist)).toContainText("à 20 h 30");
  await expect(currentCard(artist)).toContainText("300 €");

  // The artist asks for a later start and a higher fee.
  await currentCard(artist).getByText("Proposer autre chose").click();
  await fillProposal(currentCard(artist), date, "21:00", "40", "400");
  await currentCard(artist).getByRole("button", { name: "Envoyer la contre-proposition" }).click();
  await expect(currentCard(artist)).toContainText("Votre contre-proposition");
  await expect(currentCard(host)).toContainText("Contre-proposition");
  await expect(currentCard(host)).toContainText("à 21 h 00");
  await expect(currentCard(host)).toContainText("400 €");
  await expect(host.locator(".concert-card")).toHaveCount(1);

  // The host accepts: both see the concert confirmed, and both download its calendar file.
  await currentCard(host).getByRole("button", { name: "Accepter" }).click();
  await expect(currentCard(host)).toContainText("Concert confirmé");
  await expect(currentCard(artist)).toContainText("Concert confirmé");
  for (const page of [host, artist]) {
    const file = await calendarFile(page);
    expect(file).toContain("BEGIN:VEVENT");
    expect(file).toContain(`DTSTART;TZID=Europe/Paris:${date.replaceAll("-", "")}T210000`);
    expect(file).toContain("STATUS:CONFIRMED");
    expect(file).toContain("LOCATION:Lyon");
  }
  // Each step is also a message of the conversation.
  await expect(artist.locator(".message-body").last()).toContainText("Concert confirmé : ");

  // Two months later, the concert took place: each side reviews the other from "Mes concerts".
  for (const page of [host, artist]) await daysLater(page, 61);
  await reviewFromMyConcerts(host, "5 étoiles", "Un trio lumineux, nos invités en parlent encore.");
  await reviewFromMyConcerts(artist, "4 étoiles", "Un accueil chaleureux et un piano accordé.");
  // Each sees the other's review under "Son avis sur vous".
  await expect(artist.getByText("Un trio lumineux, nos invités en parlent encore.")).toBeVisible();

  // The artist's public page counts the concert and shows the host's review, not the host.
  const visitor = await (await browser.newContext()).newPage();
  await daysLater(visitor, 61);
  await visitor.goto(artistPath);
  await expect(visitor.getByText("1 concert donné via Concerts dans mon salon.")).toBeVisible();
  await expect(visitor.locator("#avis")).toContainText("5 sur 5, 1 avis");
  await expect(visitor.locator("#avis")).toContainText("Un trio lumineux, nos invités en parlent encore.");
  await expect(visitor.locator("#avis")).not.toContainText("Un accueil chaleureux");
  await visitor.context().close();
  expect(errors).toEqual([]);
});

test("without JavaScript, a refused proposal comes back with what was typed, and a good one shows its card", async ({
  browser,
}) => {
  const { host } = await talking(browser);
  const threadPath = new URL(host.url()).pathname;
  // The same host's session, in a browser context without JavaScript.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  await plain.addCookies(await host.context().cookies());
  const page = await plain.newPage();
  await page.goto(threadPath);

  await proposeForm(page).getByText("Proposer un concert").click();
  await fillProposal(proposeForm(page), inDays(-2), "20:30", "35", "250");
  await proposeForm(page).getByLabel("Un mot pour préciser").fill("Au fond de la cour.");
  await proposeForm(page).getByRole("button", { name: "Envoyer la proposition" }).click();
  await expect(page).toHaveURL(new RegExp(`${threadPath}$`));
  await expect(page.getByText("Cette date est passée : proposez une date à venir.")).toBeVisible();
  await expect(proposeForm(page).getByLabel("Nombre d'invités")).toHaveValue("35");
  await expect(proposeForm(page).getByLabel("Un mot pour préciser")).toHaveValue("Au fond de la cour.");

  await proposeForm(page).getByLabel("Date", { exact: true }).fill(inDays(40));
  await proposeForm(page).getByRole("button", { name: "Envoyer la proposition" }).click();
  // (Back to the conversation; the address may keep an empty query from the refusal before.)
  await expect(page).toHaveURL(new RegExp(`${threadPath}\\??$`));
  await expect(currentCard(page)).toContainText("Votre proposition de concert");
  await expect(currentCard(page)).toContainText("Au fond de la cour.");
  await plain.close();
});
