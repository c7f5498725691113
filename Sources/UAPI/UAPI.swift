// UAPI: the kernel-facing vocabulary every layer shares — program, attach, map
// and link types with their kernel names, and byte order. Pure Swift, no
// dependencies. (Added to DESIGN.md's layering so ELFReader, Syscall and Loader
// name these values the same way without importing each other.)
