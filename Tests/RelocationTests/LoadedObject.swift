import BTF
import Foundation
import Instructions
import Relocation
import TestSupport
import UAPI

/// A BPF object split into what the CO-RE engine takes: local BTF, the
/// `.BTF.ext` records, and the code sections with their functions (from
/// func_info).
struct LoadedObject {
  let local: BTF
  let ext: BTF.Extension
  let code: [CodeSection]
  let order: ByteOrder

  init(path: String) throws {
    let elf = try TestELF(path: path)
    order = elf.isBigEndian ? .big : .little
    local = try BTF(bytes: try elf.section(".BTF"))
    ext = try BTF.Extension(bytes: try elf.section(".BTF.ext"), btf: local)
    var sections = [CodeSection]()
    // CO-RE matches sections by name; the ids only need to differ.
    for (position, name) in Set(ext.coreRelocations.map(\.name) + ext.functionInfo.map(\.name)).sorted().enumerated() {
      let instructions = try InstructionSequence(decoding: try elf.section(name), order: order)
      let bare = CodeSection(id: SectionID(position + 1), name: name, instructions: instructions)
      sections.append(CodeSection(
        id: bare.id, name: name, instructions: instructions,
        functions: bare.functionsFromFunctionInfo(ext, btf: local)))
    }
    code = sections
  }

  func plan(_ targets: [TargetBTF]) -> RelocationPlan {
    CORERelocator(local: local, targets: targets).plan(code: code, extension: ext)
  }
}

/// `key value` lines printed by the oracle (Fixtures/core/oracle.h).
enum Expectation: Equatable {
  case value(UInt64)
  case missing
  case ambiguous
  case poisoned

  static func load(_ target: String) throws -> [String: Expectation] {
    let text = String(decoding: try Fixture.bytes("core/expected/\(target).txt"), as: UTF8.self)
    var result = [String: Expectation]()
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ")
      guard parts.count == 2 else { continue }
      let key = String(parts[0])
      switch parts[1] {
      case "missing": result[key] = .missing
      case "ambiguous": result[key] = .ambiguous
      case "poisoned": result[key] = .poisoned
      default: result[key] = UInt64(parts[1]).map(Expectation.value)
      }
    }
    return result
  }
}

/// Reads `count` bytes at `offset` as an unsigned integer in `order`.
func load(_ bytes: [UInt8], at offset: Int, count: Int, _ order: ByteOrder) -> UInt64? {
  guard offset >= 0, count > 0, count <= 8, offset + count <= bytes.count else { return nil }
  var value: UInt64 = 0
  for i in 0 ..< count {
    let byte = UInt64(bytes[offset + (order == .big ? i : count - 1 - i)])
    value = value << 8 | byte
  }
  return value
}

/// What BPF_CORE_READ_BITFIELD(_PROBED) computes from relocated numbers:
/// load `size` bytes into the low bytes of a u64, shift left, then right
/// (arithmetic when signed).
func extractBitfield(_ bytes: [UInt8], offset: UInt64, size: UInt64, lshift: UInt64, rshift: UInt64,
                     signed: Bool, _ order: ByteOrder) -> UInt64? {
  guard lshift < 64, rshift < 64,
        let raw = load(bytes, at: Int(offset), count: Int(size), order) else { return nil }
  let shifted = raw << lshift
  return signed ? UInt64(bitPattern: Int64(bitPattern: shifted) >> Int64(rshift)) : shifted >> rshift
}

extension RelocationDecision.Result {
  var isFailed: Bool { if case .failed = self { true } else { false } }
}

/// The poison libbpf uses: `call 0xbad2310`.
let poisonCall = Instruction.call(helper: 0xbad2310)

/// Kinds that answer 0 instead of failing when the target lacks the thing.
let zeroWhenMissing: Set<UInt32> = [2, 7, 8, 9, 10, 12]
