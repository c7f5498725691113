/// What the kernel reports about a BTF object.
///
/// Kernel: `struct bpf_btf_info`.
public struct BTFInfo: Sendable, Hashable {
  /// The kernel's id for the BTF object (`id`).
  public var id: UInt32
  /// Size of the raw BTF in bytes.
  public var size: UInt32
  /// `vmlinux`, a module name, or empty for user-loaded BTF.
  public var name: String
  /// True for the kernel's own BTF (vmlinux or a module).
  public var isKernel: Bool
}
