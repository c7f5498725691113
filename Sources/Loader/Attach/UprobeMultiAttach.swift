import ELFReader
import Glibc
import Syscall

extension AttachScope {
  /// uprobe.multi by glob: the file offsets of every function of `path`
  /// whose name matches `pattern` (`fnmatch`), in one link.
  func attachUprobeMulti(path: String, pattern: String, isReturn: Bool, pid: Int32?, cookies: [UInt64],
                         point: AttachPoint) throws(AttachError) -> Link {
    let file = try resolveBinary(path, pid: pid, point: point)
    let executable: ExecutableFile
    do { executable = try ExecutableFile.open(path: file) } catch { throw .executable(error, program: name) }
    var offsets: [UInt64] = []
    var seen = Set<UInt64>()
    for symbol in executable.symbols where symbol.isFunction && symbol.address != 0
      && fnmatch(pattern, symbol.name, 0) == 0
    {
      guard let offset = executable.fileOffset(ofAddress: symbol.address), seen.insert(offset).inserted else { continue }
      offsets.append(offset)
    }
    guard !offsets.isEmpty else {
      throw .targetNotFound(program: name, target: point.description,
                            reason: "no function of \(file) matches '\(pattern)'")
    }
    return try attachUprobeMulti(path: file, offsets: offsets, isReturn: isReturn, pid: pid, cookies: cookies,
                                 referenceCounterOffsets: [], point: point)
  }

  /// uprobe.multi by file offsets.
  ///
  /// Kernel: `BPF_LINK_CREATE` with `BPF_TRACE_UPROBE_MULTI` (6.6);
  /// `BPF_F_UPROBE_MULTI_RETURN` = 1 for return probes.
  func attachUprobeMulti(path: String, offsets: [UInt64], isReturn: Bool, pid: Int32?, cookies: [UInt64],
                         referenceCounterOffsets: [UInt64], point: AttachPoint) throws(AttachError) -> Link {
    let file = try resolveBinary(path, pid: pid, point: point)
    return try createLink(
      target: .none, attachType: expectedAttachType ?? .traceUprobeMulti, point: point,
      details: .uprobeMulti(path: file, offsets: offsets, referenceCounterOffsets: referenceCounterOffsets,
                            cookies: cookies, flags: isReturn ? 1 : 0, pid: UInt32(bitPattern: pid ?? 0)))
  }
}
