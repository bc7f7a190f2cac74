// The message format the writer and reader agree on, like a struct in a shared C header:
//   offset 0: uint32 length (bytes of UTF-8 that follow)
//   offset 4: the message bytes
export const SEGMENT = process.env.SHMKIT_EXAMPLE_SEGMENT ?? "/shmkit-example-message";
export const SEGMENT_SIZE = 4096;
export const HEADER_BYTES = 4;
export const MAX_MESSAGE_BYTES = SEGMENT_SIZE - HEADER_BYTES;
