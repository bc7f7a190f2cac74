export { Channel, type ChannelOptions, type MessageLayout, type OpenChannelOptions } from "./channel.ts";
export type { ChannelKind } from "./layout.ts";
export { Receiver } from "./receiver.ts";
export { Sender } from "./sender.ts";
export type { ChannelWaitOptions } from "./wait.ts";
