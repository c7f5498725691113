import Foundation
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Small objects compiled for one case each with the toolchain's clang, for
/// what the committed fixtures do not show: `version`, arena data, static
/// programs, objects without BTF, map attribute errors. Expected values come
/// from the C source below and from llvm-objdump.
@Suite struct CompiledObjectTests {
  static let clang = Toolchain.tool("clang")
  static var shouldRun: Bool { clang != nil || TestEnvironment.mustNotSkip }

  /// Compiles `source` (with `<linux/bpf.h>`, `<bpf/bpf_helpers.h>`) for
  /// `target` into a temporary file and returns its bytes (and its path,
  /// valid while `body` runs).
  static func compile(_ source: String, target: String = "bpf", debug: Bool = true) throws -> (path: String, bytes: [UInt8]) {
    try compile(source, target: target, debug: debug) { $0 }
  }

  static func compile<T>(_ source: String, target: String = "bpf", debug: Bool = true, _ body: ((path: String, bytes: [UInt8])) throws -> T) throws -> T {
    let clang = try #require(clang)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-elf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("case.bpf.c")
    let output = directory.appendingPathComponent("case.bpf.o")
    try ("#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n" + source).write(to: input, atomically: true, encoding: .utf8)
    var arguments = ["-target", target, "-O2", "-I/usr/include/x86_64-linux-gnu", "-c", input.path, "-o", output.path]
    if debug { arguments.insert("-g", at: 0) }
    let (_, status) = try runTool(clang, arguments)
    try #require(status == 0, "clang failed on:\n\(source)")
    return try body((output.path, Array(try Data(contentsOf: output))))
  }

  static let arenaSource = """
    #define __arena __attribute__((address_space(1)))
    int __arena arena_counter = 1;
    int __arena arena_zero;
    __u32 _version SEC("version") = 0x060c00;
    SEC("syscall") int use_arena(void *ctx) { arena_counter++; arena_zero++; return 0; }
    SEC("syscall") static int static_prog(void *ctx) { return 3; }
    SEC("not_a_known/section") int unknown_section(void *ctx) { return 0; }
    char LICENSE[] SEC("license") = "Dual BSD/GPL";
    """

  @Test(.enabled(if: shouldRun, "needs clang"), arguments: ["bpfel", "bpfeb"])
  func readsVersionArenaAndStaticPrograms(_ target: String) throws {
    let (_, bytes) = try Self.compile(Self.arenaSource, target: target)
    let object = try ObjectFile(bytes: bytes, name: "arena.bpf.o")
    #expect(object.byteOrder == (target == "bpfeb" ? .big : .little))
    #expect(object.kernelVersion == 0x060c00)
    #expect(object.license == "Dual BSD/GPL")

    let arena = try #require(object.dataSections.first { $0.name == ".addr_space.1" })
    #expect(arena.kind == .arena)
    #expect(arena.variables.map(\.name) == ["arena_counter", "arena_zero"])
    #expect(object.relocations.contains { if case .globalData(".addr_space.1", _, 4, "arena_zero") = $0.target { true } else { false } })

    let staticProgram = try #require(object.program(named: "static_prog"))
    #expect(object.symbol(of: staticProgram)?.binding == .local)
    #expect(try #require(staticProgram.definition).get().programType == .syscall)

    // An unknown SEC() name opens; the definition carries the error.
    let unknown = try #require(object.program(named: "unknown_section"))
    guard case .failure(let error) = unknown.definition else { Issue.record("known?"); return }
    #expect(error.section == "not_a_known/section")
  }

  /// Without BTF an extern's kind comes from the instruction using it.
  @Test(.enabled(if: shouldRun, "needs clang"))
  func externKindsWithoutBTFFollowTheCode() throws {
    let (_, bytes) = try Self.compile("""
      extern int bpf_foo(int) __ksym;
      extern int some_var __ksym;
      SEC("syscall") int p(void *ctx) { return bpf_foo(1) + some_var; }
      """, debug: false)
    let object = try ObjectFile(bytes: bytes, name: "nobtf.bpf.o")
    #expect(object.btf == nil)
    #expect(object.externs.first { $0.name == "bpf_foo" }?.kind == .kfunc)
    #expect(object.externs.first { $0.name == "some_var" }?.kind == .unknownVariable)
    #expect(object.externs.allSatisfy { $0.btfTypeID == nil })
  }

  /// `__ulong` (an enum member) carries 64-bit `map_extra`.
  @Test(.enabled(if: shouldRun, "needs clang"))
  func readsWideMapExtra() throws {
    let (_, bytes) = try Self.compile("""
      #define __ulong(name, val) enum { ___ulong_##name = val } name
      struct {
        __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
        __uint(max_entries, 10);
        __uint(value_size, 4);
        __ulong(map_extra, 0x100000005ULL);
      } bloom SEC(".maps");
      SEC("syscall") int p(void *ctx) { return 0; }
      """)
    let map = try #require(try ObjectFile(bytes: bytes, name: "bloom.bpf.o").map(named: "bloom"))
    #expect(map.mapExtra == 0x1_0000_0005)
    #expect(map.valueSize == 4)
    #expect(map.type == .bloomFilter)
  }

