import BTF
import ELFReader
import UAPI

/// The object's BTF made ready for `BPF_BTF_LOAD`.
///
/// clang leaves DATASEC sizes and global offsets 0 and marks externs with
/// `extern` linkage, which the kernel refuses; the loader, like libbpf:
/// - sets each data section's size and variable offsets from the ELF;
/// - lays `.kconfig` out as its map is laid out;
/// - gives `.ksyms` entries 4-byte int slots: kfunc FUNCs become global and
///   their DATASEC entries point at one dummy `int` VAR, ksym VARs become
///   `int` VARs (the kernel wants VARs of sized types in a DATASEC);
/// - turns `extern` linkage into global, and hidden global functions static
///   (verified with their callers, as libbpf arranges);
/// - then sanitizes for what the kernel's BTF loader accepts.
/// Type ids never change (new types are appended), so instructions,
/// func_info and map key/value ids stay valid.
enum ObjectBTF {
  static func prepare(_ btf: BTF, file: ObjectFile, kconfig: KconfigLayout?, support: BTF.KernelSupport)
    throws(BTFError) -> [UInt8]
  {
    // Global functions with hidden or internal visibility are verified with
    // their caller, as static ones: their FUNC becomes static.
    var hidden = Set<String>()
    for s in file.subprograms {
      guard let symbol = file.symbol(of: s),
        symbol.binding != .local && (symbol.visibility == .hidden || symbol.visibility == .internal)
      else { continue }
      hidden.insert(s.name)
    }
    var layouts = [String: BTF.SectionLayout]()
    // Every DATASEC named after an ELF section (.data, .maps, license,
    // .struct_ops…): size from the section header, offsets from the symbols.
    var sectionsByName = [String: Section]()
    for section in file.sections where sectionsByName[section.name] == nil { sectionsByName[section.name] = section }
    var symbolsBySection = [Int: [String: UInt32]]()
    for symbol in file.symbols where symbol.isInSection && (symbol.kind == .object || symbol.kind == .none) {
      symbolsBySection[symbol.sectionIndex, default: [:]][symbol.name] = UInt32(clamping: symbol.value)
    }
    for raw in btf.localTypeIDs {
      guard case .dataSection(let d) = try btf[BTF.TypeID(raw)] else { continue }
      let name = try btf.string(of: d.name)
      guard let section = sectionsByName[name] else { continue }
      layouts[name] = BTF.SectionLayout(size: UInt32(clamping: section.size),
                                        offsets: symbolsBySection[section.index] ?? [:])
    }
    if let kconfig {
      var offsets = [String: UInt32]()
      for e in kconfig.entries { offsets[e.name] = UInt32(e.offset) }
      layouts[".kconfig"] = BTF.SectionLayout(size: UInt32(kconfig.size), offsets: offsets)
    }
    var ksymsSection: BTF.TypeID?
    if let id = btf.firstType(named: ".ksyms", kind: .dataSection) {
      ksymsSection = id
      var offsets = [String: UInt32]()
      var slot: UInt32 = 0
      for entry in try btf.variables(of: id) {
        offsets[try btf.nameString(of: entry.type)] = slot * 4
        slot += 1
      }
      layouts[".ksyms"] = BTF.SectionLayout(size: slot * 4, offsets: offsets)
    }
    let fixed = try btf.fixingDataSections(layouts)
    var bytes = try fixed.encoded()
    let order = fixed.byteOrder
    func read(_ at: Int) -> UInt32 {
      var v: UInt32 = 0
      for i in 0 ..< 4 { v |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
      return order == .little ? v : v.byteSwapped
    }
    func write(_ at: Int, _ value: UInt32) {
      let v = order == .little ? value : value.byteSwapped
      for i in 0 ..< 4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }
    let headerLength = Int(read(4))
    let typeStart = headerLength + Int(read(8))
    var typeLength = Int(read(12))
    let stringLength = Int(read(20))

    // Record offsets, by id.
    var offsets = [Int](repeating: 0, count: fixed.typeCount)
    var at = typeStart
    for raw in fixed.localTypeIDs {
      offsets[Int(raw)] = at
      at += try recordSize(fixed[BTF.TypeID(raw)])
    }

    var newTypes = [UInt8]()
    var newStrings = [UInt8]()
    var nextID = UInt32(fixed.typeCount)
    func appendWord(_ value: UInt32) {
      let v = order == .little ? value : value.byteSwapped
      withUnsafeBytes(of: v) { newTypes.append(contentsOf: $0) }
    }
    func addString(_ text: String) -> UInt32 {
      let offset = UInt32(stringLength + newStrings.count)
      newStrings.append(contentsOf: Array(text.utf8) + [0])
      return offset
    }
    var intID: UInt32?
    for candidate in fixed.types(named: "int", kind: .integer) {
      if case .integer(let i) = try fixed[candidate], i.size == 4 { intID = candidate.rawValue; break }
    }
    func needInt() -> UInt32 {
      if let intID { return intID }
      appendWord(addString("int"))
      appendWord(UInt32(BTF.Kind.integer.rawValue) << 24)
      appendWord(4)
      appendWord(1 << 24 | 32)
      let id = nextID
      nextID += 1
      intID = id
      return id
    }
    var dummy: (id: UInt32, name: UInt32)?
    func needDummy() -> (id: UInt32, name: UInt32) {
      if let dummy { return dummy }
      let int = needInt()
      let name = addString("dummy_ksym")
      appendWord(name)
      appendWord(UInt32(BTF.Kind.variable.rawValue) << 24)
      appendWord(int)
      appendWord(1)
      let made = (id: nextID, name: name)
      nextID += 1
      dummy = made
      return made
    }

    // Extern linkage → global (VAR: 2 → 1 in the trailer; FUNC: vlen 2 → 1).
    for raw in fixed.localTypeIDs {
      let id = BTF.TypeID(raw)
      let record = offsets[Int(raw)]
      let descriptor = try fixed[id]
      var isHidden = false
      if case .function(let f) = descriptor, f.linkage.rawValue != 0 {
        isHidden = hidden.contains(try fixed.string(of: f.name))
      }
      switch descriptor {
      case .variable(let v) where v.linkage.rawValue == 2:
        write(record + 12, 1)
      case .function where isHidden:
        write(record + 4, read(record + 4) & ~0xFFFF)
      case .function(let f) where f.linkage.rawValue == 2:
        write(record + 4, (read(record + 4) & ~0xFFFF) | 1)
        // Global functions need named parameters.
        if !f.prototype.isVoid, case .functionPrototype(let p) = try fixed[f.prototype] {
          let protoRecord = offsets[Int(f.prototype.rawValue)]
          for i in 0 ..< p.parameterCount {
            let param = protoRecord + 12 + 8 * i
            if read(param) == 0 && read(param + 4) != 0 { write(param, needDummy().name) }
          }
        }
      default:
        break
      }
    }
    // .ksyms: every entry a 4-byte int VAR.
    if let ksymsSection {
      let record = offsets[Int(ksymsSection.rawValue)]
      let count = try fixed.variables(of: ksymsSection).count
      for i in 0 ..< count {
        let entry = record + 12 + 12 * i
        let target = read(entry)
        switch try fixed[BTF.TypeID(target)] {
        case .function:
          write(entry, needDummy().id)
        case .variable:
          let varRecord = offsets[Int(target)]
          write(varRecord + 8, needInt())
          write(varRecord + 12, 1)
        default:
          break
        }
        write(entry + 8, 4)
      }
    }

    if !newTypes.isEmpty || !newStrings.isEmpty {
      let stringStart = typeStart + typeLength
      var out = Array(bytes[0 ..< stringStart])
      out.append(contentsOf: newTypes)
      out.append(contentsOf: bytes[stringStart ..< stringStart + stringLength])
      out.append(contentsOf: newStrings)
      bytes = out
      typeLength += newTypes.count
      write(12, UInt32(typeLength))
      write(16, UInt32(Int(read(8)) + typeLength))
      write(20, UInt32(stringLength + newStrings.count))
    }
    let patched = try BTF(bytes: bytes)
    return try patched.sanitized(for: support, byteOrder: .host)
  }

  /// What `sanitized(for:)` rewrites in `btf` for a kernel with `support`,
  /// for the log: the kinds the object uses that the kernel lacks, and
  /// global linkage; nil when nothing is rewritten.
  static func rewrittenFeatures(_ btf: BTF, support: BTF.KernelSupport) -> String? {
    var kinds = Set<BTF.Kind>()
    var hasGlobalFunctions = false
    for raw in btf.localTypeIDs {
      // Only a description: an id that does not decode was refused by
      // `prepare` already, and simply names no kind here.
      guard let descriptor = try? btf[BTF.TypeID(raw)] else { continue }
      kinds.insert(descriptor.kind)
      if case .function(let f) = descriptor, f.linkage.rawValue != 0 { hasGlobalFunctions = true }
    }
    kinds.remove(.void)
    var lacking = kinds.subtracting(support.kinds).sorted { $0.rawValue < $1.rawValue }.map(\.description)
    if hasGlobalFunctions && !support.globalFunctions { lacking.append("global function linkage") }
    return lacking.isEmpty ? nil : lacking.joined(separator: ", ")
  }

  static func recordSize(_ d: BTF.Descriptor) -> Int {
    switch d {
    case .integer, .variable, .declarationTag: 16
    case .array: 24
    case .struct(let c), .union(let c): 12 + 12 * c.memberCount
    case .enum(let e): 12 + 8 * e.count
    case .enum64(let e): 12 + 12 * e.count
    case .functionPrototype(let p): 12 + 8 * p.parameterCount
    case .dataSection(let s): 12 + 12 * s.count
    default: 12
    }
  }
}
