import ArgumentParser

/// `swiftbpf-bench`: each subcommand times one part of SwiftBPF against libbpf
/// in the same run and prints the ratios.
@main
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swiftbpf-bench",
    abstract: "Benchmark SwiftBPF against libbpf (run with -c release).",
    subcommands: [BTFBenchmark.self, RingBufBenchmark.self, MapBenchmark.self])
}
