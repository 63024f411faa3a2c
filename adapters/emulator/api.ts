import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { overLimit } from "../limits.ts";
import { parseInput } from "../http-input.ts";
import { emulatorAccessHook, type EmulatorAccessOptions } from "./access.ts";
import { registerEmulatorPage } from "./page.ts";
import type { EmulatorService } from "./service.ts";

const botParam = z.strictObject({ bot: z.string().min(1).max(64) });
const customerId = z
  .string()
  .regex(/^[A-Za-z0-9_.:@+-]{1,128}$/, { error: "a customer id is 1–128 letters, digits or _ . : @ + -" });
const customerParams = z.strictObject({ bot: z.string().min(1).max(64), customer: customerId });

const locale = z
  .string()
  .max(35, { error: "is longer than a language tag (35 characters)" })
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: "is not a locale; send a language tag such as fr or zh-CN" })
  .optional();

const eventBody = z.union([
  // Characters as Telegram counts them (an emoji is one), so what a Telegram customer may send, the emulator takes.
  z.strictObject({ text: z.string().refine((t) => overLimit("text", t, 4096, "characters") === undefined, { error: "text is at most 4096 characters" }), locale }),
  z.strictObject({ press: z.string().min(1).max(512), locale }),
  z.strictObject({ pay: z.enum(["succeed", "decline", "slow"]), locale }),
  z.strictObject({ contact: z.string().min(1).max(64), locale }),
  z.strictObject({ location: z.strictObject({ latitude: z.number(), longitude: z.number() }), locale }),
]);
const EVENT_HINT =
  'the body must be one of {"text":"…"}, {"press":"label or payload"}, {"pay":"succeed"|"decline"|"slow"}, {"contact":"phone"} or {"location":{"latitude":…,"longitude":…}}, each with an optional "locale"';

const messagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
const diagramQuery = z.strictObject({ customer: customerId.optional() });
const clockBody = z.strictObject({ advance: z.string().min(1).max(64) });
const noQuery = z.strictObject({});

/**
 * The emulator's HTTP API (for its page and for scripts): every bot of the
 * server, its customers' events and replies, the inspector, the clock, reset,
 * transcript export and the flow diagram. JSON in and out; every param and
 * body is validated and a bad one is a 400 that changes nothing. Every route
 * (page included) answers only for the Host names of `access`, and API
 * routes only with its token when one is set (see access.ts).
 */
export function registerEmulatorApi(app: FastifyInstance, service: EmulatorService, access: EmulatorAccessOptions): void {
  // An encapsulated scope: the guard runs before every emulator route and no other.
  void app.register(async (scope) => {
    scope.addHook("onRequest", emulatorAccessHook(access));
    registerEmulatorRoutes(scope, service);
  });
}

function registerEmulatorRoutes(app: FastifyInstance, service: EmulatorService): void {
  registerEmulatorPage(app);

  app.get("/api/emulator/bots", async () =>
    service.bots().map((b) => ({ id: b.id, name: b.name, locale: b.locale, locales: [...b.locales], flows: [...b.flows.keys()], timeZone: b.definition.timeZone ?? "UTC" })),
  );

  app.post("/api/emulator/bots/:bot/customers/:customer/events", async (request, reply) => {
    const { bot, customer } = parseInput(customerParams, request.params, "params");
    service.bot(bot);
    const { locale: loc, ...action } = parseInput(eventBody, request.body, "body", EVENT_HINT);
    const result = await service.act(bot, customer, action, loc);
    return reply.status(result.pending ? 202 : 200).send(result);
  });

  app.get("/api/emulator/bots/:bot/customers/:customer/messages", async (request) => {
    const { bot, customer } = parseInput(customerParams, request.params, "params");
    const { after, limit } = parseInput(messagesQuery, request.query, "query");
    return service.messages(bot, customer, after, limit);
  });

  app.get("/api/emulator/bots/:bot/customers/:customer/state", async (request) => {
    const { bot, customer } = parseInput(customerParams, request.params, "params");
    return service.state(bot, customer);
  });

  app.get("/api/emulator/bots/:bot/customers/:customer/transcript", async (request, reply) => {
    const { bot, customer } = parseInput(customerParams, request.params, "params");
    const yaml = await service.transcript(bot, customer);
    return reply
      .type("application/yaml; charset=utf-8")
      .header("content-disposition", `attachment; filename="${bot}-${customer}.transcript.yaml"`)
      .send(yaml);
  });

  app.delete("/api/emulator/bots/:bot/customers/:customer", async (request, reply) => {
    const { bot, customer } = parseInput(customerParams, request.params, "params");
    await service.reset(bot, customer);
    return reply.status(204).send();
  });

  app.get("/api/emulator/bots/:bot/diagram", async (request) => {
    const { bot } = parseInput(botParam, request.params, "params");
    const { customer } = parseInput(diagramQuery, request.query, "query");
    return service.diagram(bot, customer);
  });

  app.get("/api/emulator/clock", async (request) => {
    parseInput(noQuery, request.query, "query");
    return { now: service.clock.now().toISOString(), offsetMs: service.clock.offsetMs };
  });

  app.post("/api/emulator/clock", async (request) => {
    const { advance } = parseInput(clockBody, request.body, "body", 'the body must be {"advance":"ISO 8601 duration"}, e.g. {"advance":"PT16M"}');
    return service.advance(advance);
  });
}
