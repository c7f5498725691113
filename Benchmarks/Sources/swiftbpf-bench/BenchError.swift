/// Why a benchmark could not run or produced a result that cannot be right.
enum BenchError: Error, CustomStringConvertible {
  case childFailed(arguments: [String], reason: String)
  case libbpf(operation: String, path: String, errno: Int32)
  case mismatch(String)
  case io(path: String, errno: Int32)

  var description: String {
    switch self {
    case .childFailed(let arguments, let reason):
      return "child `\(arguments.joined(separator: " "))` failed: \(reason)"
    case .libbpf(let operation, let path, let errno):
      return "libbpf \(operation) on \(path) failed: errno \(errno)"
    case .mismatch(let what):
      return "results differ: \(what)"
    case .io(let path, let errno):
      return "I/O on \(path) failed: errno \(errno)"
    }
  }
}
