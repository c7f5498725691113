import UAPI

/// The parse's fast path: one pass over the type section that both indexes
/// the records and checks them.
///
/// Why a second implementation next to `indexTypes` + `Checker`: those two
/// walk the records twice, and the checker pays a call, a large stack frame
/// and an error value's set-up per record (on vmlinux about 2 ms of a 2.5 ms
/// parse). This pass keeps every rule but only *proves* a blob valid: it
/// folds the per-field checks into running maxima (largest string offset,
/// largest referenced id) tested once at the end, and on the first doubt
/// returns nil. The caller then runs the precise two-pass path, which finds
/// and names the defect. So the precise path stays the definition of what is
/// valid and of every error, and this pass must accept only blobs that path
/// accepts (`SinglePassTests` compares them on mutated blobs).
///
/// What one forward pass cannot know is left to the precise checker, for
/// the few records that need it (`recheck`): a FUNC whose prototype, a
/// DATASEC whose variable, or a DECL_TAG whose target comes later in the
/// section or lives in the base. Loops (`loopStarts`): a reference loop
/// through modifiers, typedefs and array elements must contain an edge to
/// an id not below its own (ids cannot fall all the way round), so only the
/// chains that start at such an edge are walked.
extension BTF {
  struct SinglePass {
    /// Record offsets and kinds, as `BTF.offsets` and `BTF.kinds`.
    var offsets: [UInt32]
    var kinds: [Kind]
    /// Local indexes the precise checker must check again (see above).
    var recheck: [Int]
    /// Local indexes of chain records that point at an id not below their own.
    var loopStarts: [Int]

    /// Indexes and checks every record, or returns nil when anything is
    /// wrong or out of this pass's reach (the caller then takes the precise
    /// path, which throws the error).
    static func run(
      _ words: Words, byteCount: Int, _ layout: Layout, firstID: UInt32, totalStrings: UInt32
    ) -> SinglePass? {
      guard byteCount <= Int(UInt32.max) else { return nil }
      // Every record is at least 12 bytes, so this bounds the count: the
      // arrays never grow, and the pages past the real count are never
      // touched (so never resident).
      let capacity = layout.typeLength / recordHeaderSize
      // Ids must stay below UInt32.max (the precise path's "too many types").
      guard UInt64(firstID) + UInt64(capacity) < UInt64(UInt32.max) else { return nil }
      var recheck = [Int]()
      var loopStarts = [Int]()
      var count: Int? = nil
      var kinds = [Kind]()
      let offsets = [UInt32](unsafeUninitializedCapacity: capacity) { offsetBuffer, offsetCount in
        kinds = [Kind](unsafeUninitializedCapacity: capacity) { kindBuffer, kindCount in
          // One copy of the loop per byte order, so no load tests the order.
          count = words.swap
            ? scan(SwappedWords(base: words.base), layout, firstID, totalStrings,
                   offsetBuffer, kindBuffer, &recheck, &loopStarts)
            : scan(NativeWords(base: words.base), layout, firstID, totalStrings,
                   offsetBuffer, kindBuffer, &recheck, &loopStarts)
          kindCount = count ?? 0
        }
        offsetCount = count ?? 0
      }
      guard count != nil else { return nil }
      return SinglePass(offsets: offsets, kinds: kinds, recheck: recheck, loopStarts: loopStarts)
    }

    // Bit masks over kind numbers, for the checks every kind shares.
    /// Kinds whose `kind_flag` means something: STRUCT, UNION, ENUM, FWD,
    /// DECL_TAG, TYPE_TAG, ENUM64.
    static let flagKinds: UInt32 = 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 17 | 1 << 18 | 1 << 19
    /// Kinds without a trailer list, whose vlen must be 0.
    static let noListKinds: UInt32 = 1 << 1 | 1 << 2 | 1 << 3 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10
      | 1 << 11 | 1 << 14 | 1 << 16 | 1 << 17 | 1 << 18
    /// Kinds that must have a name: FWD, TYPEDEF, FUNC, VAR, DATASEC,
    /// DECL_TAG, TYPE_TAG.
    static let namedKinds: UInt32 = 1 << 7 | 1 << 8 | 1 << 12 | 1 << 14 | 1 << 15 | 1 << 17 | 1 << 18
    /// Kinds that must be anonymous: PTR, ARRAY, VOLATILE, CONST, RESTRICT,
    /// FUNC_PROTO.
    static let anonymousKinds: UInt32 = 1 << 2 | 1 << 3 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 13

