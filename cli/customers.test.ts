import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ERASED_REASON, openSqliteStore, VersionConflictError, type ConversationAddress, type Store } from "../store/index.ts";
import { captureStdio, useHarness } from "../tests/helpers.ts";
import { sandboxDbPath } from "../adapters/emulator/sandbox.ts";
import { customersCommand } from "./customers.ts";

const T = new Date("2027-03-22T07:00:00.000Z");
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

/** Ana, on WhatsApp: her id is her phone number. */
const ana: ConversationAddress = { botId: "cafe", channel: "whatsapp", userId: "33612345678" };
/** Bob, another customer of the same bot, whose data must stay untouched. */
const bob: ConversationAddress = { botId: "cafe", channel: "whatsapp", userId: "4915112345678" };
/** Cleo, on Teams through Bot Framework: her user id holds a colon. */
const cleo: ConversationAddress = { botId: "cafe", channel: "botframework", userId: "29:1cleoAADid" };

/** What Ana gave or was told: none of it may survive an erase, anywhere in the file. */
const ANA_PERSONAL = ["33612345678", /* the number inside a wamid */ Buffer.from("33612345678").toString("base64").slice(0, 12), "Ana Lima", "rue des Lilas", "Lyon", "69001", "45.7640", "ring twice, the blue door"];

/** A WhatsApp message id as the Cloud API makes them: base64 of a header, the sender's number and a random part. */
const wamidOf = (phone: string, id: string) =>
  `wamid.${Buffer.concat([Buffer.from([0x1c, 0x18, 0x0b]), Buffer.from(phone), Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]), Buffer.from(id), Buffer.from([0])]).toString("base64")}`;

const item = { productId: "croissant", name: "Croissant", options: {}, optionLabels: [], quantity: 2, unitPrice: 180, lineTotal: 360 };

/** Fills every table that can hold something about `who`, through the store's own API. */
async function seed(store: Store, who: ConversationAddress, personal: { tag: string; phone: string; name: string; street: string; city: string; postCode: string; note: string }) {
  const tag = personal.tag;
  const ids = await store.transaction(async (tx) => {
    await tx.saveConversation(
      {
        ...who,
        flowId: "order",
        flowVersion: "1@abc",
        stepId: "confirm",
        locale: "fr",
        data: { slots: { phone: personal.phone, name: personal.name, address: `${personal.street}, ${personal.city}`, location: { latitude: 45.764, longitude: 4.8357 }, note: personal.note } },
        updatedAt: T,
      },
      0,
    );
    const paid = await tx.createOrder({ ...who, items: [item], total: 360, currency: "EUR", status: "awaiting_payment", cause: "customer placed the order", at: T });
    await tx.setOrderShipping(
      paid.id,
      { optionId: "courier", label: "Courier", amount: 500, name: personal.name, address: { countryCode: "FR", state: "", city: personal.city, streetLine1: personal.street, streetLine2: "", postCode: personal.postCode } },
      later(1),
    );
    await tx.recordPayment({ provider: "checkout", reference: `cs_${tag}`, orderId: paid.id, outcome: "succeeded", amount: 860, currency: "EUR" }, later(2));
    await tx.markEventSeen(`payment:checkout:cs_${tag}`, later(2));
    await tx.markEventSeen(`whatsapp:cafe:${wamidOf(who.userId, "3AB46A8635A5665F9DFB")}`, later(2));
    await tx.markEventSeen(`whatsapp:cafe:${wamidOf(who.userId, "3AB46A8635A5665F9DFC")}`, later(3));
    await tx.transitionOrder(paid.id, "awaiting_payment", "paid", `payment cs_${tag}`, later(2));
    await tx.recordRefund({ ...who, orderId: paid.id, provider: "checkout", paymentReference: `cs_${tag}`, amount: 860, currency: "EUR", reason: "customer asked", at: later(3) });
    const unpaid = await tx.createOrder({ ...who, items: [item], total: 360, currency: "EUR", status: "awaiting_payment", cause: "customer placed the order", at: later(4) });
    await tx.scheduleTimer({ ...who, key: `order.expire:${unpaid.id}`, name: "order.expire", data: { order: unpaid.id }, fireAt: later(20) });
    const booking = await tx.holdSlot({
      ...who,
      serviceId: "cut",
      resourceId: "ana-stylist",
      start: later(60 * 24 + (who === bob ? 60 : 0)),
      end: later(60 * 24 + 30 + (who === bob ? 60 : 0)),
      price: 3000,
      deposit: 0,
      currency: "EUR",
      freeCancelUntil: null,
      cause: "customer booked",
      at: later(5),
    });
    if (!booking) throw new Error("the slot was taken");
    await tx.transitionBooking(booking.id, "held", "confirmed", "no deposit due", later(5));
    const outbox = await tx.enqueue(who, [{ text: `Thanks ${personal.name}, we ship to ${personal.street}` }, { text: "Your order is on its way" }], later(6));
    return { paid, outbox };
  });
  await store.saveCheckoutSession({ orderId: ids.paid.id, provider: "checkout", sessionId: `cs_${tag}`, url: `https://checkout.example/${tag}`, createdAt: later(1) });
  const [first] = ids.outbox;
  if (first === undefined) throw new Error("nothing was queued");
  await store.markSent([first], later(7));
  await store.savePlatformMessage({ channel: who.channel, platformId: `wamid.out.${tag}`, outboxId: first, at: later(7) });
  await store.recordDeliveryStatus({ channel: who.channel, platformId: `wamid.out.${tag}`, status: "failed", error: `WhatsApp failed: to ${who.userId}`, at: later(8) });
  await store.recordInbound(who, later(6));
  await store.setUnreachable(who, "customer blocked the bot", later(9));
}

