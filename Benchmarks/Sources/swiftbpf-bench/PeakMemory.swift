#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Peak memory of one workload, measured in a fresh child process so that
/// nothing another workload allocated (or the allocator kept) counts.
///
/// The child is this executable again (`/proc/self/exe`) with `--child
/// <workload>`; it runs the workload once and prints its high-water mark.
/// A child running the workload `none` gives the baseline (runtime, libraries,
/// argument parsing) that is subtracted.
enum PeakMemory {
  /// This process's peak resident set in bytes: `VmHWM` from
  /// `/proc/self/status`, or `ru_maxrss` when that cannot be read.
  ///
  /// Kernel: both count anonymous and file-backed resident pages, so a mapped
  /// file counts for the pages that were touched.
  static func ofThisProcess() -> Int {
    if let kilobytes = statusField("VmHWM:") { return kilobytes * 1024 }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
  }

  /// Runs `arguments` as a child of this executable and returns the integer
  /// it printed (its peak in bytes). Throws when the child fails.
  static func ofChild(arguments: [String]) throws(BenchError) -> Int {
    let output = try runSelf(arguments)
    guard let bytes = Int(output.trimmingSuffix(while: { $0 == "\n" || $0 == " " })) else {
      throw .childFailed(arguments: arguments, reason: "printed \(output.debugDescription)")
    }
    return bytes
  }

  private static func statusField(_ key: String) -> Int? {
    guard let file = fopen("/proc/self/status", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
      let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      guard text.hasPrefix(key) else { continue }
      let digits = text.dropFirst(key.count).filter { $0.isNumber }
      return Int(digits)
    }
    return nil
  }

  /// posix_spawn of /proc/self/exe with stdout on a pipe; returns what it printed.
  private static func runSelf(_ arguments: [String]) throws(BenchError) -> String {
    var pipeFDs: [CInt] = [-1, -1]
    guard pipe(&pipeFDs) == 0 else {
      throw .childFailed(arguments: arguments, reason: "pipe: errno \(errno)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipeFDs[0])

    let executable = "/proc/self/exe"
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    close(pipeFDs[1])
    guard spawned == 0 else {
      close(pipeFDs[0])
      throw .childFailed(arguments: arguments, reason: "posix_spawn: errno \(spawned)")
    }

    var output = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let got = chunk.withUnsafeMutableBytes { read(pipeFDs[0], $0.baseAddress, $0.count) }
      if got < 0 && errno == EINTR { continue }
      if got <= 0 { break }
      output.append(contentsOf: chunk[0 ..< got])
    }
    close(pipeFDs[0])

    var status: CInt = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED && WEXITSTATUS == 0, spelled out (the macros do not import).
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
      throw .childFailed(arguments: arguments, reason: "exit status \(status)")
    }
    return String(decoding: output, as: UTF8.self)
  }
}

extension String {
  func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
    var end = endIndex
    while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
    return self[startIndex ..< end]
  }
}