    /// `Kind(rawValue:)`, which the optimizer did not inline here (9% of
    /// the pass in a profile); this switch becomes a table lookup.
    @inline(__always)
    static func knownKind(_ number: UInt32) -> Kind? {
      switch number {
      case 1: return .integer
      case 2: return .pointer
      case 3: return .array
      case 4: return .struct
      case 5: return .union
      case 6: return .enum
      case 7: return .forward
      case 8: return .typedef
      case 9: return .volatile
      case 10: return .const
      case 11: return .restrict
      case 12: return .function
      case 13: return .functionPrototype
      case 14: return .variable
      case 15: return .dataSection
      case 16: return .float
      case 17: return .declarationTag
      case 18: return .typeTag
      case 19: return .enum64
      default: return nil  // 0 (void) has no record; 20...31 are unknown
      }
    }

    /// The loop of `run`; returns the record count or nil. Writes exactly
    /// `count` elements of each buffer.
    private static func scan<W: WordLoads>(
      _ w: W, _ layout: Layout, _ first: UInt32, _ totalStrings: UInt32,
      _ offsets: UnsafeMutableBufferPointer<UInt32>, _ kinds: UnsafeMutableBufferPointer<Kind>,
      _ recheck: inout [Int], _ loopStarts: inout [Int]
    ) -> Int? {
      let end = layout.typeStart + layout.typeLength
      var position = layout.typeStart
      var index = 0
      // Folded checks: the largest string offset and type id seen, tested
      // against the table length and the type count after the loop.
      var maxName: UInt32 = 0
      var maxRef: UInt32 = 0
      while position < end {
        guard end - position >= recordHeaderSize, index < offsets.count else { return nil }
        let id = first &+ UInt32(truncatingIfNeeded: index)  // run() proved no overflow
        let nameOff = w.u32(position), info = w.u32(position + 4), field = w.u32(position + 8)
        // 7 bits: a kind past 31 is unknown here (nil below), not kind & 31.
        let kindNumber = (info >> 24) & 0x7F
        let vlen = Int(info & 0xFFFF)
        let bit: UInt32 = kindNumber < 32 ? 1 << kindNumber : 0
        guard info & 0x60FF_0000 == 0,
              info >> 31 == 0 || flagKinds & bit != 0,
              vlen == 0 || noListKinds & bit == 0,
              nameOff != 0 || namedKinds & bit == 0,
              nameOff == 0 || anonymousKinds & bit == 0,
              let kind = knownKind(kindNumber)
        else { return nil }
        maxName = max(maxName, nameOff)
        let trailer = position + recordHeaderSize
        let room = end - trailer
        let trailerSize: Int
        switch kind {
        case .void, .unknown:
          return nil
        case .integer:
          trailerSize = 4
          guard room >= 4 else { return nil }
          switch field { case 1, 2, 4, 8, 16: break; default: return nil }
          let data = w.u32(trailer)
          let bits = data & 0xFF, bitOffset = (data >> 16) & 0xFF, encoding = (data >> 24) & 0x0F
          guard data & ~0x0FFF_00FF == 0, bits <= 128, bitOffset + bits <= field * 8,
                encoding == 0 || encoding == 1 || encoding == 2 || encoding == 4
          else { return nil }
        case .pointer:
          trailerSize = 0
          maxRef = max(maxRef, field)
        case .volatile, .const, .restrict, .typedef, .typeTag:
          trailerSize = 0
          maxRef = max(maxRef, field)
          if field >= id { loopStarts.append(index) }
        case .array:
          trailerSize = 12
          guard room >= 12 else { return nil }
          let element = w.u32(trailer)
          maxRef = max(maxRef, element, w.u32(trailer + 4))
          if element >= id { loopStarts.append(index) }
        case .struct, .union:
          trailerSize = 12 * vlen
          guard room >= trailerSize else { return nil }
          var noVoid = true
          var at = trailer
          if info >> 31 == 0 {
            for _ in 0 ..< vlen {
              let type = w.u32(at + 4)
              maxName = max(maxName, w.u32(at))
              maxRef = max(maxRef, type)
              noVoid = noVoid && type != 0
              at += 12
            }
          } else {
            // Bitfield offsets: a member with a bit size must end inside.
            let bitSize = UInt64(field) * 8
            var fits = true
            for _ in 0 ..< vlen {
              let type = w.u32(at + 4), raw = w.u32(at + 8)
              maxName = max(maxName, w.u32(at))
              maxRef = max(maxRef, type)
              noVoid = noVoid && type != 0
              let bitfield = raw >> 24
              fits = fits && (bitfield == 0 || UInt64(raw & 0xFF_FFFF) + UInt64(bitfield) <= bitSize)
              at += 12
            }
            guard fits else { return nil }
          }
          guard noVoid else { return nil }
        case .enum, .enum64:
          let stride = kind == .enum ? 8 : 12
          trailerSize = stride * vlen
          guard room >= trailerSize else { return nil }
          // Size 0 only for a forward declaration (`enum E;`, no values).
          switch field { case 1, 2, 4, 8: break; case 0 where vlen == 0: break; default: return nil }
          var at = trailer
          for _ in 0 ..< vlen {
            maxName = max(maxName, w.u32(at))
            at += stride
          }
        case .forward:
          trailerSize = 0
        case .function:
          trailerSize = 0
          guard vlen <= 2 else { return nil }
          maxRef = max(maxRef, field)
          // The prototype's kind is known only if it came before.
          if field >= first && field < id {
            guard kinds[Int(field - first)] == .functionPrototype else { return nil }
          } else {
            recheck.append(index)
          }
        case .functionPrototype:
          trailerSize = 8 * vlen
          guard room >= trailerSize else { return nil }
          maxRef = max(maxRef, field)
          var at = trailer
          var voidBeforeLast = false
          for p in 0 ..< vlen {
            let type = w.u32(at + 4)
            maxName = max(maxName, w.u32(at))
            maxRef = max(maxRef, type)
            // Only the last parameter may be void (a vararg `...`).
            voidBeforeLast = voidBeforeLast || (type == 0 && p != vlen - 1)
            at += 8
          }
          guard !voidBeforeLast else { return nil }
        case .variable:
          trailerSize = 4
          // Type void only for an extern (an untyped ksym), as in the precise check.
          guard room >= 4, w.u32(trailer) <= 2, field != 0 || w.u32(trailer) == 2 else { return nil }
          maxRef = max(maxRef, field)
        case .dataSection:
          trailerSize = 12 * vlen
          guard room >= trailerSize else { return nil }
          var at = trailer
          var inside = true
          var known = true
          for _ in 0 ..< vlen {
            let type = w.u32(at), start = UInt64(w.u32(at + 4)), size = UInt64(w.u32(at + 8))
            maxRef = max(maxRef, type)
            inside = inside && (field == 0 || start + size <= UInt64(field))
            if type >= first && type < id {
              let k = kinds[Int(type - first)]
              guard k == .variable || k == .function else { return nil }
            } else {
              known = false
            }
            at += 12
          }
          guard inside else { return nil }
          if !known { recheck.append(index) }
        case .float:
          trailerSize = 0
          switch field { case 2, 4, 8, 12, 16: break; default: return nil }
        case .declarationTag:
          trailerSize = 4
          guard room >= 4 else { return nil }
          maxRef = max(maxRef, field)
          let component = Int32(bitPattern: w.u32(trailer))
          guard component >= -1 else { return nil }
          // A component index needs the target's member or parameter count.
          if component >= 0 { recheck.append(index) }
        }
        guard room >= trailerSize else { return nil }
        offsets[index] = UInt32(truncatingIfNeeded: position)
        kinds.initializeElement(at: index, to: kind)
        // Cannot overflow: both are below the blob's size, itself below 4 GiB.
        position = trailer &+ trailerSize
        index &+= 1
      }
      let typeCount = UInt64(first) + UInt64(index)
      guard maxName < totalStrings, UInt64(maxRef) < typeCount else { return nil }
      return index
    }
  }
}

/// 32-bit loads for `SinglePass`, one type per byte order so that the
/// specialized loop has no per-load order test (`Words` tests a flag).
protocol WordLoads {
  func u32(_ offset: Int) -> UInt32
}

/// Loads of a blob in the host's byte order.
struct NativeWords: WordLoads {
  let base: UnsafeRawPointer
  @inline(__always)
  func u32(_ offset: Int) -> UInt32 { base.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
}

/// Loads of a blob in the other byte order.
struct SwappedWords: WordLoads {
  let base: UnsafeRawPointer
  @inline(__always)
  func u32(_ offset: Int) -> UInt32 { base.loadUnaligned(fromByteOffset: offset, as: UInt32.self).byteSwapped }
}