  /// A ring buffer's `__type(value, T)` becomes its record type: value size
  /// 0 for the kernel, T's name and size for readers.
  @Test(.enabled(if: shouldRun, "needs clang"))
  func ringBufferValueTypeIsTheRecordType() throws {
    let (_, bytes) = try Self.compile("""
      struct event { __u64 seq; __u32 pid; __u32 kind; char comm[16]; };
      struct {
        __uint(type, BPF_MAP_TYPE_RINGBUF);
        __uint(max_entries, 4096);
        __type(value, struct event);
      } ring SEC(".maps");
      struct {
        __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
        __uint(max_entries, 4096);
        __type(value, __u64);
      } user SEC(".maps");
      SEC("syscall") int p(void *ctx) { return 0; }
      """)
    let object = try ObjectFile(bytes: bytes, name: "typed.bpf.o")
    let ring = try #require(object.map(named: "ring"))
    #expect(ring.keySize == 0 && ring.valueSize == 0 && ring.valueTypeID == nil)
    #expect(ring.recordType?.name == "struct event")
    #expect(ring.recordType?.size == 32)
    let user = try #require(object.map(named: "user"))
    #expect(user.valueSize == 0)
    #expect(user.recordType?.name == "__u64")
    #expect(user.recordType?.size == 8)
  }

  /// A key or a bare value size on a ring buffer: the kernel refuses both.
  @Test(.enabled(if: shouldRun, "needs clang"), arguments: ["__type(key, __u32);", "__uint(value_size, 8);"])
  func rejectsRingBufferKeyOrValueSize(_ attribute: String) throws {
    let (_, bytes) = try Self.compile("""
      struct {
        __uint(type, BPF_MAP_TYPE_RINGBUF);
        __uint(max_entries, 4096);
        \(attribute)
      } ring SEC(".maps");
      SEC("syscall") int p(void *ctx) { return 0; }
      """)
    let error = try #require(throws: ELFError.self) { try ObjectFile(bytes: bytes, name: "ring.bpf.o") }
    guard case .badMap("ring.bpf.o", "ring", let reason) = error else { Issue.record("\(error)"); return }
    #expect(reason.contains("the kernel"))
  }

  @Test(.enabled(if: shouldRun, "needs clang"))
  func rejectsConflictingKeySize() throws {
    let (_, bytes) = try Self.compile("""
      struct {
        __uint(type, BPF_MAP_TYPE_HASH);
        __uint(max_entries, 10);
        __uint(key_size, 8);
        __type(key, __u32);
        __type(value, __u32);
      } conflicted SEC(".maps");
      SEC("syscall") int p(void *ctx) { return 0; }
      """)
    let error = try #require(throws: ELFError.self) { try ObjectFile(bytes: bytes, name: "conflict.bpf.o") }
    guard case .badMap("conflict.bpf.o", "conflicted", let reason) = error else { Issue.record("\(error)"); return }
    #expect(reason.contains("conflicts"))
  }

  @Test(.enabled(if: shouldRun, "needs clang"))
  func rejectsUnknownMapAttribute() throws {
    let (_, bytes) = try Self.compile("""
      struct {
        __uint(type, BPF_MAP_TYPE_ARRAY);
        __uint(max_entries, 1);
        __uint(colour, 3);
      } odd SEC(".maps");
      SEC("syscall") int p(void *ctx) { return 0; }
      """)
    let error = try #require(throws: ELFError.self) { try ObjectFile(bytes: bytes, name: "odd.bpf.o") }
    guard case .badMap(_, "odd", let reason) = error else { Issue.record("\(error)"); return }
    #expect(reason.contains("colour"))
  }

  /// Static data referenced through the section symbol: the offset is in the
  /// ld_imm64 immediate; llvm-objdump shows it.
  @Test(.enabled(if: shouldRun && Objdump.shouldRun, "needs clang and llvm-objdump"), arguments: ["bpfel", "bpfeb"])
  func resolvesStaticDataThroughSectionSymbol(_ target: String) throws {
    try Self.compile("""
      static volatile int first = 1;
      static volatile int second = 2;
      SEC("syscall") int p(void *ctx) { return first + second; }
      """, target: target) { (path, bytes) in
      let object = try ObjectFile(bytes: bytes, name: "static.bpf.o")
      let symbols = try Objdump.symbols(path).filter { $0.section == ".data" && $0.typeFlag == "O" }
      let relocations = try Objdump.relocations(path).filter { $0.section == "syscall" }
      // clang relocates static variables against the section symbol.
      #expect(relocations.map(\.symbol) == [".data", ".data"])
      let data = object.relocations.compactMap { r -> (UInt64, String?)? in
        if case .globalData(".data", _, let offset, let variable) = r.target { return (offset, variable) } else { return nil }
      }
      #expect(data.count == 2)
      #expect(Set(data.map(\.0)) == Set(symbols.map(\.value)))
      for (offset, variable) in data {
        #expect(variable == symbols.first { $0.value == offset }?.name)
      }
    }
  }
}
