import ArgumentParser

/// `swiftbpf gen types|skeleton`: Swift source for a BPF object.
struct GenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gen",
    abstract: "Generate Swift for a BPF object.",
    subcommands: [GenTypes.self, GenSkeleton.self])
}
