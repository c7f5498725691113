import BTF
import Instructions

/// The BTF the program is relocated against: the kernel's (the base) or a
/// module's (split BTF on top of the base), with a name for reports.
public struct TargetBTF: Sendable {
  /// `"vmlinux"`, a module name, or the file it came from.
  public var name: String
  /// The types (a module's split on top of the kernel's).
  public var btf: BTF

  /// Target `btf`, called `name` in reports.
  public init(name: String, btf: BTF) {
    self.name = name
    self.btf = btf
  }
}
