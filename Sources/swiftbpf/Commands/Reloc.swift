import ArgumentParser
import FoundationEssentials
import SwiftBPF

/// `swiftbpf reloc OBJ [--target-btf FILE] [--module-btf FILE]... [--json]`:
/// what CO-RE makes of the object's relocations against a target BTF (the
/// running kernel's by default), without loading anything.
///
/// Every `.BTF.ext` CO-RE record becomes one line: the program and
/// instruction, the kind, the local access in C terms, the target match, the
/// old and new value, and `patched`, `poisoned` or `failed` with a reason.
/// The report is printed whole; the exit status is non-zero when the object
/// or a target cannot be read, or when a relocation failed (an object with a
/// failed relocation does not load; a poisoned one does).
struct Reloc: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the CO-RE relocation decisions for a BPF object against a target BTF.")

  @Argument(help: "A BPF ELF object built by clang (-target bpf).")
  var object: String

  @Option(name: .long, help: "Target BTF: a raw BTF file or an ELF with a .BTF section (default: the running kernel's).")
  var targetBtf: String?

  @Option(name: .long, help: "A module's split BTF on top of the target (repeatable).")
  var moduleBtf: [String] = []

  @OptionGroup var output: OutputOptions

  func run() throws {
    do {
      let file = try ObjectFile(path: object)
      let report = try RelocReport(file: file, target: targetBtf, modules: moduleBtf)
      if output.json {
        try CommandOutput.printJSON(report.relocations)
      } else {
        print(report.text, terminator: "")
      }
      if report.failed > 0 { throw ExitCode(1) }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw ExitCode(CommandOutput.report(error, json: output.json))
    }
  }
}

/// Why `reloc` could not start.
enum RelocCommandError: Error, CustomStringConvertible {
  case noBTF(object: String)
  case noCode(object: String, section: String)
  case badCode(object: String, section: String, InstructionError)

  var description: String {
    switch self {
    case .noBTF(let object):
      "\(object): no .BTF/.BTF.ext section, so no CO-RE relocations (build with clang -g)"
    case .noCode(let object, let section):
      "\(object): .BTF.ext names code section '\(section)', which the object does not have"
    case .badCode(let object, let section, let error):
      "\(object): section '\(section)': \(error)"
    }
  }
}