/** Every row of every table of a SQLite file, as one JSON text. */
function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as Array<{ name: string }>;
    return JSON.stringify(Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`select * from "${name}"`).all()])));
  } finally {
    db.close();
  }
}

function rows<T>(file: string, query: string): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}

describe("kiosk customers", () => {
  const harness = useHarness();
  afterEach(() => vi.restoreAllMocks());

  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const output = captureStdio();
    try {
      const code = await customersCommand(args);
      return { code, out: output.out(), err: output.err() };
    } finally {
      vi.restoreAllMocks();
    }
  }

  async function seeded(): Promise<{ db: string; sandbox: string }> {
    const db = harness.db;
    const store = openSqliteStore({ file: db });
    await seed(store, ana, { tag: "ana", phone: "+33612345678", name: "Ana Lima", street: "12 rue des Lilas", city: "Lyon", postCode: "69001", note: "ring twice, the blue door" });
    await seed(store, bob, { tag: "bob", phone: "+4915112345678", name: "Bob Brandt", street: "Hauptstraße 5", city: "Berlin", postCode: "10115", note: "leave it with the neighbour" });
    await store.saveBotFrameworkReference(cleo.botId, cleo.userId, { user: { id: cleo.userId, name: "Cleo Park" }, conversation: { id: "a:1cleo" } }, T);
    await store.transaction((tx) => tx.enqueue(cleo, [{ text: "Hello Cleo Park" }], T));
    await store.close();
    // The emulator sandbox beside it, where Ana tried the bot with her own number.
    const sandbox = sandboxDbPath(db);
    const box = openSqliteStore({ file: sandbox });
    await box.transaction((tx) =>
      tx.saveConversation({ ...ana, flowId: "order", flowVersion: "1@abc", stepId: "phone", locale: "fr", data: { slots: { phone: "+33612345678", name: "Ana Lima" } }, updatedAt: T }, 0),
    );
    await box.close();
    return { db, sandbox };
  }

  it("exports everything held about a customer from every table, instants in ISO UTC and money in minor units with its currency", async () => {
    const { db } = await seeded();
    const { code, out } = await run("export", "cafe", "whatsapp:33612345678", "--db", db);
    expect(code).toBe(0);
    const data = JSON.parse(out);
    expect(data).toMatchObject({ bot: "cafe", channel: "whatsapp", customer: "33612345678" });
    expect(data.conversation).toMatchObject({ flowId: "order", stepId: "confirm", locale: "fr", updatedAt: "2027-03-22T07:00:00.000Z" });
    expect(data.conversation.state.slots).toMatchObject({ phone: "+33612345678", name: "Ana Lima", note: "ring twice, the blue door" });
    expect(data.orders).toHaveLength(2);
    const [paid, unpaid] = data.orders;
    expect(paid).toMatchObject({
      status: "paid",
      total: 860,
      currency: "EUR",
      items: [item],
      shipping: { optionId: "courier", amount: 500, name: "Ana Lima", address: { streetLine1: "12 rue des Lilas", city: "Lyon", postCode: "69001", countryCode: "FR" } },
      payments: [{ provider: "checkout", reference: "cs_ana", outcome: "succeeded", amount: 860, currency: "EUR", at: "2027-03-22T07:02:00.000Z" }],
      checkoutSession: { sessionId: "cs_ana", url: "https://checkout.example/ana", createdAt: "2027-03-22T07:01:00.000Z", closedAt: null },
    });
    expect(paid.history.map((h: { from: string; to: string }) => `${h.from}→${h.to}`)).toEqual(["draft→awaiting_payment", "awaiting_payment→paid"]);
    expect(unpaid).toMatchObject({ status: "awaiting_payment", total: 360, payments: [], checkoutSession: null });
    expect(data.bookings).toEqual([
      expect.objectContaining({ serviceId: "cut", status: "confirmed", price: 3000, currency: "EUR", start: "2027-03-23T07:00:00.000Z", history: [expect.objectContaining({ to: "held" }), expect.objectContaining({ to: "confirmed" })] }),
    ]);
    expect(data.refunds).toEqual([expect.objectContaining({ amount: 860, currency: "EUR", status: "pending", reason: "customer asked" })]);
    expect(data.outbox.map((m: { message: { text: string } }) => m.message.text)).toEqual(["Thanks Ana Lima, we ship to 12 rue des Lilas", "Your order is on its way"]);
    expect(data.outbox[0]).toMatchObject({ sentAt: "2027-03-22T07:07:00.000Z", deliveries: [{ platformId: "wamid.out.ana", status: "failed" }] });
    expect(data.timers).toEqual([{ key: expect.stringMatching(/^order\.expire:/), name: "order.expire", data: { order: unpaid.id }, fireAt: "2027-03-22T07:20:00.000Z" }]);
    expect(data.seenEvents).toEqual([
      { key: "payment:checkout:cs_ana", at: "2027-03-22T07:02:00.000Z" },
      { key: `whatsapp:cafe:${wamidOf("33612345678", "3AB46A8635A5665F9DFB")}`, at: "2027-03-22T07:02:00.000Z" },
      { key: `whatsapp:cafe:${wamidOf("33612345678", "3AB46A8635A5665F9DFC")}`, at: "2027-03-22T07:03:00.000Z" },
    ]);
    expect(data.lastInboundAt).toBe("2027-03-22T07:06:00.000Z");
    expect(data.reachability).toMatchObject({ unreachableReason: "customer blocked the bot", since: "2027-03-22T07:09:00.000Z" });
    expect(data.botFrameworkReference).toBeNull();
    // Nothing of Bob's.
    expect(out).not.toContain("Bob");
    expect(out).not.toContain("4915112345678");

    const teams = JSON.parse((await run("export", "cafe", "botframework:29:1cleoAADid", "--db", db)).out);
    expect(teams.botFrameworkReference).toMatchObject({ reference: { user: { name: "Cleo Park" } }, updatedAt: "2027-03-22T07:00:00.000Z" });
    expect(teams.outbox).toHaveLength(1);
  });

  it("erases a customer's personal data from every table of the store and its sandbox, keeps the books under one pseudonym, and is idempotent", async () => {
    const { db, sandbox } = await seeded();
    expect(dump(db)).toContain("rue des Lilas");

    const first = await run("erase", "cafe", "whatsapp:33612345678", "--db", db);
    expect(first.code).toBe(0);
    expect(first.out).toContain(
      `${db}: conversations 1, seenEvents 2, orders 2, shippingAddresses 1, bookings 1, refunds 1, outbox 2, platformMessages 1, timers 1, botframeworkReferences 0, customerActivity 1, unreachableCustomers 1, merchantEvents 0, stepVisits 0\n`,
    );
    expect(first.out).toContain(`${sandbox}: conversations 1, seenEvents 0, orders 0`);
    for (const text of ANA_PERSONAL) expect(first.out).not.toContain(text);

    // Not a trace left in any table of either file, nor in the files' bytes; Bob's data is all there.
    for (const file of [db, sandbox]) {
      const all = dump(file);
      for (const text of ANA_PERSONAL) expect(all, `${file} still holds '${text}'`).not.toContain(text);
      const bytes = readFileSync(file).toString("latin1");
      for (const text of ANA_PERSONAL) expect(bytes, `${file}'s bytes still hold '${text}'`).not.toContain(text);
    }
    for (const text of ["4915112345678", "Bob Brandt", "Hauptstraße 5", "leave it with the neighbour"]) expect(dump(db)).toContain(text);

    // The books: both orders, the booking, the refund and the timer under one pseudonym; the payment and shipping's price kept.
    const owners = rows<{ user_id: string }>(db, "select user_id from orders where channel = 'whatsapp' and user_id != '4915112345678' union all select user_id from bookings where user_id != '4915112345678' union all select user_id from refunds where user_id != '4915112345678' union all select user_id from timers where user_id != '4915112345678'");
    expect(owners).toHaveLength(5);
    const alias = owners[0]?.user_id ?? "";
    expect(alias).toMatch(/^erased:[0-9a-f]{32}$/);
    expect(new Set(owners.map((o) => o.user_id))).toEqual(new Set([alias]));
    const [books] = rows<{ total: number; shipping: string }>(db, `select total, shipping from orders where user_id = '${alias}' and shipping is not null`);
    expect(books?.total).toBe(860);
    expect(JSON.parse(books?.shipping ?? "{}")).toEqual({ optionId: "courier", label: "Courier", amount: 500, address: { countryCode: "FR", state: "", city: "", streetLine1: "", streetLine2: "", postCode: "" } });
    expect(rows(db, "select amount, currency from payments where reference = 'cs_ana'")).toEqual([{ amount: 860, currency: "EUR" }]);
    expect(rows(db, "select key from seen_events where key = 'payment:checkout:cs_ana'")).toHaveLength(1);

    // What the kept timers would send the pseudonym is recorded as not delivered, never sent.
    const store = openSqliteStore({ file: db });
    try {
      await store.transaction((tx) => tx.enqueue({ ...ana, userId: alias }, [{ text: "Your order expired" }], later(20)));
      const pending = (await store.pendingOutbox(later(20), 10)).filter((r) => r.userId === alias);
      expect(pending.map((r) => r.unreachable)).toEqual([ERASED_REASON]);
    } finally {
      await store.close();
    }

    // Export finds nothing personal now.
    const after = JSON.parse((await run("export", "cafe", "whatsapp:33612345678", "--db", db)).out);
    expect(after).toMatchObject({ conversation: null, orders: [], bookings: [], refunds: [], outbox: [], timers: [], seenEvents: [], lastInboundAt: null, reachability: null });

    // Again: nothing left to change.
    const again = await run("erase", "cafe", "whatsapp:33612345678", "--db", db);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`${db}: nothing held under this id`);
    expect(again.out).toContain(`${sandbox}: nothing held under this id`);

    // Another customer erased: another pseudonym, never the same one.
    await run("erase", "cafe", "whatsapp:4915112345678", "--db", db);
    const aliases = rows<{ user_id: string }>(db, "select distinct user_id from orders");
    expect(aliases).toHaveLength(2);
    expect(aliases.every((a) => a.user_id.startsWith("erased:"))).toBe(true);
  });

  it("erases a Bot Framework customer's conversation reference", async () => {
    const { db } = await seeded();
    const result = await run("erase", "cafe", "botframework:29:1cleoAADid", "--db", db);
    expect(result.out).toContain("outbox 1, platformMessages 0, timers 0, botframeworkReferences 1");
    expect(dump(db)).not.toContain("Cleo Park");
  });

  it("refuses a command it cannot carry out, naming the fix, and creates no store", async () => {
    const missing = join(harness.dir, "nowhere.db");
    expect(await run("erase", "cafe", "whatsapp:336", "--db", missing)).toMatchObject({ code: 1, err: expect.stringContaining(`no store at '${missing}'`) });
    expect(existsSync(missing)).toBe(false);
    expect(await run("erase", "cafe", "33612345678", "--db", missing)).toMatchObject({ code: 2, err: expect.stringContaining("is not <channel>:<user>") });
    expect(await run("export", "cafe", "whatsap:336", "--db", missing)).toMatchObject({ code: 2, err: expect.stringContaining("unknown channel 'whatsap'; channels are: telegram, messenger, whatsapp") });
    expect(await run("forget", "cafe", "whatsapp:336")).toMatchObject({ code: 2, err: expect.stringContaining("unknown action 'forget'") });
    const { db } = await seeded();
    const noBox = join(harness.dir, "box.db");
    expect(await run("erase", "cafe", "whatsapp:33612345678", "--db", db, "--sandbox-db", noBox)).toMatchObject({ code: 1, err: expect.stringContaining("nothing was erased") });
    expect(dump(db)).toContain("Ana Lima");
  });
});

