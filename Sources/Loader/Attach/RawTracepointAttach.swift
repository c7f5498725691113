import Syscall

extension AttachScope {
  /// raw_tp and raw_tp.w: `BPF_RAW_TRACEPOINT_OPEN` with the tracepoint's name.
  ///
  /// Kernel: raw tracepoints 4.17, writable 5.2, cookie 6.10.
  func attachRawTracepoint(_ tracepoint: String, cookie: UInt64, point: AttachPoint) throws(AttachError) -> Link {
    do {
      let link = try kernel.openRawTracepoint(name: tracepoint, program: fd, cookie: cookie)
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
    } catch {
      if error.errno == .ENOENT {
        throw .targetNotFound(program: name, target: point.description,
                              reason: "the kernel has no raw tracepoint '\(tracepoint)'")
      }
      throw failure(error, point)
    }
  }
}
