import UAPI

/// Filling in DATASEC sizes and variable offsets before upload.
extension BTF {
  /// Where a data section's variables ended up: its size from the ELF
  /// section header, each variable's offset from its symbol's value.
  public struct SectionLayout: Sendable, Equatable {
    /// The section size in bytes (`sh_size`).
    public var size: UInt32
    /// Variable name → offset in the section.
    public var offsets: [String: UInt32]

    /// A layout of `size` bytes with these variable offsets.
    public init(size: UInt32, offsets: [String: UInt32]) {
      self.size = size
      self.offsets = offsets
    }
  }

  /// A copy of this BTF whose DATASECs named in `layouts` carry the given
  /// size and variable offsets, entries sorted by offset.
  ///
  /// clang leaves every DATASEC size 0 and every global variable's offset 0
  /// in an object; the kernel wants real sizes, and entries in increasing,
  /// non-overlapping offset order (`BPF_BTF_LOAD` refuses others). Entries
  /// whose name is not in the layout (extern FUNCs in `.ksyms`) keep theirs.
  public func fixingDataSections(_ layouts: [String: SectionLayout]) throws(BTFError) -> BTF {
    var w = WordWriter(order: byteOrder)
    w.bytes.reserveCapacity(layout.typeLength)
    for raw in localTypeIDs {
      let id = TypeID(raw)
      guard case .dataSection(let section) = try self[id],
            let fix = layouts[try string(of: section.name)]
      else {
        try encode(id, into: &w)
        continue
      }
      var entries = [SectionVariable]()
      entries.reserveCapacity(section.count)
      for entry in try variables(of: id) {
        var fixed = entry
        if let offset = fix.offsets[try nameString(of: entry.type)] { fixed.offset = offset }
        entries.append(fixed)
      }
      // Stable: equal offsets (zero-sized entries) keep their order.
      let sorted = entries.enumerated().sorted { a, b in
        a.element.offset != b.element.offset ? a.element.offset < b.element.offset : a.offset < b.offset
      }.map(\.element)
      w.record(name: section.name.offset, kind: .dataSection, vlen: section.count, sizeOrType: fix.size)
      for entry in sorted {
        w.word(entry.type.rawValue)
        w.word(entry.offset)
        w.word(entry.size)
      }
    }
    let strings = storage.copyBytes(layout.stringStart ..< layout.stringStart + layout.stringLength)
    return try BTF(bytes: BTF.assemble(types: w.bytes, strings: strings, order: byteOrder, flags: flags), base: base)
  }
}
