import Syscall
import UAPI

extension AttachScope {
  /// cgroup programs (skb, sock, sock_addr, sockopt, sysctl, device,
  /// sock_ops): a cgroup link on a cgroup v2 directory.
  ///
  /// Kernel: cgroup links 5.7; several links per hook run in order (like
  /// `BPF_F_ALLOW_MULTI`).
  func attachCgroup(path: String, attachType: AttachType?, point: AttachPoint) throws(AttachError) -> Link {
    let cgroup = try openCgroup(path, point: point)
    return try attachCgroup(fd: cgroup.borrowed, attachType: attachType, point: point)
  }

  func attachCgroup(fd cgroup: BorrowedFD, attachType: AttachType?, point: AttachPoint) throws(AttachError) -> Link {
    let attach = try resolvedAttachType(attachType, point: point)
    return try createLink(target: .fd(cgroup), attachType: attach, point: point)
  }

  func openCgroup(_ path: String, point: AttachPoint) throws(AttachError) -> OwnedFD {
    switch SystemFiles.openReadOnly(path, directory: true) {
    case .success(let fd): return fd
    case .failure(let e):
      if e.errno == .ENOENT {
        throw .targetNotFound(program: name, target: point.description,
                              reason: "no cgroup directory \(path) (cgroup v2 is usually at /sys/fs/cgroup or /sys/fs/cgroup/unified)")
      }
      throw .system(program: name, target: point.description, operation: "open(\(path))", errno: e.errno)
    }
  }
}

/// A struct_ops map registered through a link (`.struct_ops.link`).
///
/// Kernel: `BPF_LINK_CREATE` with the map's fd as `prog_fd` and
/// `BPF_STRUCT_OPS` (6.4); closing the link unregisters the ops.
public enum StructOpsAttach {
  /// Registers the struct_ops `map` (loaded from a `.struct_ops.link`
  /// section) and returns the link that keeps it registered.
  ///
  /// Throws `AttachError` when the map's handle is closed or the kernel
  /// refuses the link (before Linux 6.4, or a map not created with
  /// `BPF_F_LINK`, which `.struct_ops.link` sets).
  public static func register(map: LoadedObject.Map) throws(AttachError) -> Link {
    try map.withDescriptor(closed: { AttachError.handleClosed(kind: "map", object: map.name, program: map.name, target: "struct_ops map") }) {
      (fd) throws(AttachError) in
      do throws(SyscallError) {
        let link = try map.kernel.createLink(LinkCreateAttributes(program: fd, target: .none, attachType: .structOps))
        return Link(kernel: map.kernel, program: map.name, target: "struct_ops map", bpfLink: link)
      } catch {
        throw .syscall(error, program: map.name, target: "struct_ops map",
                       hint: error.errno == .EINVAL ? "the map must be created with BPF_F_LINK (a .struct_ops.link section)" : nil)
      }
    }
  }

  /// Replaces the struct_ops map behind a link. Kernel: `BPF_LINK_UPDATE` (6.4).
  public static func update(_ link: Link, map: LoadedObject.Map) throws(AttachError) {
    try map.withDescriptor(closed: { AttachError.handleClosed(kind: "map", object: map.name, program: map.name, target: "struct_ops map") }) {
      (fd) throws(AttachError) in try link.update(programFD: fd, expected: nil)
    }
  }
}
