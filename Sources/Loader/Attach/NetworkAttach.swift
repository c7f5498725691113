import Syscall
import UAPI

extension AttachScope {
  /// tcx ingress/egress. Kernel: `BPF_TCX_INGRESS`/`EGRESS` links (6.6),
  /// placed relative to another program or link with `relative`.
  func attachTCX(ifindex: UInt32, direction: AttachType?, relative: TCXRelative, expectedRevision: UInt64,
                 point: AttachPoint) throws(AttachError) -> Link {
    let attach = try resolvedAttachType(direction, point: point)
    guard attach == .tcxIngress || attach == .tcxEgress else {
      throw .invalidRequest(program: name, target: point.description,
                            reason: "tcx takes BPF_TCX_INGRESS or BPF_TCX_EGRESS, not \(attach)")
    }
    func link(_ kernelRelative: BPF.Relative) throws(AttachError) -> Link {
      try createLink(target: .ifindex(ifindex), attachType: attach, point: point,
                     details: .tcx(relative: kernelRelative, expectedRevision: expectedRevision))
    }
    switch relative {
    case .none: return try link(.none)
    case .programID(let id): return try link(.id(id))
    case .program(let other):
      // The other program's descriptor goes into the attributes: held open for the call.
      return try other.withDescriptor(closed: {
        AttachError.handleClosed(kind: "program", object: other.name, program: name, target: point.description)
      }) { (fd) throws(AttachError) in try link(.fd(fd)) }
    }
  }

  /// sk_lookup, flow_dissector: a netns link on the namespace at `path`
  /// (this process's when nil). Kernel: netns links 5.8 (flow dissector), 5.9 (sk_lookup).
  func attachNetworkNamespace(path: String?, point: AttachPoint) throws(AttachError) -> Link {
    let attach = try resolvedAttachType(nil, point: point)
    let nsPath = path ?? "/proc/self/ns/net"
    let namespace: OwnedFD
    switch SystemFiles.openReadOnly(nsPath, directory: false) {
    case .success(let fd): namespace = fd
    case .failure(let e):
      throw .system(program: name, target: point.description, operation: "open(\(nsPath))", errno: e.errno)
    }
    return try createLink(target: .fd(namespace.borrowed), attachType: attach, point: point)
  }

  /// sk_msg/sk_skb on a sockmap or sockhash: a sockmap link (6.10) or, on
  /// older kernels, `BPF_PROG_ATTACH`, undone with `BPF_PROG_DETACH` on close.
  func attachSockMap(_ map: BorrowedFD, attachType: AttachType?, point: AttachPoint) throws(AttachError) -> Link {
    let attach = try resolvedAttachType(attachType, point: point)
    do {
      let link = try kernel.createLink(LinkCreateAttributes(program: fd, target: .fd(map), attachType: attach))
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
    } catch {
      guard error.errno == .EINVAL || error.errno == .EOPNOTSUPP else { throw failure(error, point) }
    }
    do {
      // The detach needs both descriptors later: duplicate them first, so a
      // failed dup cannot leave an attachment nothing can undo.
      let legacy = LegacyAttachment(target: try map.duplicate(), program: try fd.duplicate(), attachType: attach)
      try kernel.attach(BPF.AttachAttributes(target: .fd(map), program: fd, attachType: attach))
      return Link(kernel: kernel, program: name, target: point.description, legacy: legacy)
    } catch {
      throw failure(error, point)
    }
  }
}
