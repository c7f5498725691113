import BTF
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

  /// BTF-defined maps in `.maps`: one per symbol, described by the BTF
  /// variable of the same name in the `DATASEC` `.maps`.
  func btfMaps(btf: Result<BTF, BTFError>?) throws(ELFError) -> [MapDefinition] {
    guard let section = section(named: Self.mapsSection) else { return [] }
    let mapSymbols = mapSymbols(in: section)
    guard let first = mapSymbols.first else { return [] }
    let parsed: BTF
    switch btf {
    case nil:
      throw .badMap(file: file, map: first.name, reason: "defined in section '.maps', whose layout only BTF describes, but the object has no .BTF section (build with clang -g)")
    case .failure(let error):
      throw .badMap(file: file, map: first.name, reason: "defined in section '.maps', but the object's .BTF cannot be parsed: \(error)")
    case .success(let value):
      parsed = value
    }
    let variables = try sectionVariables(named: Self.mapsSection, in: parsed, map: first.name)
    let decoder = BTFMapDecoder(btf: parsed, file: file)
    var result: [MapDefinition] = []
    var valuesOffsets: [UInt64?] = []
    for symbol in mapSymbols {
      guard let variable = variables[symbol.name] else {
        throw .badMap(file: file, map: symbol.name, reason: "has no variable in the BTF DATASEC '.maps'")
      }
      let base = MapDefinition(
        name: symbol.name, origin: .btf, sectionName: section.name, sectionIndex: section.index,
        offset: symbol.value, symbolIndex: symbol.index, type: .unspec)
      let decoded = try decoder.decode(name: symbol.name, typeID: variable.type, base: base)
      result.append(decoded.definition)
      valuesOffsets.append(decoded.valuesOffset)
    }
    try fillInitialValues(&result, valuesOffsets: valuesOffsets, symbolsByOffset: mapSymbols, section: section)
    return result
  }

  /// The `VAR`s of a BTF `DATASEC`, by name: their `VAR` id and type.
  func sectionVariables(named name: String, in btf: BTF, map: String) throws(ELFError) -> [String: (id: BTF.TypeID, type: BTF.TypeID)] {
    guard let section = btf.firstType(named: name, kind: .dataSection) else {
      throw .badMap(file: file, map: map, reason: "the BTF has no DATASEC '\(name)' describing the maps")
    }
    var result: [String: (id: BTF.TypeID, type: BTF.TypeID)] = [:]
    do throws(BTFError) {
      for entry in try btf.variables(of: section) {
        guard case .variable(let variable) = try btf[entry.type] else { continue }
        result[try btf.string(of: variable.name)] = (entry.type, variable.type)
      }
    } catch {
      throw .badMap(file: file, map: map, reason: "the BTF DATASEC '\(name)' is malformed: \(error)")
    }
    return result
  }

  /// `.values = { [i] = &x }`: each `R_BPF_64_ABS64` in `.rel.maps` inside a
  /// map's `values` member fills slot `i` (8 bytes a pointer).
  func fillInitialValues(
    _ maps: inout [MapDefinition], valuesOffsets: [UInt64?], symbolsByOffset: [Symbol], section: Section
  ) throws(ELFError) {
    let entries = raw.relocationTables.filter { $0.targetIndex == section.index }.flatMap(\.entries)
    for entry in entries {
      if entry.type == RelocationType.none.rawValue { continue }
      // The map whose definition contains the relocated pointer (binary search by offset).
      var low = 0
      var high = symbolsByOffset.count
      while low < high {
        let mid = low + (high - low) / 2
        if symbolsByOffset[mid].value <= entry.offset { low = mid + 1 } else { high = mid }
      }
      guard low > 0, entry.offset - symbolsByOffset[low - 1].value < symbolsByOffset[low - 1].size else {
        throw .badRelocation(file: file, section: section.name, offset: entry.offset, reason: "lies outside every map definition")
      }
      let index = low - 1
      let start = symbolsByOffset[index].value
      let name = maps[index].name
      guard let valuesOffset = valuesOffsets[index], entry.offset - start >= valuesOffset else {
        throw .badMap(file: file, map: name, reason: "a relocation at offset \(entry.offset - start) of its definition initialises something other than __array(values, ...)")
      }
      let position = entry.offset - start - valuesOffset
      guard entry.type == RelocationType.absolute64.rawValue, position % 8 == 0 else {
        throw .badMap(file: file, map: name, reason: "its .values relocation at offset \(entry.offset - start) is \(RelocationType(rawValue: entry.type)), expected an 8-byte aligned R_BPF_64_ABS64")
      }
      let target = symbols[entry.symbol]
      guard entry.symbol != 0, !target.name.isEmpty else {
        throw .badMap(file: file, map: name, reason: ".values slot \(position / 8) points to no named symbol")
      }
      maps[index].initialValues.append(
        MapDefinition.InitialValue(index: Int(position / 8), symbolName: target.name, symbolIndex: target.index))
    }
    for i in maps.indices { maps[i].initialValues.sort { $0.index < $1.index } }
  }
}
