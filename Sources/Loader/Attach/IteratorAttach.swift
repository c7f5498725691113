import Glibc
import Syscall

extension AttachScope {
  /// iter: an iterator link (`BPF_LINK_CREATE` with `BPF_TRACE_ITER` and the
  /// `bpf_iter_link_info`); each `Link.readIterator()` runs it once.
  ///
  /// Kernel: iterators 5.8; map elements 5.9; task/cgroup scopes 6.0–6.1.
  func attachIterator(_ scope: IteratorScope, point: AttachPoint) throws(AttachError) -> Link {
    let info = scope.linkInfo
    return try createLink(target: .none, attachType: .traceIter, point: point,
                          details: info.isEmpty ? .none : .iterator(info: info))
  }
}

extension Link {
  /// Runs an iterator link once and returns everything its program printed.
  ///
  /// Kernel: `BPF_ITER_CREATE`, then `read` until end of file.
  public func readIterator() throws(AttachError) -> [UInt8] {
    // The iteration is its own descriptor: the link may close meanwhile.
    let iteration = try withLinkDescriptor { (link) throws(AttachError) in try newIteration(link) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 8192)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(iteration.rawValue, $0.baseAddress, $0.count) }
      if n == 0 { break }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        throw .system(program: programName, target: target, operation: "read(iterator)", errno: .current)
      }
      output += chunk[0..<n]
    }
    return output
  }

  private func newIteration(_ link: BorrowedFD) throws(AttachError) -> OwnedFD {
    do { return try kernel.createIterator(link: link) } catch { throw wrap(error) }
  }
}
