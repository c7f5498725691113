import ArgumentParser
import SwiftBPF

@main struct SwiftBPFCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swiftbpf",
    abstract: "Inspect, relocate, load and run BPF objects.",
    subcommands: [
      Inspect.self, Disasm.self, BTFCommand.self, Reloc.self, Run.self, Load.self, MapCommand.self, GenCommand.self,
    ])

  /// The logging backend first (an application's job, not the library's),
  /// then ArgumentParser's own entry point.
  static func main() async {
    CLILogging.bootstrap()
    await main(nil)
  }
}
