export type { Money, Button, Card, Invoice, OutboundMessage, Envelope, ChannelSender } from "./message.ts";
