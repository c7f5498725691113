import BTF
import Foundation
import Instructions
import Relocation
import TestSupport
import Testing
import UAPI

/// Relocates Fixtures/obj/core.bpf.o (and core.bpfeb.bpf.o) against this
/// machine's kernel BTF, without loading anything, and checks every
/// decision against clang: a header generated from the same BTF
/// (`bpftool btf dump ... format c`) is compiled with offsetof/sizeof/enum
/// constants into `.data`, and bitfield samples into their own sections.
@Suite struct KernelBTFTests {
  static let vmlinux = "/sys/kernel/btf/vmlinux"

  static var toolsPresent: Bool {
    FileManager.default.isReadableFile(atPath: vmlinux) && Toolchain.systemTool("bpftool") != nil
      && Toolchain.tool("clang") != nil && Toolchain.tool("llvm-objcopy") != nil
  }

  /// Decisions whose expected value clang computes, keyed by
  /// "<kind> <access in C terms>", with the C expression.
  static let facts: [(key: String, expression: String)] = [
    ("byte_off struct task_struct.pid", "OFF(struct task_struct, pid)"),
    ("byte_off struct task_struct.tgid", "OFF(struct task_struct, tgid)"),
    ("byte_off struct task_struct.real_parent", "OFF(struct task_struct, real_parent)"),
    ("byte_off struct task_struct.comm", "OFF(struct task_struct, comm)"),
    ("byte_off struct task_struct.mm", "OFF(struct task_struct, mm)"),
    ("byte_off struct mm_struct.arg_start", "OFF(struct mm_struct, arg_start)"),
    ("byte_off struct mm_struct.exe_file", "OFF(struct mm_struct, exe_file)"),
    ("byte_off struct file.f_flags", "OFF(struct file, f_flags)"),
    ("byte_off struct file.f_mode", "OFF(struct file, f_mode)"),
    ("byte_off struct sk_buff.len", "OFF(struct sk_buff, len)"),
    ("byte_sz struct task_struct.comm", "sizeof(((struct task_struct *)0)->comm)"),
    ("type_size struct task_struct", "sizeof(struct task_struct)"),
    ("enumval_value enum pid_type::PIDTYPE_TGID", "PIDTYPE_TGID"),
    ("field_exists struct task_struct.__state", "HAS_STATE_NEW"),
    ("field_exists struct task_struct___old.state", "HAS_STATE_OLD"),
    ("enumval_exists enum pid_type::PIDTYPE_TGID", "1"),
  ]

  /// The kernel's answer for things clang cannot be asked directly.
  struct Oracle {
    var values: [String: UInt64] = [:]
    var samples: [String: [UInt8]] = [:]
    var taskStructID: UInt64 = 0
    var listHeadIsExact = false
  }

  static func oracle(order: ByteOrder) throws -> Oracle {
    let bpftool = try #require(Toolchain.systemTool("bpftool"))
    let clang = try #require(Toolchain.tool("clang"))
    let objcopy = try #require(Toolchain.tool("llvm-objcopy"))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-core-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let header = try runTool(bpftool, ["btf", "dump", "file", vmlinux, "format", "c"])
    try #require(header.status == 0)
    try header.output.write(to: dir.appendingPathComponent("vmlinux.h"), atomically: true, encoding: .utf8)

    // Whether a member exists: does `offsetof` of it compile?
    func compiles(_ body: String) throws -> Bool {
      let file = dir.appendingPathComponent("probe\(UUID().uuidString).c")
      try "#include \"vmlinux.h\"\n\(body)\n".write(to: file, atomically: true, encoding: .utf8)
      return try runTool(clang, ["-target", "bpf", "-fsyntax-only", file.path]).status == 0
    }
    let hasNew = try compiles("int x = __builtin_offsetof(struct task_struct, __state);")
    let hasOld = try compiles("int x = __builtin_offsetof(struct task_struct, state);")

    let target = order == .big ? "bpfeb" : "bpfel"
    let source = """
      #include "vmlinux.h"
      #define OFF(t, f) __builtin_offsetof(t, f)
      #define HAS_STATE_NEW \(hasNew ? 1 : 0)
      #define HAS_STATE_OLD \(hasOld ? 1 : 0)
      unsigned long long facts[] = {
      \(facts.map { "  \($0.expression)," }.joined(separator: "\n"))
      };
      struct task_struct task_sample __attribute__((section(".data.task"))) = { .in_execve = 1 };
      struct sk_buff skb_sample __attribute__((section(".data.skb"))) = { .pkt_type = 5 };
      """
    let file = dir.appendingPathComponent("oracle.c")
    try source.write(to: file, atomically: true, encoding: .utf8)
    let object = dir.appendingPathComponent("oracle.o").path
    let cc = try runTool(clang, ["-target", target, "-O2", "-c", file.path, "-o", object])
    try #require(cc.status == 0, "clang could not compile the oracle against vmlinux.h")
    var oracle = Oracle()
    for section in [".data", ".data.task", ".data.skb"] {
      let out = dir.appendingPathComponent("\(section).bin").path
      try #require(try runTool(objcopy, ["--dump-section", "\(section)=\(out)", object]).status == 0)
      oracle.samples[section] = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    }
    let data = try #require(oracle.samples[".data"])
    try #require(data.count == facts.count * 8)
    for (i, fact) in facts.enumerated() {
      oracle.values[fact.key] = load(data, at: i * 8, count: 8, order)
    }
    // bpftool names the kernel's task_struct id; list_head as bpftool prints it.
    let raw = try runTool(bpftool, ["btf", "dump", "file", vmlinux]).output
    for line in raw.split(separator: "\n") where line.contains("] STRUCT 'task_struct' size=") {
      oracle.taskStructID = UInt64(line.dropFirst().prefix { $0 != "]" }) ?? 0
    }
    oracle.listHeadIsExact = header.output.contains(
      "struct list_head {\n\tstruct list_head *next;\n\tstruct list_head *prev;\n};")
    return oracle
  }

