/// A program's section name matches no SEC() row.
///
/// libbpf leaves such a program without a type (and fails at load unless the
/// type is set by hand); the error names the nearest known name so a typo
/// (`kprob/do_exit`, `tracepont/...`, `xdp/foo`) is easy to fix.
public struct UnknownSectionName: Error, Sendable, Hashable, CustomStringConvertible {
  /// The section name as written (with `?` if present).
  public var section: String
  /// The nearest known row name (`kprobe`, `cgroup/connect4`), if any is close.
  public var nearestKnown: String?

  /// The error for `section`, suggesting `nearestKnown` when there is one.
  public init(section: String, nearestKnown: String?) {
    self.section = section
    self.nearestKnown = nearestKnown
  }

  /// One line: the section, the nearest known name and how to write it, and
  /// what to do.
  public var description: String {
    var text = "unknown program section SEC(\"\(section)\")"
    if let nearestKnown {
      text += ": nearest known is \"\(nearestKnown)\""
      if let row = SectionDefinition.all.first(where: { $0.name == nearestKnown }) {
        if row.usage != row.name { text += " (written \(row.usage))" }
        if isUnsupportedSleepableForm(of: row) { text += ", which has no sleepable .s form" }
      }
    } else {
      text += ": no known section name is close"
    }
    return text + "; fix the SEC() name, or set the program type explicitly before load"
  }

  /// `kprobe.s/x` when `kprobe` is nearest: the `.s` is what is wrong.
  private func isUnsupportedSleepableForm(of row: SectionDefinition) -> Bool {
    let bare = section.hasPrefix("?") ? section.dropFirst() : Substring(section)
    let head = bare.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? bare
    return head == row.name + ".s"
  }
}
