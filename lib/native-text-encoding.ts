// @meshagent/meshagent's utils import TextEncoder/TextDecoder from
// @kayahr/text-encoding, a polyfill that ships ~500 KB of CJK code-page tables.
// Every runtime this app supports has native UTF-8 ones.
export const TextEncoder = globalThis.TextEncoder;
export const TextDecoder = globalThis.TextDecoder;