  @Test(.enabled(if: toolsPresent || TestEnvironment.mustNotSkip,
                 "needs /sys/kernel/btf/vmlinux, bpftool, clang and llvm-objcopy"),
        arguments: ["core.bpf.o", "core.bpfeb.bpf.o"])
  func relocatesAgainstKernelBTF(object: String) throws {
    try #require(Self.toolsPresent, "tools or kernel BTF missing")
    let loaded = try LoadedObject(path: Fixture.object(object).path)
    let oracle = try Self.oracle(order: loaded.order)
    let kernel = try BTF(contentsOf: Self.vmlinux)
    let plan = loaded.plan([TargetBTF(name: "vmlinux", btf: kernel)])
    #expect(plan.failures.isEmpty, "\(plan.failures)")
    if ProcessInfo.processInfo.environment["SWIFTBPF_PRINT_CORE"] != nil {
      for d in plan.decisions { print(d) }
    }

    var bitfields = [String: [UInt32: UInt64]]()
    var checked = Set<String>()
    for d in plan.decisions {
      let key = "\(d.kind) \(d.localAccess)"
      let label = "\(d.program)+\(d.instruction) \(key)"
      if let value = oracle.values[key] {
        #expect(d.result == .patched && d.newValue == value, "\(label): \(d.newValue.map(String.init) ?? "-") \(d.reason)")
        checked.insert(key)
        continue
      }
      switch key {
      case "byte_off struct task_struct___old.state":
        #expect(d.result == (oracle.values["field_exists struct task_struct___old.state"] == 1 ? .patched : .poisoned),
                "\(label): the guarded read of a missing field is poisoned")
      case "target_type_id struct task_struct":
        #expect(d.newValue == oracle.taskStructID && oracle.taskStructID != 0, "\(label)")
      case "local_type_id struct task_struct":
        #expect(d.newValue == UInt64(loaded.local.firstType(named: "task_struct", kind: .struct)?.rawValue ?? 0), "\(label)")
      case "type_exists struct swiftbpf_no_such_type":
        #expect(d.newValue == 0 && d.result == .patched, "\(label)")
      case "type_exists struct task_struct":
        #expect(d.newValue == 1 && d.result == .patched, "\(label)")
      case "type_matches struct list_head":
        #expect(d.newValue == (oracle.listHeadIsExact ? 1 : 0), "\(label)")
      case "type_matches struct list_head___wrong":
        #expect(d.newValue == 0 && d.result == .patched, "\(label)")
      case "enumval_exists enum pid_type___probe::PIDTYPE_SWIFTBPF_MISSING":
        #expect(d.newValue == 0 && d.result == .patched, "\(label)")
      case _ where d.localAccess == "struct task_struct.in_execve" || d.localAccess == "struct sk_buff.pkt_type":
        #expect(d.result == .patched, "\(label): \(d.reason)")
        bitfields[d.localAccess, default: [:]][d.kind.rawValue] = d.newValue
      default:
        Issue.record("\(label): no expectation for this decision")
      }
      checked.insert(key)
    }
    #expect(checked.isSuperset(of: Self.facts.map(\.key)), "facts without a decision")

    // BPF_CORE_READ_BITFIELD_PROBED of in_execve (sample = 1) and pkt_type (= 5).
    for (access, section, want) in [("struct task_struct.in_execve", ".data.task", UInt64(1)),
                                    ("struct sk_buff.pkt_type", ".data.skb", UInt64(5))] {
      let v = try #require(bitfields[access], "\(access) not relocated")
      let bytes = try #require(oracle.samples[section])
      let got = extractBitfield(
        bytes, offset: try #require(v[0]), size: try #require(v[1]), lshift: try #require(v[4]),
        rshift: try #require(v[5]), signed: v[3] == 1, loaded.order)
      #expect(got == want, "\(access) read back from clang's \(loaded.order)-endian sample")
    }
  }
}
