/// Which code section: the ELF section header index.
///
/// The one key under which ELFReader decodes a section, CO-RE patches it and
/// the loader links from it. `.BTF.ext` names sections instead; names can
/// repeat in a hand-made object, indexes cannot.
public struct SectionID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The section header index (`sections[index]` of the object).
  public var index: Int

  /// The section with ELF section header index `index`.
  public init(_ index: Int) { self.index = index }

  public static func < (a: SectionID, b: SectionID) -> Bool { a.index < b.index }

  public var description: String { "section #\(index)" }
}
