import ArgumentParser
import SwiftBPF

/// `swiftbpf load OBJ [--json] [--pin DIR] [--target-btf FILE] [--verbose]`: loads the
/// object into the kernel and reports every autoload program (loaded or
/// not, instruction counts, the verifier's error with its source line) and
/// every map. When the whole object fails, each program is tried on its own
/// so one rejected program does not hide the others. Exits non-zero if any
/// program failed. Everything is released when the command ends. The
/// loader's warnings follow the text report; `--verbose` prints its whole
/// log on stderr.
struct Load: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Load a BPF object into the kernel and report each program and map.")

  @Argument(help: "A BPF ELF object built by clang (-target bpf).")
  var object: String

  @Option(name: .long, help: "Pin root for maps with pinning by name (default /sys/fs/bpf).")
  var pin: String?

  @Option(name: .long, help: "BTF to apply CO-RE against instead of the running kernel's.")
  var targetBtf: String?

  @OptionGroup var output: OutputOptions

  @OptionGroup var logging: LoggingOptions

  func run() throws {
    logging.apply()
    let report: LoadReport
    do {
      var options = OpenOptions(targetBTFPath: targetBtf)
      if let pin { options.pinRoot = pin }
      report = try LoadReport.make(path: object, options: options)
    } catch {
      throw ExitCode(CommandOutput.report(error, json: output.json))
    }
    if output.json {
      try CommandOutput.printJSON(report)
    } else {
      print(report.text, terminator: "")
    }
    if report.programs.contains(where: { !$0.loaded }) { throw ExitCode(1) }
  }
}

