// The Instructions module: the logical BPF instruction model (`Instruction`,
// `ld_imm64` as one value), its decoder and encoder (both byte orders, exact
// round trip), the slot map (`InstructionSequence`) and a disassembler that
// prints what llvm-objdump -d (LLVM 21) prints (`Disassembler`, `SymbolTable`).
// Pure Swift: imports only UAPI (for `ByteOrder`).
