import Foundation

/// Running one suite alone in a child process: for checks of process-wide
/// state (the descriptor count) that other suites, running in parallel in
/// this process, would disturb.
public enum Isolation {
  /// Set in the child's environment to the suite it runs.
  public static let variable = "SWIFTBPF_ISOLATED_SUITE"

  /// True in the child started for `suite`.
  public static func isChild(running suite: String) -> Bool {
    ProcessInfo.processInfo.environment[variable] == suite
  }

  /// Re-runs this test bundle with only `suite`; its output and exit status.
  public static func run(suite: String) throws -> (output: String, status: Int32) {
    guard let bundle = Bundle.main.executablePath ?? CommandLine.arguments.first else {
      throw IsolationError.noBundlePath
    }
    var environment = ProcessInfo.processInfo.environment
    environment[variable] = suite
    let run = try runProcess(bundle, ["--testing-library", "swift-testing", "--filter", suite],
                             environment: environment)
    return (run.stdout + run.stderr, run.status)
  }

  public enum IsolationError: Error {
    case noBundlePath
  }
}
