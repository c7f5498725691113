import ArgumentParser
import SwiftBPF

/// `swiftbpf inspect OBJ [--json]`: what an object holds, as libbpf would
/// read it — programs with their SEC() meaning, maps, data sections, externs.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the programs, maps, data sections and externs of a BPF object.")

  @Argument(help: "A BPF ELF object built by clang (-target bpf).")
  var object: String

  @OptionGroup var output: OutputOptions

  func run() throws {
    do {
      let file = try ObjectFile(path: object)
      let report = InspectReport(file)
      if output.json {
        try CommandOutput.printJSON(report)
      } else {
        print(report.text, terminator: "")
      }
    } catch {
      throw ExitCode(CommandOutput.report(error, json: output.json))
    }
  }
}
