import UAPI

/// Checking every record once at parse time, so later decoding can trust the
/// index: kinds, flags, sizes, string offsets, type ids, DATASEC ranges, and
/// no loops through modifiers, typedefs or array elements.
///
/// This is the precise path: it defines what is valid and names each defect.
/// A parse first tries `SinglePass`, which proves most blobs valid in one
/// pass and comes here only for what it cannot judge, or when in doubt.
///
/// Kernel: mirrors what `btf_check_meta`/`btf_resolve` in `kernel/bpf/btf.c`
/// would refuse, so a blob we accept is one the kernel can accept too.
extension BTF {
  func validate() throws(BTFError) {
    let base = self.base
    try storage.withWords(byteOrder) { (span) throws(BTFError) in
      let checker = Checker(btf: self, base: base)
      for index in offsets.indices {
        try checker.check(span, index: index)
      }
      try checker.checkLoops(span)
    }
  }

  /// Finishes what `SinglePass` left: the precise check of the records it
  /// could not judge alone, and the loop walk from its candidate starts.
  func validateRemainder(recheck: [Int], loopStarts: [Int]) throws(BTFError) {
    if recheck.isEmpty && loopStarts.isEmpty { return }
    let base = self.base
    try storage.withWords(byteOrder) { (span) throws(BTFError) in
      let checker = Checker(btf: self, base: base)
      for index in recheck {
        try checker.check(span, index: index)
      }
      try checker.checkLoops(span, starts: loopStarts)
    }
  }

  /// One validation pass; a struct so the hot loop has no closures.
  struct Checker {
    let btf: BTF
    let base: BTF?
    let offsets: [UInt32]
    let kinds: [Kind]
    let order: ByteOrder
    let first: UInt32
    let count: UInt32
    let totalStrings: UInt32

    init(btf: BTF, base: BTF?) {
      self.btf = btf
      self.base = base
      self.offsets = btf.offsets
      self.kinds = btf.kinds
      self.order = btf.byteOrder
      self.first = btf.firstLocalID.rawValue
      self.count = UInt32(btf.typeCount)
      self.totalStrings = btf.totalStringLength
    }

    @inline(__always)
    func word(_ span: Words, _ offset: Int) -> UInt32 { span.u32(offset) }

    /// The kind number of any valid id (0 for void).
    func kindNumber(_ span: Words, _ id: UInt32) -> UInt8 {
      if id == 0 { return 0 }
      if id < first { return (try? base?.kind(of: TypeID(id)))?.rawValue ?? 0 }
      let index = Int(id - first)
      guard index < kinds.count else { return 0 }
      return kinds[index].rawValue
    }

    func vlenOf(_ span: Words, _ id: UInt32) -> Int {
      if id < first { return base.flatMap { try? $0.vlen(of: TypeID(id)) } ?? 0 }
      let index = Int(id - first)
      guard index < offsets.count else { return 0 }
      return Int(word(span, Int(offsets[index]) + 4) & 0xFFFF)
    }

    @inline(__always)
    func name(_ nameOff: UInt32, _ id: UInt32, _ offset: Int) throws(BTFError) {
      guard nameOff < totalStrings else {
        throw .stringOffsetOutOfRange(typeID: id, offset: offset, stringOffset: nameOff)
      }
    }

    @inline(__always)
    func ref(_ ref: UInt32, _ id: UInt32, _ offset: Int) throws(BTFError) {
      guard ref < count else { throw .typeIDOutOfRange(typeID: id, offset: offset, referenced: ref) }
    }

