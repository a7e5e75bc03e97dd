import { expect, test, type Page } from "@playwright/test";
import { messagesLink, restartServer, talking, visit, watchErrors } from "./helpers";

/** Sends a message in a conversation through the API, as the mobile app would. */
async function send(page: Page, conversationId: string, body: string): Promise<void> {
  const response = await page.request.post("/api/send_message", {
    form: { conversation_id: conversationId, body },
    headers: { accept: "application/json", "sec-fetch-site": "same-origin" },
  });
  expect(response.status()).toBe(200);
}

/** Pretends the tab went out of view, or came back (as switching tabs does). */
async function setVisibility(page: Page, state: "hidden" | "visible"): Promise<void> {
  await page.evaluate((state) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
  }, state);
}

function favicon(page: Page) {
  return page.locator("link[rel~='icon']");
}

test("messages, the badge, the title and the favicon update without reloading, in every tab", async ({ browser }) => {
  const { artist, host, conversationId } = await talking(browser);
  const errors = watchErrors(artist);
  const threadPath = `/messages/${conversationId}`;

  // The artist has the conversation open; the host replies from theirs.
  await visit(artist, threadPath);
  await artist.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await host.getByLabel("Votre réponse").fill("Nouveau message,\nen direct.");
  await host.getByRole("button", { name: "Envoyer" }).click();
  await expect(artist.locator(".message-body").last()).toHaveText("Nouveau message,\nen direct.");
  expect(await artist.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  // Read at once, since it is in view: nothing is counted.
  await expect(messagesLink(artist, null)).toBeVisible();

  // Out of view, a message shows but stays unread until the tab comes back.
  await setVisibility(artist, "hidden");
  await send(host, conversationId, "Pendant votre absence.");
  await expect(artist.locator(".message-body").last()).toHaveText("Pendant votre absence.");
  await expect(messagesLink(artist, "1 message non lu")).toBeVisible();
  await setVisibility(artist, "visible");
  await expect(messagesLink(artist, null)).toBeVisible();

  // Elsewhere on the site, a new message lights the badge, the title and the favicon.
  await visit(artist, "/artistes");
  await expect(messagesLink(artist, null)).toBeVisible();
  await expect(favicon(artist)).toHaveAttribute("href", "/favicon.svg");
  await send(host, conversationId, "Vous êtes là ?");
  await expect(messagesLink(artist, "1 message non lu")).toBeVisible();
  await expect(artist).toHaveTitle(/^\(1\) /);
  await expect(favicon(artist)).toHaveAttribute("href", "/favicon-unread.svg");

  // Reading it in a second tab clears the first one.
  const secondTab = await artist.context().newPage();
  await visit(secondTab, threadPath);
  await expect(secondTab.getByText("Vous êtes là ?")).toBeVisible();
  await expect(messagesLink(artist, null)).toBeVisible();
  await expect(artist).not.toHaveTitle(/^\(/);
  await expect(favicon(artist)).toHaveAttribute("href", "/favicon.svg");
  expect(errors).toEqual([]);
});

test("after a server restart, open pages reconnect by themselves and show the true count", async ({ browser }) => {
  const { artist, host, conversationId } = await talking(browser);
  await visit(artist, "/artistes");
  await expect(messagesLink(artist, "1 message non lu")).toBeVisible();
  await artist.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  await restartServer(host.request);
  await send(host, conversationId, "Après le redémarrage.");
  await expect(messagesLink(artist, "2 messages non lus")).toBeVisible({ timeout: 15_000 });
  await expect(artist).toHaveTitle(/^\(2\) /);
  expect(await artist.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // An open conversation catches up too.
  await visit(artist, `/messages/${conversationId}`);
  await restartServer(host.request);
  await send(host, conversationId, "Et encore un.");
  await expect(artist.getByText("Et encore un.")).toBeVisible({ timeout: 15_000 });
});

test("marking a conversation unread lights the badge, the title and the favicon of every open tab", async ({ browser }) => {
  const { artist, conversationId } = await talking(browser);
  const errors = watchErrors(artist);
  const threadPath = `/messages/${conversationId}`;

  // A first tab elsewhere on the site; the conversation, read, in a second one.
  await visit(artist, "/artistes");
  const secondTab = await artist.context().newPage();
  await visit(secondTab, threadPath);
  await expect(messagesLink(artist, null)).toBeVisible();

  await secondTab.getByRole("button", { name: "Marquer comme non lu" }).click();
  await expect(secondTab).toHaveURL(/\/messages$/);
  await expect(messagesLink(secondTab, "1 message non lu")).toBeVisible();
  // The first tab follows without a reload.
  await expect(messagesLink(artist, "1 message non lu")).toBeVisible();
  await expect(artist).toHaveTitle(/^\(1\) /);
  await expect(favicon(artist)).toHaveAttribute("href", "/favicon-unread.svg");

  // Read again, then marked unread from the inbox this time.
  await visit(secondTab, threadPath);
  await expect(messagesLink(artist, null)).toBeVisible();
  await visit(secondTab, "/messages");
  await secondTab.getByRole("button", { name: "Marquer comme non lu" }).click();
  await expect(messagesLink(artist, "1 message non lu")).toBeVisible();
  await expect(secondTab.locator(".conversation.unread")).toHaveCount(1);
  expect(errors).toEqual([]);
});
