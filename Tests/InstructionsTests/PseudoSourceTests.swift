import Foundation
import Instructions
import TestSupport
import Testing
import UAPI

/// The named `src_reg` kinds, the poison helper and the named constructors
/// against independent sources: the kernel's UAPI header as the C
/// preprocessor reads it, and llvm's own encoding of the same assembly.
@Suite struct PseudoSourceTests {
  /// Our names and the kernel macro each stands for.
  static let pseudoSources: [(String, Instruction.PseudoSource)] = [
    ("BPF_PSEUDO_MAP_FD", .mapFD), ("BPF_PSEUDO_MAP_VALUE", .mapValue), ("BPF_PSEUDO_BTF_ID", .btfID),
    ("BPF_PSEUDO_FUNC", .function), ("BPF_PSEUDO_MAP_IDX", .mapIndex),
    ("BPF_PSEUDO_MAP_IDX_VALUE", .mapIndexValue),
  ]
  static let callSources: [(String, Instruction.CallSource)] = [
    ("BPF_PSEUDO_CALL", .subprogram), ("BPF_PSEUDO_KFUNC_CALL", .kfunc),
  ]

  /// The numbers as include/uapi/linux/bpf.h documents them (Linux 5.13
  /// and later have all of them).
  @Test func namesHaveTheDocumentedKernelNumbers() {
    let documented: [String: UInt8] = [
      "BPF_PSEUDO_MAP_FD": 1, "BPF_PSEUDO_MAP_VALUE": 2, "BPF_PSEUDO_BTF_ID": 3, "BPF_PSEUDO_FUNC": 4,
      "BPF_PSEUDO_MAP_IDX": 5, "BPF_PSEUDO_MAP_IDX_VALUE": 6, "BPF_PSEUDO_CALL": 1, "BPF_PSEUDO_KFUNC_CALL": 2,
    ]
    for (name, source) in Self.pseudoSources { #expect(documented[name] == source.rawValue, "\(name)") }
    for (name, source) in Self.callSources { #expect(documented[name] == source.rawValue, "\(name)") }
    #expect(Instruction.PseudoSource.value.rawValue == 0)
    #expect(Instruction.CallSource.helper.rawValue == 0)
    // The poison the verifier prints as `unknown#195896080`.
    #expect(Instruction.poisonHelperID == 195_896_080)
  }

  /// The same numbers from the system's <linux/bpf.h>, read by the C
  /// preprocessor (`clang -E -dM`).
  @Test(.enabled(
    if: (Toolchain.tool("clang") != nil && FileManager.default.fileExists(atPath: "/usr/include/linux/bpf.h"))
      || TestEnvironment.mustNotSkip,
    "needs /opt/swift/usr/bin/clang and /usr/include/linux/bpf.h; CI=true or SWIFTBPF_REQUIRE_KERNEL=1 makes this fail"))
  func namesMatchTheSystemHeader() throws {
    let clang = try #require(Toolchain.tool("clang"))
    let result = try runTool(clang, ["-E", "-dM", "-include", "linux/bpf.h", "-x", "c", "/dev/null"])
    try #require(result.status == 0, "clang could not preprocess <linux/bpf.h>")
    var macros: [String: UInt8] = [:]
    for line in result.output.split(separator: "\n") {
      let parts = line.split(separator: " ")
      guard parts.count == 3, parts[0] == "#define", let value = UInt8(parts[2]) else { continue }
      macros[String(parts[1])] = value
    }
    for (name, source) in Self.pseudoSources {
      #expect(try #require(macros[name], "\(name) missing") == source.rawValue, "\(name)")
    }
    for (name, source) in Self.callSources {
      #expect(try #require(macros[name], "\(name) missing") == source.rawValue, "\(name)")
    }
  }

  /// llvm encodes a helper call with `src_reg` 0 and a call of a function
  /// in the same section with `src_reg` 1; our names read those back, and
  /// our constructors give llvm's bytes for the same lines.
  @Test(.assembler)
  func namesReadWhatLLVMEncodes() throws {
    let assembly = """
      call 6
      r0 = -3
      *(u64 *)(r1 - 8) = 42
      *(u8 *)(r10 + 2) = -1
      call fn
      exit
      fn:
      exit
      """
    let bytes = try assembleText(assembly, target: "bpfel")
    let decoded = try Instruction.decode(bytes, order: .little)
    try #require(decoded.count == 7)
    #expect(decoded[0].callSource == .helper)
    #expect(decoded[4].callSource == .subprogram)
    #expect(decoded[4].source == Register(Instruction.CallSource.subprogram))
    #expect(decoded[5].callSource == nil)
    let ours: [Instruction] = [
      .call(helper: 6), .move(.r0, -3), .store(.doubleWord, base: .r1, offset: -8, immediate: 42),
      .store(.byte, base: .r10, offset: 2, immediate: -1),
    ]
    #expect(Instruction.encode(ours, order: .little) == Array(bytes[0..<32]))
    #expect(Instruction.encode([.exit], order: .little) == Array(bytes[40..<48]))
  }

  /// A kfunc call reads back as one (`src_reg` 2, the module index in `off`).
  @Test func kfuncCallConstructorIsAKfuncCall() {
    let call = Instruction.call(kfunc: 1234, module: 3)
    #expect(call.callSource == .kfunc)
    #expect(call.operation == .call(.kfunc(btfID: 1234, module: 3)))
    #expect(Instruction.poisonCall.operation == .call(.helper(Instruction.poisonHelperID)))
  }
}
