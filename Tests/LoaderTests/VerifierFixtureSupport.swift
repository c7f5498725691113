import BTF
import ELFReader
import Foundation
import Syscall
import TestSupport
import UAPI

/// Loads the programs of `Fixtures/obj/err_verifier.bpf.o` straight through
/// the Syscall layer (map fd patched in, object BTF with func_info and
/// line_info), to get the kernel's real verifier logs for them.
enum ErrVerifierFixture {
  struct Rejection {
    var errno: Errno?
    var log: String
    /// The program's line_info as .BTF.ext has it (offsets relative to the program).
    var lineInfo: [BTF.LineInfo]
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func object() throws -> ObjectFile {
    try ObjectFile(path: Fixture.object("err_verifier.bpf.o").path)
  }

  static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
  }

  /// Loads `name` with a level-1 log; the program must be rejected.
  static func load(_ name: String, withLineInfo: Bool = true, logCapacity: Int = 1 << 20) throws -> Rejection {
    let object = try object()
    guard let program = object.program(named: name),
      let btfBytes = object.btf, let extBytes = object.btfExt,
      let mapsSection = object.section(named: ".maps")
    else { throw Failure(description: "err_verifier.bpf.o lacks \(name), BTF or .maps") }
    let btf = try BTF(bytes: btfBytes)
    var layouts: [String: BTF.SectionLayout] = [".maps": .init(size: UInt32(mapsSection.size), offsets: ["values": 0])]
    if let license = object.section(named: "license") {
      layouts["license"] = .init(size: UInt32(license.size), offsets: ["LICENSE": 0])
    }
    let fixed = try btf.fixingDataSections(layouts)
    var btfLog = VerifierLog(level: 1, capacity: 1 << 16)
    let btfFD: OwnedFD
    do {
      btfFD = try BPF.loadBTF(try fixed.sanitized(for: .all), log: &btfLog)
    } catch {
      throw Failure(description: "BTF load: \(error)\n\(btfLog.text)")
    }
    let map = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 1))

    var code = program.code
    for relocation in object.relocations(of: program) where relocation.symbolName == "values" {
      guard let slot = relocation.functionSlot, slot * 8 + 8 <= code.count else { continue }
      code[slot * 8 + 1] = (code[slot * 8 + 1] & 0x0F) | 0x10  // src_reg = BPF_PSEUDO_MAP_FD
      code.replaceSubrange(slot * 8 + 4 ..< slot * 8 + 8, with: bytes(UInt32(bitPattern: map.rawValue)))
    }
    var attributes = ProgramLoadAttributes(
      type: program.sectionName == "xdp" ? .xdp : .syscall, instructions: code, license: "GPL", name: name)
    // Kernel: BPF_PROG_TYPE_SYSCALL programs must be loaded sleepable.
    if attributes.type == .syscall { attributes.flags = .sleepable }
    let ext = try BTF.Extension(bytes: extBytes, btf: fixed)
    let start = UInt32(program.offset), end = UInt32(program.offset + program.size)
    let lines = ext.lineInfo.filter { $0.name == program.sectionName }.flatMap(\.records)
      .filter { $0.instructionOffset >= start && $0.instructionOffset < end }
      .map { record -> BTF.LineInfo in
        var r = record
        r.instructionOffset -= start
        return r
      }
    if withLineInfo {
      attributes.btfFD = btfFD.borrowed
      let functions = ext.functionInfo.filter { $0.name == program.sectionName }.flatMap(\.records)
        .filter { $0.instructionOffset >= start && $0.instructionOffset < end }
      attributes.funcInfo = functions.flatMap {
        bytes(($0.instructionOffset - start) / 8) + bytes($0.type.rawValue)
      }
      attributes.funcInfoRecordSize = 8
      attributes.lineInfo = lines.flatMap {
        bytes($0.instructionOffset / 8) + bytes($0.fileNameOffset.offset) + bytes($0.sourceOffset.offset)
          + bytes($0.line << 10 | $0.column)
      }
      attributes.lineInfoRecordSize = 16
    }
    var log = VerifierLog(level: 1, capacity: logCapacity)
    do {
      _ = try BPF.loadProgram(attributes, log: &log)
    } catch {
      _ = map.rawValue
      _ = btfFD.rawValue
      return Rejection(errno: error.errno, log: log.text, lineInfo: lines)
    }
    throw Failure(description: "\(name) loaded, but err_verifier programs must be rejected")
  }
}
