import Synchronization
import UAPI

extension BTF {
  /// Indexes built on first use and shared by all copies of a `BTF`.
  ///
  /// A `Mutex` guards each slot, so concurrent first uses build it once.
  final class Caches: Sendable {
    let names = Mutex<NameTable?>(nil)
    let essentialNames = Mutex<NameTable?>(nil)
    let pointerSize = Mutex<Int?>(nil)
  }

  /// An open-addressing hash table from name bytes to the local type ids
  /// carrying that name (or that essential name).
  struct NameTable: Sendable {
    /// Type ids (0 = empty slot); length is a power of two.
    var slots: [UInt32]
    var hashes: [UInt32]
    var mask: Int
  }

  func nameTable(essential: Bool) -> NameTable {
    if essential {
      return caches.essentialNames.withLock { cached in
        if let cached { return cached }
        let table = buildNameTable(essential: true)
        cached = table
        return table
      }
    }
    return caches.names.withLock { cached in
      if let cached { return cached }
      let table = buildNameTable(essential: false)
      cached = table
      return table
    }
  }

  private func buildNameTable(essential: Bool) -> NameTable {
    var capacity = 16
    while capacity < offsets.count * 2 { capacity <<= 1 }
    var slots = [UInt32](repeating: 0, count: capacity)
    var hashes = [UInt32](repeating: 0, count: capacity)
    let mask = capacity - 1
    let order = byteOrder
    let layout = layout
    let first = firstLocalID.rawValue
    let stringBase = stringBase
    let base = base
    storage.withSpan { span in
      let stringEnd = layout.stringStart + layout.stringLength
      for (index, offset) in offsets.enumerated() {
        let nameOff = span.u32Unchecked(Int(offset), order)
        if nameOff == 0 { continue }
        // Names below stringBase live in the base (split BTF), done below.
        guard nameOff >= stringBase else { continue }
        let start = layout.stringStart + Int(nameOff - stringBase)
        var end = start
        while end < stringEnd && span.byteUnchecked(end) != 0 { end += 1 }
        var length = end - start
        if essential { length = BTF.essentialLength(count: length) { span.byteUnchecked(start + $0) } }
        let h = BTF.hash(span, start, length)
        var i = Int(h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = first + UInt32(index)
        hashes[i] = h
      }
    }
    // Split BTF: names that live in the base's string table.
    if let base {
      for (index, offset) in offsets.enumerated() {
        let nameOff = storage.withSpan { $0.u32Unchecked(Int(offset), order) }
        guard nameOff != 0, nameOff < stringBase else { continue }
        // In split BTF, local offsets below the base's length are base strings.
        let h: UInt32? = try? base.withNameBytes(Name(offset: nameOff)) { span, start, length in
          let n = essential ? BTF.essentialLength(count: length) { span.byteUnchecked(start + $0) } : length
          return BTF.hash(span, start, n)
        }
        guard let h else { continue }
        var i = Int(h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = first + UInt32(index)
        hashes[i] = h
      }
    }
    return NameTable(slots: slots, hashes: hashes, mask: mask)
  }
}
