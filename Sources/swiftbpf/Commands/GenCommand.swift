import ArgumentParser

/// `swiftbpf gen ...`: Swift source from a BPF object.
struct GenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gen",
    abstract: "Generate Swift for a BPF object.",
    subcommands: [GenTypes.self])
}
