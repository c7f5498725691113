import UAPI

/// BPF Type Format: a parsed `.BTF` blob (a BPF object's types, the kernel's
/// `/sys/kernel/btf/vmlinux`, or a module's split BTF on top of it).
///
/// Parsing builds only an index of record offsets and validates every record
/// (sizes, string offsets, type ids, loops); types are decoded on demand as
/// `Descriptor`s with `btf[id]`, trailers are read through views
/// (`members(of:)`, ...). The bytes are never copied: a `BTF` holds the caller's
/// array or a read-only mapping of the file, shared by all copies.
public struct BTF: Sendable {
  let storage: Storage
  /// Byte order of the blob, found from the magic.
  public let byteOrder: ByteOrder
  let layout: Layout
  /// `offsets[i]` = start of the record of type id `firstLocalID + i`, from the
  /// start of the blob.
  let offsets: [UInt32]
  /// `kinds[i]`: the kind of the same record (one byte each, so kind tests
  /// and the validation's cross-checks need not touch the records).
  let kinds: [Kind]
  let baseBox: BaseBox?
  /// The first id this blob defines: 1, or the base's `typeCount` for split BTF.
  public let firstLocalID: TypeID
  /// Offset of this blob's strings in the global string offset space: 0, or
  /// the base's string table length for split BTF.
  let stringBase: UInt32
  let caches: Caches

  /// Where the header says things are, in absolute blob offsets.
  struct Layout: Sendable {
    var version: UInt8
    var flags: UInt8
    var headerLength: Int
    var typeStart: Int
    var typeLength: Int
    var stringStart: Int
    var stringLength: Int
    /// The layout section's entries by kind number (empty: none). Split
    /// BTF without its own uses its base's, as libbpf does.
    var kindLayouts: [KindLayout] = []
  }

  /// How a kind's records are laid out, from the layout section.
  ///
  /// Kernel: `struct btf_layout` in `include/uapi/linux/btf.h` (2026).
  struct KindLayout: Sendable, Equatable {
    /// Bytes of the single item after `struct btf_type` (`info_sz`).
    var infoSize: UInt8
    /// Bytes of each of the vlen items after that (`elem_sz`).
    var elementSize: UInt8
    /// Unused by the format so far.
    var flags: UInt16
  }

  final class BaseBox: Sendable {
    let btf: BTF
    init(_ btf: BTF) { self.btf = btf }
  }

  /// Parses a blob held in an array (not copied).
  ///
  /// - Parameters:
  ///   - bytes: a raw BTF blob (`/sys/kernel/btf/*`, an object's `.BTF`
  ///     section), header first, in either byte order.
  ///   - base: the BTF this one extends (split BTF: a module on top of
  ///     vmlinux). Ids and string offsets continue after the base's.
  /// - Throws: `BTFError` for a bad header or a malformed type record; the
  ///   error names the offset.
  public init(bytes: [UInt8], base: BTF? = nil) throws(BTFError) {
    try self.init(storage: Storage(array: bytes), base: base)
  }

  /// Maps (or reads) a raw BTF file, e.g. `/sys/kernel/btf/vmlinux`.
  public init(contentsOf path: String, base: BTF? = nil) throws(BTFError) {
    try self.init(storage: Storage.open(path: path), base: base)
  }

  /// - Parameter precise: skip the one-pass fast path and take the precise
  ///   two passes (tests compare the two).
  init(storage: Storage, base: BTF?, precise: Bool = false) throws(BTFError) {
    var (order, layout) = try storage.withSpan { (span) throws(BTFError) in
      try BTF.parseHeader(span, hasBase: base != nil)
    }
    if layout.kindLayouts.isEmpty, let base { layout.kindLayouts = base.layout.kindLayouts }
    let first = base.map { UInt32($0.typeCount) } ?? 1
    let stringBase = base.map { $0.totalStringLength } ?? 0
    // The fast path indexes and checks in one pass; when it cannot vouch for
    // the blob, the precise two passes below decide and name the defect.
    let fast = precise ? nil : storage.withWords(order) { words in
      SinglePass.run(words, byteCount: storage.count, layout, firstID: first,
                     totalStrings: stringBase + UInt32(layout.stringLength))
    }
    let offsets: [UInt32], kinds: [Kind]
    if let fast {
      (offsets, kinds) = (fast.offsets, fast.kinds)
    } else {
      (offsets, kinds) = try storage.withSpan { (span) throws(BTFError) in
        try BTF.indexTypes(span, order, layout, firstID: first, kindLayouts: layout.kindLayouts)
      }
    }
    self.storage = storage
    self.byteOrder = order
    self.layout = layout
    self.offsets = offsets
    self.kinds = kinds
    self.baseBox = base.map(BaseBox.init)
    self.firstLocalID = TypeID(first)
    self.stringBase = stringBase
    self.caches = Caches()
    if let fast {
      try validateRemainder(recheck: fast.recheck, loopStarts: fast.loopStarts)
    } else {
      try validate()
    }
  }

  /// The BTF this one extends, for split BTF.
  public var base: BTF? { baseBox?.btf }

  /// Number of type ids, counting `void` (id 0) and the base's types: valid
  /// ids are `0 ..< typeCount`.
  public var typeCount: Int { Int(firstLocalID.rawValue) + offsets.count }

  /// The ids this blob defines (excluding the base's and `void`).
  public var localTypeIDs: Range<UInt32> {
    firstLocalID.rawValue ..< firstLocalID.rawValue + UInt32(offsets.count)
  }

  /// All type ids including the base's, without `void`.
  public var allTypeIDs: Range<UInt32> { 1 ..< UInt32(typeCount) }

  /// Header version (always 1) and flags (always 0 today).
  public var version: UInt8 { layout.version }
  /// The header's flags byte (0: the format defines none).
  public var flags: UInt8 { layout.flags }

  /// String table length of this blob plus its bases.
  var totalStringLength: UInt32 { stringBase + UInt32(layout.stringLength) }

  /// Size of the blob in bytes.
  public var byteCount: Int { storage.count }

  /// The raw bytes of this blob (a copy).
  public var bytes: [UInt8] { storage.copyBytes(0 ..< storage.count) }

  /// Where type `id`'s record starts in this blob, or nil for void/base ids.
  func recordOffset(_ id: TypeID) -> Int? {
    let raw = id.rawValue
    guard raw >= firstLocalID.rawValue else { return nil }
    let index = Int(raw - firstLocalID.rawValue)
    guard index < offsets.count else { return nil }
    return Int(offsets[index])
  }
}
