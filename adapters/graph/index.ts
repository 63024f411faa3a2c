export { hubSignature, signatureMatches, handshakeChallenge } from "./signature.ts";
export type { HandshakeQuery } from "./signature.ts";
export { graphPost, graphSendError, envName, clip, formatMoney, DEFAULT_GRAPH } from "./api.ts";
export type { GraphEndpoint, GraphErrorBody } from "./api.ts";
export { insideWindow, updateKind, MESSAGING_WINDOW_MS } from "./window.ts";
export { channelWords } from "./words.ts";
export type { ChannelWords } from "./words.ts";
