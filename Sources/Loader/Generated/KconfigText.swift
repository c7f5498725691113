/// A typed value for a `__kconfig` extern, written as the kernel
/// configuration spells it, for `OpenOptions.kconfigOverrides`: what a
/// skeleton's `kconfig` overrides turn into before load.
public enum KconfigText {
  /// `bool` externs: `y` or `n`.
  public static func text(_ value: Bool) -> String { value ? "y" : "n" }

  /// Integer and `char` externs: the number in decimal.
  public static func text<T: BinaryInteger>(_ value: T) -> String { String(value) }

  /// `char[N]` externs: a quoted string (backslash and quote escaped).
  public static func text(_ value: String) -> String {
    var quoted = "\""
    for character in value {
      if character == "\"" || character == "\\" { quoted.append("\\") }
      quoted.append(character)
    }
    return quoted + "\""
  }

  /// `enum libbpf_tristate` externs, by the enum's raw value: 0 `n`, 1 `y`,
  /// 2 `m` (libbpf's numbering); other values as numbers.
  public static func tristate<T: BinaryInteger>(rawValue: T) -> String {
    switch rawValue {
    case 0: "n"
    case 1: "y"
    case 2: "m"
    default: String(rawValue)
    }
  }
}