    func check(_ span: Words, index: Int) throws(BTFError) {
      let offset = Int(offsets[index])
      let id = first + UInt32(index)
      let nameOff = word(span, offset), info = word(span, offset + 4), sizeOrType = word(span, offset + 8)
      let kind = BTF.kindNumber(info)
      let vlen = Int(info & 0xFFFF)
      let kindFlag = info >> 31 != 0
      func bad(_ reason: String) -> BTFError { .invalidType(typeID: id, offset: offset, reason: reason) }

      // A kind from a newer writer, indexed through the layout section:
      // only its name can be checked (libbpf checks no more); what its
      // other fields mean is not known here.
      if kinds[index] == .unknown {
        try name(nameOff, id, offset)
        return
      }
      guard info & 0x60FF_0000 == 0 else { throw bad("unused info bits set (0x\(String(info, radix: 16)))") }
      try name(nameOff, id, offset)
      switch kind {
      case 4, 5, 6, 7, 19, 17, 18: break
      default: if kindFlag { throw bad("kind_flag set on a kind that has none") }
      }
      switch kind {
      case 1, 2, 3, 7, 8, 9, 10, 11, 14, 16, 17, 18:
        if vlen != 0 { throw bad("vlen \(vlen) on a kind without a trailer list") }
      default: break
      }
      let trailer = offset + BTF.recordHeaderSize
      switch kind {
      case 1:  // INT
        switch sizeOrType { case 1, 2, 4, 8, 16: break; default: throw bad("INT size \(sizeOrType)") }
        let data = word(span, trailer)
        guard data & ~0x0FFF_00FF == 0 else { throw bad("INT data 0x\(String(data, radix: 16)) has unused bits") }
        let bits = data & 0xFF, bitOffset = (data >> 16) & 0xFF, encoding = (data >> 24) & 0x0F
        guard bits <= 128, bitOffset + bits <= sizeOrType * 8 else {
          throw bad("INT bits \(bits) at offset \(bitOffset) do not fit \(sizeOrType) bytes")
        }
        guard encoding == 0 || encoding == 1 || encoding == 2 || encoding == 4 else {
          throw bad("INT encoding \(encoding)")
        }
      case 2, 9, 10, 11:  // PTR and qualifiers: anonymous
        guard nameOff == 0 else { throw bad("\(Kind(rawValue: kind)?.kernelName ?? "") must be anonymous") }
        try ref(sizeOrType, id, offset)
      case 8, 18:  // TYPEDEF, TYPE_TAG
        guard nameOff != 0 else { throw bad("\(kind == 8 ? "TYPEDEF" : "TYPE_TAG") needs a name") }
        try ref(sizeOrType, id, offset)
      case 3:  // ARRAY
        guard nameOff == 0 else { throw bad("ARRAY must be anonymous") }
        try ref(word(span, trailer), id, offset)
        try ref(word(span, trailer + 4), id, offset)
      case 4, 5:  // STRUCT, UNION
        for m in 0 ..< vlen {
          let at = trailer + 12 * m
          try name(word(span, at), id, offset)
          let type = word(span, at + 4)
          try ref(type, id, offset)
          if type == 0 { throw bad("member #\(m) has type void") }
          if kindFlag {
            let raw = word(span, at + 8)
            let bitfield = raw >> 24, bitOffset = raw & 0xFF_FFFF
            if bitfield > 0 && UInt64(bitOffset) + UInt64(bitfield) > UInt64(sizeOrType) * 8 {
              throw bad("bitfield member #\(m) ends past the \(sizeOrType)-byte struct")
            }
          }
        }
      case 6, 19:  // ENUM, ENUM64
        // `enum E;` (a forward declaration) is an enum of size 0 without
        // values: clang writes it, libbpf reads it. The kernel refuses it,
        // so the sanitizer gives it a size before `BPF_BTF_LOAD`.
        switch sizeOrType {
        case 1, 2, 4, 8: break
        case 0 where vlen == 0: break
        default: throw bad("enum size \(sizeOrType)\(sizeOrType == 0 ? " with \(vlen) values (only a forward declaration has size 0)" : "")")
        }
        let stride = kind == 6 ? 8 : 12
        for e in 0 ..< vlen { try name(word(span, trailer + stride * e), id, offset) }
      case 7:  // FWD
        guard nameOff != 0 else { throw bad("FWD needs a name") }
      case 12:  // FUNC
        guard nameOff != 0 else { throw bad("FUNC needs a name") }
        guard vlen <= 2 else { throw bad("FUNC linkage \(vlen)") }
        try ref(sizeOrType, id, offset)
        guard kindNumber(span, sizeOrType) == 13 else { throw bad("FUNC type [\(sizeOrType)] is not a FUNC_PROTO") }
      case 13:  // FUNC_PROTO
        guard nameOff == 0 else { throw bad("FUNC_PROTO must be anonymous") }
        try ref(sizeOrType, id, offset)
        for p in 0 ..< vlen {
          let at = trailer + 8 * p
          try name(word(span, at), id, offset)
          let type = word(span, at + 4)
          try ref(type, id, offset)
          if type == 0 && p != vlen - 1 { throw bad("parameter #\(p) is void but not the last (vararg)") }
        }
      case 14:  // VAR
        guard nameOff != 0 else { throw bad("VAR needs a name") }
        try ref(sizeOrType, id, offset)
        guard word(span, trailer) <= 2 else { throw bad("VAR linkage \(word(span, trailer))") }
        // `extern void sym __ksym` (an untyped ksym) is a VAR of type void
        // with extern linkage (2), as clang writes it; nothing else may be.
        guard sizeOrType != 0 || word(span, trailer) == 2 else { throw bad("VAR of type void that is not extern") }
      case 15:  // DATASEC
        guard nameOff != 0 else { throw bad("DATASEC needs a name") }
        for v in 0 ..< vlen {
          let at = trailer + 12 * v
          let type = word(span, at), start = UInt64(word(span, at + 4)), size = UInt64(word(span, at + 8))
          try ref(type, id, offset)
          let k = kindNumber(span, type)
          guard k == 14 || k == 12 else { throw bad("DATASEC entry #\(v) is not a VAR or FUNC") }
          if sizeOrType != 0 && start + size > UInt64(sizeOrType) {
            throw .dataSectionVariableOutOfRange(typeID: id, offset: offset, index: v)
          }
        }
      case 16:  // FLOAT
        switch sizeOrType { case 2, 4, 8, 12, 16: break; default: throw bad("FLOAT size \(sizeOrType)") }
      case 17:  // DECL_TAG
        guard nameOff != 0 else { throw bad("DECL_TAG needs a name") }
        try ref(sizeOrType, id, offset)
        let component = Int32(bitPattern: word(span, trailer))
        guard component >= -1 else { throw bad("DECL_TAG component \(component)") }
        if component >= 0 {
          let k = kindNumber(span, sizeOrType)
          let limit: Int
          switch k {
          case 4, 5: limit = vlenOf(span, sizeOrType)
          case 12:
            let proto = (try? btf.rawTypeField(TypeID(sizeOrType))) ?? 0
            limit = vlenOf(span, proto)
          default: throw bad("DECL_TAG component \(component) on a kind without components")
          }
          guard Int(component) < limit else { throw bad("DECL_TAG component \(component) past \(limit)") }
        }
      default:
        throw .unknownKind(typeID: id, offset: offset, kind: kind)
      }
    }

