import ArgumentParser
import SwiftBPF

/// `swiftbpf disasm OBJ [--program NAME]`: the object's code as
/// `llvm-objdump -d` prints it (same lines, numbered in 8-byte slots).
struct Disasm: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Disassemble a BPF object's code, as llvm-objdump -d prints it.")

  @Argument(help: "A BPF ELF object built by clang (-target bpf).")
  var object: String

  @Option(name: .long, help: "Only this program or subprogram.")
  var program: String?

  @Flag(name: .long, help: "Leave out the raw instruction bytes (llvm-objdump --no-show-raw-insn).")
  var noShowRawInsn = false

  func run() throws {
    do {
      let file = try ObjectFile(path: object)
      let listing = try DisassemblyListing(file: file)
      if let program {
        guard let lines = listing.function(named: program, rawBytes: !noShowRawInsn) else {
          throw DisasmError.noSuchFunction(program, object: object, known: listing.functionNames)
        }
        print(lines.joined(separator: "\n"))
      } else {
        print(listing.whole(path: object, rawBytes: !noShowRawInsn), terminator: "")
      }
    } catch {
      throw ExitCode(CommandOutput.report(error, json: false))
    }
  }
}

enum DisasmError: Error, CustomStringConvertible {
  case noSuchFunction(String, object: String, known: [String])

  var description: String {
    switch self {
    case .noSuchFunction(let name, let object, let known):
      "\(object): no program or subprogram named '\(name)'; it has: \(known.joined(separator: ", "))"
    }
  }
}
