import ArgumentParser
import SwiftBPF

@main struct SwiftBPFCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swiftbpf",
    abstract: "Inspect, relocate, load and run BPF objects.",
    subcommands: [Inspect.self, Disasm.self, BTFCommand.self, Reloc.self, Run.self, Load.self])
}
