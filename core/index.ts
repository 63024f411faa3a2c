export type { Money } from "./money.ts";
export type { Button, Card, Invoice, OutboundMessage, ShareRequest, Envelope, ChannelSender } from "./message.ts";
export { ChannelSendError } from "./send-error.ts";
export type { SendErrorCode } from "./send-error.ts";
export { customerForLog, maskMessageIds, maskPhone } from "./log-redaction.ts";
export type { Clock } from "./clock.ts";
