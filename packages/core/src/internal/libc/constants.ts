import { constants } from "node:fs";

// open(2) flags come from the platform through node:fs; the mmap and memfd ones are Linux's
// (include/uapi/asm-generic/mman-common.h, include/uapi/linux/memfd.h, include/uapi/linux/fcntl.h).
export const O_RDONLY = constants.O_RDONLY;
export const O_RDWR = constants.O_RDWR;
export const O_CREAT = constants.O_CREAT;
export const O_EXCL = constants.O_EXCL;

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;

export const MFD_CLOEXEC = 0x1;
export const MFD_ALLOW_SEALING = 0x2;
export const F_ADD_SEALS = 1033;
export const F_SEAL_SEAL = 0x1;
export const F_SEAL_SHRINK = 0x2;
export const F_SEAL_GROW = 0x4;
