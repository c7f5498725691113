/// Member names inside one generated declaration: C members claim their
/// names first, in member order, then derived accessors (`commString`,
/// forwarded members of anonymous unions); a name already taken gets `_`
/// appended until it is free. Names Swift reserves on an instance (`init`,
/// `self`, `Type`) get `_` too, since backticks do not make them usable
/// after a dot.
struct MemberNameAllocator {
  private(set) var taken: Set<String>

  init(reserved: Set<String> = []) { taken = reserved }

  /// A free name for `proposed` (a `SwiftNames.memberName` result), now taken.
  mutating func claim(_ proposed: String) -> String {
    var name = proposed
    if Self.unusableAfterDot.contains(name) { name = String(name.dropFirst().dropLast()) + "_" }
    while taken.contains(Self.bare(name)) {
      name = Self.bare(name) + "_"
    }
    taken.insert(Self.bare(name))
    return name
  }

  /// The name without backticks.
  static func bare(_ name: String) -> String {
    name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name
  }

  static let unusableAfterDot: Set<String> = ["`init`", "`self`", "`Self`", "`Type`", "`Protocol`"]
}
