import { z } from "zod";
import type { AdminRoute } from "./routes.ts";

/** A zod schema as an OpenAPI 3.1 schema object: JSON Schema 2020-12, as the request is read (`io: "input"`: before defaults and coercion). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodObject, where: "path" | "query") {
  return Object.entries(schema.shape).map(([name, field]) => {
    const described = field as z.ZodType;
    const json = jsonSchema(described);
    const { description, ...rest } = json;
    return {
      name,
      in: where,
      required: where === "path" || !described.isOptional(),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

/**
 * The OpenAPI 3.1 document of the admin API, generated from the routes'
 * own zod schemas (the ones `parseInput` validates requests with).
 */
export function openApiDocument(routes: readonly AdminRoute[], prefix: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    const operation = {
      operationId: `${r.method.toLowerCase()}${path.replace(/\{([^}]+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
      summary: r.summary,
      description: `Needs a key of bot {bot} with scope ${r.scope}${r.scope === "write" ? "" : " or write"}.`,
      security: [{ bearerAuth: [] }],
      parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
      ...(r.body === undefined ? {} : { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } }),
      responses: {
        "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } },
        "400": errorResponse("A param, query value or body that does not fit the schema (code invalid_request), or a body that is not JSON (invalid_json)"),
        "401": errorResponse("No key, or an unknown or revoked key (code unauthorized); the answer carries WWW-Authenticate: Bearer"),
        "403": errorResponse("Another bot's key, or a read key on a route that changes data (code forbidden)"),
        "404": errorResponse("No such bot on this server, or no such order or product (code not_found)"),
      },
    };
    paths[path] = { ...paths[path], [r.method.toLowerCase()]: operation };
  }
  paths["/openapi.json"] = {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      security: [],
      responses: { "200": { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Kiosk admin API",
      version: "1",
      description: "Read a bot's catalog, orders, bookings, refunds and flow versions, and change its stock. Money is an integer in the currency's minor unit beside its ISO 4217 code; instants are ISO 8601 in UTC. Create a key with `kiosk keys create --bot <id> --scope read|write`.",
    },
    servers: [{ url: prefix }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A key from kiosk keys create: kiosk_<bot>_<random>. One bot, scope read or write." },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } } },
        },
      },
    },
    paths,
  };
}
