import ArgumentParser

/// Flags every reporting subcommand shares.
struct OutputOptions: ParsableArguments {
  @Flag(name: .long, help: "Print machine-readable JSON (the contract in README.md).")
  var json = false
}