    /// Follows modifier/typedef/array-element chains. Each local type is
    /// marked once: 0 new, 1 on the current chain, 2 known to end. A chain
    /// that meets a 1 loops; after a chain ends it is walked again to mark 2.
    ///
    /// - Parameter starts: where to start chains (all local types when nil).
    ///   Any loop has a member whose edge goes to an id not below its own, so
    ///   `SinglePass` passes only those: a walk from one finds its loop.
    func checkLoops(_ span: Words, starts: [Int]? = nil) throws(BTFError) {
      if let starts, starts.isEmpty { return }
      let total = offsets.count
      var state = [UInt8](repeating: 0, count: total)
      @inline(__always) func next(_ index: Int) -> Int? {
        let offset = Int(offsets[index])
        let target: UInt32
        switch kinds[index].rawValue {
        case 3: target = word(span, offset + BTF.recordHeaderSize)
        case 8, 9, 10, 11, 18: target = word(span, offset + 8)
        default: return nil
        }
        guard target >= first, target - first < UInt32(total) else { return nil }
        return Int(target - first)
      }
      func walk(from start: Int) throws(BTFError) {
        guard state[start] == 0 else { return }
        switch kinds[start] {
        case .array, .typedef, .volatile, .const, .restrict, .typeTag: break
        default: return  // cannot start a chain
        }
        var index = start
        while true {
          if state[index] == 2 { break }
          if state[index] == 1 {
            throw .referenceLoop(typeID: first + UInt32(index), offset: Int(offsets[index]))
          }
          state[index] = 1
          guard let following = next(index) else { break }
          index = following
        }
        index = start
        while state[index] == 1 {
          state[index] = 2
          guard let following = next(index) else { break }
          index = following
        }
      }
      if let starts {
        for start in starts { try walk(from: start) }
      } else {
        for start in 0 ..< total { try walk(from: start) }
      }
    }
  }
}
