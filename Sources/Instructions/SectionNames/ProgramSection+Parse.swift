extension ProgramSection {
  /// Reads a program's section name the way libbpf does.
  ///
  /// - A leading `?` is dropped and sets `autoload` to false.
  /// - The rest must equal an exact row (`xdp`, `cgroup/connect4`), or be a
  ///   `+` row's name alone or followed by `/` and a target (`kprobe`,
  ///   `kprobe/do_exit`). `kprobe.s/x`, `xdp/foo` or `tcx` are unknown.
  /// - The target, if any, is parsed for its row's format; a malformed one
  ///   leaves `attachTarget` nil and sets `invalidTargetReason`.
  ///
  /// Throws `UnknownSectionName` with the nearest known name when no row
  /// matches. libbpf does not fail the open for such programs (their type
  /// can be set by hand before load), so callers decide whether to.
  public static func parse(_ name: String) throws(UnknownSectionName) -> ProgramSection {
    let autoload = !name.hasPrefix("?")
    let bare = autoload ? Substring(name) : name.dropFirst()
    guard let (definition, targetText) = SectionIndex.shared.match(bare) else {
      throw UnknownSectionName(section: name, nearestKnown: SectionIndex.shared.nearest(to: bare))
    }

    var attachTarget: AttachTarget? = nil
    var invalidTargetReason: String? = nil
    if let targetText {
      switch AttachTargetParser.parse(
        targetText, format: definition.targetFormat, flags: definition.flags,
        rowName: definition.name)
      {
      case .target(let target): attachTarget = target
      case .malformed(let reason): invalidTargetReason = reason
      }
    }

    return ProgramSection(
      name: name,
      programType: definition.programType,
      expectedAttachType: definition.expectedAttachType,
      attachTarget: attachTarget,
      autoload: autoload,
      isSleepable: definition.flags.contains(.sleepable),
      flags: definition.flags,
      canAutoAttach: definition.flags.contains(.autoAttach) && attachTarget != nil,
      definition: definition,
      targetText: targetText.map(String.init),
      invalidTargetReason: invalidTargetReason)
  }
}

/// The table indexed for lookup: one hash lookup per section name instead of
/// a scan over every row.
struct SectionIndex: Sendable {
  static let shared = SectionIndex(SectionDefinition.all)

  let rows: [SectionDefinition]
  /// Exact rows by name.
  private let exact: [Substring: Int]
  /// `+` rows by name (their names have no `/`).
  private let optionalTarget: [Substring: Int]
  /// `type/` rows, checked in order (none built in).
  private let requiredTarget: [Int]

  init(_ rows: [SectionDefinition]) {
    self.rows = rows
    var exact: [Substring: Int] = [:]
    var optionalTarget: [Substring: Int] = [:]
    var requiredTarget: [Int] = []
    // First row wins, as in libbpf's in-order scan.
    for (i, row) in rows.enumerated() {
      switch row.matching {
      case .exact: if exact[Substring(row.name)] == nil { exact[Substring(row.name)] = i }
      case .optionalTarget:
        if optionalTarget[Substring(row.name)] == nil { optionalTarget[Substring(row.name)] = i }
      case .requiredTarget: requiredTarget.append(i)
      }
    }
    self.exact = exact
    self.optionalTarget = optionalTarget
    self.requiredTarget = requiredTarget
  }

  /// The row for a section name (without `?`) and the target text after the
  /// row's `name/`, if any.
  func match(_ name: Substring) -> (SectionDefinition, Substring?)? {
    if let i = exact[name] { return (rows[i], nil) }
    let head: Substring
    let target: Substring?
    if let slash = name.firstIndex(of: "/") {
      head = name[..<slash]
      target = name[name.index(after: slash)...]
    } else {
      head = name
      target = nil
    }
    // `+` row names contain no `/`, so the head before the first `/` is the
    // only candidate.
    if let i = optionalTarget[head] { return (rows[i], target) }
    for i in requiredTarget {
      let prefix = rows[i].name + "/"
      if name.hasPrefix(prefix) { return (rows[i], name.dropFirst(prefix.count)) }
    }
    return nil
  }
}
