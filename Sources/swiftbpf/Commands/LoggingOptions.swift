import ArgumentParser

/// `--verbose`, shared by the subcommands that load an object.
struct LoggingOptions: ParsableArguments {
  @Flag(name: .long, help: "Print the loader's decisions and fallbacks (its debug log) on stderr.")
  var verbose = false

  /// Loggers made from now on write to stderr when `--verbose` is given:
  /// call it first thing in `run()`, before opening the object.
  func apply() {
    CLILogging.setVerbose(verbose)
  }
}
