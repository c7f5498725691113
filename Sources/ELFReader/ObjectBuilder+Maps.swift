import UAPI

extension ObjectBuilder {
  /// The symbols naming maps in `section`, by offset (section symbols skipped).
  func mapSymbols(in section: Section) -> [Symbol] {
    symbols.filter { $0.sectionIndex == section.index && $0.isInSection && $0.kind != .section && !$0.name.isEmpty }
      .sorted { ($0.value, $0.index) < ($1.value, $1.index) }
  }

  /// Legacy maps: `struct bpf_map_def { u32 type, key_size, value_size,
  /// max_entries, map_flags; }` records in the `maps` section.
  ///
  /// The record size is not written anywhere: like libbpf did, it is the
  /// section size divided by the number of map symbols. Fields beyond the
  /// five known ones must be zero.
  func legacyMaps() throws(ELFError) -> [MapDefinition] {
    guard let section = section(named: Self.legacyMapsSection) else { return [] }
    let mapSymbols = mapSymbols(in: section)
    guard !mapSymbols.isEmpty else { return [] }
    guard let data = section.data else {
      throw .badMap(file: file, map: mapSymbols[0].name, reason: "section 'maps' has type \(section.type) and holds no map definitions")
    }
    let count = UInt64(mapSymbols.count)
    guard section.size > 0, section.size % count == 0 else {
      throw .badMap(file: file, map: mapSymbols[0].name, reason: "section 'maps' holds \(section.size) bytes for \(count) maps; cannot tell the size of struct bpf_map_def")
    }
    let recordSize = section.size / count
    let known: UInt64 = 20
    var result: [MapDefinition] = []
    for symbol in mapSymbols {
      guard let end = symbol.value.adding(recordSize, notBeyond: section.size) else {
        throw .badMap(file: file, map: symbol.name, reason: "its \(recordSize)-byte definition at offset \(symbol.value) runs past the end of section 'maps' (\(section.size) bytes)")
      }
      let start = Int(symbol.value)
      let record = data[start..<Int(end)]
      func field(_ i: Int) -> UInt32 {
        guard UInt64(i + 1) * 4 <= recordSize else { return 0 }
        return record.withUnsafeBytes { RawSpan(_unsafeBytes: $0).u32(at: i * 4, order) } ?? 0
      }
      if recordSize > known, record.dropFirst(Int(known)).contains(where: { $0 != 0 }) {
        throw .badMap(file: file, map: symbol.name, reason: "its \(recordSize)-byte definition has non-zero fields after map_flags, which this loader does not know")
      }
      result.append(
        MapDefinition(
          name: symbol.name, origin: .legacy, sectionName: section.name, sectionIndex: section.index,
          offset: symbol.value, symbolIndex: symbol.index, type: MapType(rawValue: field(0)),
          keySize: field(1), valueSize: field(2), maxEntries: field(3), flags: field(4)))
    }
    return result
  }

  /// BTF-defined maps in `.maps`.
  func btfMaps(btf: [UInt8]?) throws(ELFError) -> [MapDefinition] {
    guard let section = section(named: Self.mapsSection) else { return [] }
    let mapSymbols = mapSymbols(in: section)
    guard let first = mapSymbols.first else { return [] }
    guard btf != nil else {
      throw .badMap(file: file, map: first.name, reason: "defined in section '.maps', whose layout only BTF describes, but the object has no .BTF section (build with clang -g)")
    }
    // Decoded with the BTF module (see ObjectBuilder+BTFMaps once it lands).
    return []
  }
}
