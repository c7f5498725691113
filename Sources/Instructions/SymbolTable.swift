/// The symbols of one code section, for llvm-objdump's jump-target labels
/// and block headers.
///
/// llvm-objdump labels a jump target with the nearest symbol at or before
/// the target's byte address (`prog+0x80`, or `LBB0_3` when that local
/// label exists), comparing addresses as unsigned 64-bit numbers, so a jump
/// before the section start names the last symbol with a huge offset. Of
/// several symbols at one address, it shows the last one.
///
/// Pass function and label symbols (not section or file symbols) in symbol
/// table order.
public struct SymbolTable: Sendable, Hashable {
  /// The symbols kept, one per slot, sorted by slot.
  public var entries: [Entry] { storage }
  private var storage: [Entry]

  /// A symbol: its name and the slot index it starts at.
  public struct Entry: Hashable, Sendable {
    /// The symbol name (`prog`, `LBB0_3`).
    public var name: String
    /// The slot index (byte address / 8) where it starts.
    public var slot: Int
    /// A symbol at `slot`.
    public init(name: String, slot: Int) {
      self.name = name
      self.slot = slot
    }
  }

  /// A table from symbols in symbol table order; of several symbols at one
  /// slot the last is kept, as llvm-objdump shows it.
  public init(_ symbols: [(name: String, slot: Int)]) {
    var sorted = symbols.enumerated().map { (order: $0.offset, name: $0.element.name, slot: $0.element.slot) }
    sorted.sort { ($0.slot, $0.order) < ($1.slot, $1.order) }
    var kept: [Entry] = []
    kept.reserveCapacity(sorted.count)
    for symbol in sorted {
      if let last = kept.last, last.slot == symbol.slot {
        kept[kept.count - 1].name = symbol.name  // the last at one address wins
      } else {
        kept.append(Entry(name: symbol.name, slot: symbol.slot))
      }
    }
    storage = kept
  }

  /// The number of symbols kept (one per slot).
  public var count: Int { storage.count }

  /// The same table with `name` at slot 0 when no symbol is there, as
  /// llvm-objdump names code before the first symbol after its section.
  public func withSectionStart(named name: String) -> SymbolTable {
    if let first = storage.first, first.slot == 0 { return self }
    var copy = self
    copy.storage.insert(Entry(name: name, slot: 0), at: 0)
    return copy
  }

  /// The label llvm-objdump prints for a jump to `slot` (without angle
  /// brackets): `name` or `name+0xoffset` (byte offset), nil when no
  /// symbol is at or before it.
  public func label(forSlot slot: Int) -> String? {
    let address = UInt64(bitPattern: Int64(slot) &* 8)
    // Binary search for the last entry at or before the target. Symbol
    // slots come from unsigned ELF values, so sorting by slot is sorting by
    // unsigned address; a negative jump target wraps to a huge address.
    var low = 0
    var high = storage.count
    while low < high {
      let mid = (low + high) / 2
      if UInt64(bitPattern: Int64(storage[mid].slot) &* 8) <= address { low = mid + 1 } else { high = mid }
    }
    guard low > 0 else { return nil }
    let symbol = storage[low - 1]
    let delta = address &- UInt64(bitPattern: Int64(symbol.slot) &* 8)
    return delta == 0 ? symbol.name : symbol.name + "+0x" + String(delta, radix: 16)
  }
}
