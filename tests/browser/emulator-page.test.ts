/**
 * The emulator page in a real browser (Debian's chromium driven by
 * playwright-core) against a real server on 127.0.0.1 over a temp SQLite file.
 * Without chromium these tests are skipped, except under CI=true where they fail.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTranscript, runTranscript, formatTranscriptResult } from "../../adapters/emulator/index.ts";
import cafe from "../../bots/cafe/index.ts";
import salon from "../../bots/salon/index.ts";
import { startTestServer, TEST_CLOCK_START } from "../test-server.ts";
import { FakeCheckoutApi } from "../fakes/checkout-api.ts";
import { useHarness } from "../helpers.ts";

const CHROMIUM = process.env.KIOSK_CHROMIUM ?? "/usr/bin/chromium";
const missing = !existsSync(CHROMIUM);
const skip = missing && process.env.CI !== "true";
const INJECTION = "<img src=x onerror=alert(1)>";

interface Opened {
  readonly page: Page;
  /** Dialogs (alert) and uncaught page errors seen: both must stay empty. */
  readonly problems: string[];
}

describe.skipIf(skip)(skip ? `emulator page (skipped: no chromium at ${CHROMIUM}; apt-get install chromium)` : "emulator page in chromium", () => {
  const harness = useHarness();
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`CI=true and no chromium at ${CHROMIUM}: .ci/run installs it with apt-get install -y chromium`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });

  async function open(bot: string): Promise<Opened & { url: string }> {
    // Monday 06:00 in Paris whatever the hour the tests run at: the salon's first slot is 09:00, its 2 h reminder still ahead.
    const server = await startTestServer(harness, { emulatorClock: TEST_CLOCK_START }, [cafe, salon]);
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    contexts.push(context);
    harness.defer(() => context.close());
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${server.url}/emulator?bot=${bot}`);
    await page.waitForSelector("body[data-ready=true]");
    return { page, problems, url: server.url };
  }

  const chat = (page: Page) => page.getByTestId("chat");

  /** Waits until the chat shows `text` in a bot message. */
  async function sees(page: Page, text: string | RegExp): Promise<void> {
    await chat(page).locator(".from-bot").getByText(text).last().waitFor({ timeout: 5000 });
  }

  async function type(page: Page, text: string, reply: string | RegExp): Promise<void> {
    await page.getByTestId("text").fill(text);
    await page.getByTestId("text").press("Enter");
    await sees(page, reply);
  }

  /** Clicks a button of the newest bot message that has it. */
  async function press(page: Page, label: string | RegExp, reply: string | RegExp): Promise<void> {
    await chat(page).locator(".from-bot").getByRole("button", { name: label, exact: typeof label === "string" }).last().click();
    await sees(page, reply);
  }

  function screenshotTo(...paths: string[]): (page: Page) => Promise<void> {
    return async (page) => {
      for (const path of paths) {
        mkdirSync(path.replace(/\/[^/]+$/, ""), { recursive: true });
        await page.screenshot({ path });
      }
    };
  }

  it("orders and pays at the cafe by clicking buttons, cards and Pay; the inspector shows the order's history; a WhatsApp preview shows the list fallback; the exported transcript passes; typed HTML stays text", async () => {
    const { page, problems } = await open("cafe");
    await type(page, "/start", "Welcome to Café Lumière! ☕");
    await press(page, "Drinks", "Drinks");
    const latte = chat(page).getByTestId("card").filter({ hasText: "Latte" }).last();
    await expect.poll(() => latte.locator(".price").textContent(), { timeout: 5000 }).toBe("€3.20");
    await latte.getByRole("button", { name: "Add" }).click();
    await sees(page, "How many Latte? (1–10)");
    await type(page, "2", "Which size for your Latte?");
    await press(page, "M", "Anything else?");
    await press(page, "No", /^Your order:/);

    // The cart review has 4 buttons: WhatsApp shows them as a list and says why.
    await page.getByTestId("channel").selectOption("whatsapp");
    await expect.poll(() => chat(page).getByTestId("fallback").last().textContent(), { timeout: 5000 }).toBe("WhatsApp: 4 buttons → list (WhatsApp allows 3)");
    await expect.poll(() => chat(page).getByTestId("list").last().locator("button.row").allTextContents(), { timeout: 5000 }).toEqual(["Place order", "Change quantity", "Remove item", "Add more"]);
    await page.getByTestId("channel").selectOption("emulator");
    await expect.poll(() => chat(page).getByTestId("fallback").count(), { timeout: 5000 }).toBe(0);

    await press(page, "Place order", /^Order #1 is placed: €6\.40/);
    const invoice = chat(page).getByTestId("invoice").last();
    await expect.poll(() => invoice.locator(".price").textContent(), { timeout: 5000 }).toBe("€6.40");
    await invoice.getByRole("button", { name: "Pay", exact: true }).click();
    await sees(page, /^Paid, thank you! Receipt for order #1/);

    const order = page.getByTestId("inspector").getByTestId("order");
    await expect.poll(() => order.getAttribute("data-status"), { timeout: 5000 }).toBe("paid");
    await expect.poll(() => order.getByTestId("history").locator(".transition").allTextContents(), { timeout: 5000 }).toEqual(["draft → awaiting_payment", "awaiting_payment → paid"]);
    await expect.poll(() => invoice.getByRole("button", { name: "Pay", exact: true }).isDisabled(), { timeout: 5000 }).toBe(true);

    // A customer typing HTML sees it as text; nothing runs, no element is made.
    await type(page, INJECTION, "Welcome to Café Lumière! ☕");
    await expect.poll(() => chat(page).locator(".from-user .bubble").last().textContent(), { timeout: 5000 }).toBe(INJECTION);
    await expect.poll(() => page.locator("img").count(), { timeout: 5000 }).toBe(0);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
    expect(download.suggestedFilename()).toBe("cafe-alice.transcript.yaml");
    const yaml = readFileSync(await download.path(), "utf8");
    const transcript = parseTranscript(yaml, download.suggestedFilename());
    // Real time that passed between clicks is written as `advance` turns: left out here, played by the runner.
    const turns = transcript.turns.filter((t) => !("advance" in t));
    expect(turns.map((t) => ("press" in t ? `press ${t.press}` : "text" in t ? `text ${t.text}` : "pay" in t ? `pay ${t.pay}` : "locale" in t ? `locale ${t.locale}` : "other"))).toEqual([
      "locale en",
      "text /start",
      "press category:drinks",
      "press product:latte",
      "text 2",
      "press option:size:m",
      "press no",
      "press checkout",
      "pay succeed",
      `text ${INJECTION}`,
    ]);
    const result = await runTranscript(cafe, transcript);
    expect(result.passed, formatTranscriptResult(result)).toBe(true);
    await screenshotTo("test-output/emulator-cafe.png")(page);
    expect(problems).toEqual([]);
  });

  it("books at the salon, pays the deposit, and a fast-forward of the clock brings the reminder into the chat; the inspector shows the booking's history and the diagram its step", async () => {
    const { page, problems } = await open("salon");
    await type(page, "hi", "Welcome to Salon Lila! What would you like to do?");
    await expect.poll(() => page.getByTestId("diagram-current").textContent(), { timeout: 5000 }).toBe("Current: flow booking, step welcome");
    await expect.poll(() => page.locator("[data-testid=diagram] g.node.current").getAttribute("data-node"), { timeout: 5000 }).toBe("booking__welcome");
    await press(page, "Book an appointment", "Which service would you like?");
    await press(page, "Haircut (30 min, €25.00)", "Who would you like for your haircut?");
    await press(page, "Ana", /^Which day\?/);
    await chat(page).locator(".from-bot").last().locator("[data-payload^='day:']").first().click();
    await sees(page, /^What time on /);
    await chat(page).locator(".from-bot").last().locator("[data-payload^='slot:']").first().click();
    await sees(page, /^Haircut with Ana, .*Shall I book it\?/s);
    await expect.poll(() => page.locator("[data-testid=diagram] g.node.current").getAttribute("data-node"), { timeout: 5000 }).toBe("booking__book");
    await press(page, "Yes", /^Booking #1 is held for 10 minutes/);
    await chat(page).getByTestId("invoice").last().getByRole("button", { name: "Pay", exact: true }).click();
    await sees(page, /^Booked! #1: Haircut with Ana/);
    // The page has no share button: the number is typed.
    await sees(page, "Which mobile number can we reach you on if anything changes?");
    await type(page, "+33 6 12 34 56 78", "See you soon at Salon Lila!");

    const booking = page.getByTestId("inspector").getByTestId("booking");
    await expect.poll(() => booking.getAttribute("data-status"), { timeout: 5000 }).toBe("confirmed");
    await expect.poll(() => booking.getByTestId("history").locator(".transition").allTextContents(), { timeout: 5000 }).toEqual(["held → held", "held → confirmed"]);

    // The first free day is at most two days ahead: within two fast-forwards of a day, a reminder is due.
    const before = await page.getByTestId("clock-now").textContent();
    for (let i = 0; i < 2 && (await chat(page).getByText(/^Reminder: Haircut with Ana/).count()) === 0; i++) {
      await page.getByRole("button", { name: "+1 day" }).click();
      await page.waitForSelector("body:not([data-advancing])");
    }
    await sees(page, /^Reminder: Haircut with Ana/);
    const reminder = chat(page).locator(".from-bot").filter({ hasText: /^Reminder:/ }).last();
    await expect.poll(() => reminder.getByRole("button").allTextContents(), { timeout: 5000 }).toEqual(["Reschedule", "Cancel booking"]);
    expect(await page.getByTestId("clock-now").textContent()).not.toBe(before);

    // Preview as Messenger: the deposit invoice becomes a payment link.
    await page.getByTestId("channel").selectOption("messenger");
    await expect.poll(() => chat(page).getByTestId("invoice").last().locator(".invoice-kind").textContent(), { timeout: 5000 }).toBe("Payment link");
    await page.getByTestId("channel").selectOption("emulator");
    // docs/emulator.png (the README's picture) is rewritten only when asked, so a test run leaves the tree clean.
    await screenshotTo("test-output/emulator.png", ...(process.env.KIOSK_UPDATE_DOCS === "1" ? ["docs/emulator.png"] : []))(page);
    expect(problems).toEqual([]);
  });

  it("keeps several customers apart, each in the locale chosen before their first message; reset starts afresh", async () => {
    const { page, problems } = await open("cafe");
    await type(page, "/start", "Welcome to Café Lumière! ☕");
    await page.getByTestId("locale").selectOption("fr");
    await page.getByTestId("new-customer").click();
    await expect.poll(() => page.locator("[data-customer]").allTextContents(), { timeout: 5000 }).toEqual(["alice", "bob"]);
    await expect.poll(() => chat(page).locator("li").count(), { timeout: 5000 }).toBe(0);
    await type(page, "/start", /^Bienvenue/);
    await page.locator("[data-customer=alice]").click();
    await sees(page, "Welcome to Café Lumière! ☕");
    await expect.poll(() => chat(page).getByText(/^Bienvenue/).count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => page.locator("[data-fact=locale]").textContent(), { timeout: 5000 }).toBe("en");

    await page.getByTestId("reset").click();
    await chat(page).getByText(/^Conversation reset/).waitFor();
    await expect.poll(() => chat(page).locator(".from-bot").count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => page.getByTestId("inspector").textContent(), { timeout: 5000 }).toContain("No conversation yet");
    expect(problems).toEqual([]);
  });
  it("shows two customers side by side, each chatting in their own column; the inspector follows the one used last and shows booking times in the bot's zone and the customer's locale; a narrow window falls back to tabs", async () => {
    const { page, problems } = await open("salon");
    const column = (id: string) => page.locator(`[data-column=${id}]`);
    const userTexts = (id: string) => column(id).locator(".from-user .bubble").allTextContents();
    const botSees = (id: string, text: string | RegExp) => column(id).locator(".from-bot").getByText(text).last().waitFor({ timeout: 5000 });
    async function say(id: string, text: string, reply: string | RegExp): Promise<void> {
      await column(id).getByTestId("text").fill(text);
      await column(id).getByTestId("text").press("Enter");
      await botSees(id, reply);
    }
    async function tap(id: string, label: string, reply: string | RegExp): Promise<void> {
      await column(id).locator(".from-bot").getByRole("button", { name: label, exact: true }).last().click();
      await botSees(id, reply);
    }
    const inspected = () => page.locator("[data-fact=customer]").textContent();

    await page.getByTestId("side-by-side").check();
    await page.getByTestId("new-customer").click();
    // The locale menu sets the new customer's (bob's) language before their first message; alice keeps en-GB.
    await page.getByTestId("locale").selectOption("fr");
    await expect.poll(() => page.getByTestId("column").evaluateAll((cols) => cols.map((c) => c.getAttribute("data-column"))), { timeout: 5000 }).toEqual(["alice", "bob"]);
    await expect.poll(() => page.getByTestId("inspector-customer").textContent(), { timeout: 5000 }).toBe("· bob");

    // Each sends in their own column, and each column holds only its own conversation.
    await say("alice", "hi", "Welcome to Salon Lila! What would you like to do?");
    await expect.poll(() => inspected(), { timeout: 5000 }).toBe("alice");
    await expect.poll(() => page.getByTestId("inspector-customer").textContent(), { timeout: 5000 }).toBe("· alice");
    await say("bob", "bonjour", "Bienvenue au Salon Lila ! Que souhaitez-vous faire ?");
    await expect.poll(inspected).toBe("bob");
    await expect.poll(() => page.locator("[data-fact=locale]").textContent(), { timeout: 5000 }).toBe("fr");
    await expect.poll(() => userTexts("alice"), { timeout: 5000 }).toEqual(["hi"]);
    await expect.poll(() => userTexts("bob"), { timeout: 5000 }).toEqual(["bonjour"]);
    await expect.poll(() => column("alice").getByText(/Bienvenue/).count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => column("bob").getByText(/Welcome/).count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => column("bob").getByTestId("inspected").isVisible(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => column("alice").getByTestId("inspected").isVisible(), { timeout: 5000 }).toBe(false);

    // Alice books a day that is not today, so its first slot is the salon's opening, 09:00 in Paris.
    await tap("alice", "Book an appointment", "Which service would you like?");
    await expect.poll(inspected).toBe("alice");
    await tap("alice", "Haircut (30 min, €25.00)", "Who would you like for your haircut?");
    await tap("alice", "Ana", /^Which day\?/);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(TEST_CLOCK_START);
    await column("alice").locator(".from-bot").last().locator(`[data-payload^='day:']:not([data-payload='day:${today}'])`).first().click();
    await botSees("alice", /^What time on /);
    await column("alice").locator(".from-bot").last().locator("[data-payload^='slot:']").first().click();
    await botSees("alice", /^Haircut with Ana, .*Shall I book it\?/s);
    await tap("alice", "Yes", /^Booking #1 is held for 10 minutes/);
    await column("alice").getByTestId("invoice").last().getByRole("button", { name: "Pay", exact: true }).click();
    await botSees("alice", /^Booked! #1: Haircut with Ana/);
    await expect.poll(() => inspected(), { timeout: 5000 }).toBe("alice");
    const booking = page.getByTestId("inspector").getByTestId("booking");
    await expect.poll(() => booking.getAttribute("data-status"), { timeout: 5000 }).toBe("confirmed");
    const time = booking.getByTestId("booking-time");
    const iso = (await time.getAttribute("title")) ?? "";
    // 08:00Z in winter, 07:00Z in summer: 09:00 in Paris either way, in en-GB's 24-hour clock; the ISO instants on hover.
    expect(iso).toMatch(/^\d{4}-\d\d-\d\dT0[78]:00:00\.000Z – \d{4}-\d\d-\d\dT0[78]:30:00\.000Z \(Europe\/Paris\)$/);
    const shown = (await time.textContent()) ?? "";
    expect(shown).toMatch(/09:00\s*–\s*09:30/);
    expect(shown).not.toContain(iso.slice(11, 16));
    expect(shown).not.toMatch(/Z\b|UTC/);
    await expect.poll(() => userTexts("bob"), { timeout: 5000 }).toEqual(["bonjour"]);
    await screenshotTo("test-output/emulator-side-by-side.png")(page);

    // A narrow window keeps tabs: one column, the one last used.
    await page.setViewportSize({ width: 800, height: 1000 });
    // The page lays itself out again on the resize event: wait for it rather than read mid-way.
    await page.getByTestId("column").nth(1).waitFor({ state: "detached" });
    await expect.poll(() => page.getByTestId("column").evaluateAll((cols) => cols.map((c) => c.getAttribute("data-column"))), { timeout: 5000 }).toEqual(["alice"]);
    await expect.poll(() => page.getByTestId("layout-hint").textContent(), { timeout: 5000 }).toContain("needs a wider window");
    expect(problems).toEqual([]);
  });

  it("beside a real channel asks for the emulator token once, keeps it for the browser session and sends it on every API call", async () => {
    const token = "browser-emulator-token-0123456789abcdef";
    // Hosted checkout is a real channel: production mode, the emulator in its sandbox behind the token.
    const checkout = await FakeCheckoutApi.start();
    harness.defer(() => checkout.close());
    const server = await startTestServer(harness, {
      publicUrl: "https://shop.example",
      channels: { checkout: checkout.settings() },
      emulator: true,
      emulatorToken: token,
      emulatorClock: TEST_CLOCK_START,
    });
    expect(server.mode).toMatchObject({ kind: "production", emulator: true, tokenRequired: true });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    contexts.push(context);
    harness.defer(() => context.close());
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.accept(token);
    });
    const sent: Array<{ url: string; authorization: string | undefined }> = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/api/emulator/")) sent.push({ url: r.url(), authorization: r.headers().authorization });
    });
    await page.goto(`${server.url}/emulator?bot=cafe`);
    await page.waitForSelector("body[data-ready=true]");
    await type(page, "/start", "Welcome to Café Lumière! ☕");
    expect(dialogs).toEqual([expect.stringMatching(/^prompt: .*KIOSK_EMULATOR_TOKEN/)]);
    const kept = () => page.evaluate(() => (globalThis as { sessionStorage?: { getItem(key: string): string | null } }).sessionStorage?.getItem("kiosk-emulator-token"));
    expect(await kept()).toBe(token);
    // Once the token is known, every call carries it.
    const first = sent.findIndex((r) => r.authorization === `Bearer ${token}`);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(sent.slice(first).filter((r) => r.authorization !== `Bearer ${token}`)).toEqual([]);
    // The customer lives in the sandbox, not in the real store.
    expect(await server.emulator?.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "emulator", userId: "alice" }))).toBeDefined();
    expect(await server.store.transaction((tx) => tx.loadConversation({ botId: "cafe", channel: "emulator", userId: "alice" }))).toBeUndefined();

    // A reload in the same tab asks nothing: the token is kept for the session.
    const before = sent.length;
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    expect(dialogs).toHaveLength(1);
    expect(sent.length).toBeGreaterThan(before);
    expect(sent.slice(before).filter((r) => r.authorization !== `Bearer ${token}`)).toEqual([]);
  });
});