describe("erasing while a turn of the same customer runs", () => {
  const harness = useHarness();
  const conversation = (slots: Record<string, string>) => ({ ...ana, flowId: "order", flowVersion: "1@abc", stepId: "phone", locale: "fr", data: { slots }, updatedAt: T });

  it("waits for a turn in flight, then erases what it saved", async () => {
    const store = openSqliteStore({ file: harness.db });
    harness.defer(() => store.close());
    await store.transaction((tx) => tx.saveConversation(conversation({}), 0));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loaded: () => void = () => {};
    const inside = new Promise<void>((resolve) => (loaded = resolve));
    const turn = store.transaction(async (tx) => {
      const row = await tx.loadConversation(ana);
      loaded();
      await gate;
      await tx.saveConversation(conversation({ phone: "+33612345678" }), row?.version ?? 0);
    });
    await inside;
    const erasing = store.eraseCustomer(ana, T);
    release();
    await turn;
    expect((await erasing).conversations).toBe(1);
    expect(dump(harness.db)).not.toContain("33612345678");
  });

  it("makes a turn that loaded the conversation before the erase fail its compare-and-swap, so the slots are not written back", async () => {
    const store = openSqliteStore({ file: harness.db });
    harness.defer(() => store.close());
    await store.transaction((tx) => tx.saveConversation(conversation({ phone: "+33612345678" }), 0));
    const loaded = await store.transaction((tx) => tx.loadConversation(ana));
    await store.eraseCustomer(ana, T);
    await expect(store.transaction((tx) => tx.saveConversation(conversation({ phone: "+33612345678", name: "Ana Lima" }), loaded?.version ?? 0))).rejects.toBeInstanceOf(VersionConflictError);
    expect(dump(harness.db)).not.toContain("33612345678");
  });
});
