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
    /// Exact-name lookups answered so far by scanning the records (see
    /// `scansInsteadOfIndexing`). Only a counter: no data depend on it.
    let nameScans = Atomic<Int>(0)
  }

  /// An open-addressing hash table from name bytes to the local type ids
  /// carrying that name (or that essential name).
  ///
  /// One array of `hash << 32 | id` (0 = empty slot; local ids are never 0),
  /// not two parallel arrays: an insert or a probe then touches one cache
  /// line, and the build, which is one random write per named type, halves
  /// its cache misses. Length is a power of two, at least 1.5 times the
  /// named types.
  struct NameTable: Sendable {
    var entries: [UInt64]
    var mask: Int
  }

  func nameTable(essential: Bool) -> NameTable {
    // Building under the lock: a concurrent first use waits, then shares.
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

  /// Whether the name index has been built (tests check the scan path).
  var hasNameIndex: Bool { caches.names.withLock { $0 != nil } }

  private func buildNameTable(essential: Bool) -> NameTable {
    let order = byteOrder
    let offsets = offsets
    // Size for the named types only (on vmlinux 6 in 10; pointers, protos,
    // modifiers are anonymous): at most 2/3 full keeps probes short, and the
    // smaller table halves the build's page faults and cache misses.
    let named = storage.withSpan { span in
      offsets.reduce(0) { $0 + (span.u32Unchecked(Int($1), order) != 0 ? 1 : 0) }
    }
    var capacity = 16
    while capacity < named + named / 2 { capacity <<= 1 }
    let mask = capacity - 1
    let layout = layout
    let first = firstLocalID.rawValue
    let stringBase = stringBase
    let base = base
    var entries = [UInt64](repeating: 0, count: capacity)
    @inline(__always) func insert(_ table: UnsafeMutableBufferPointer<UInt64>, _ h: UInt32, _ index: Int) {
      var slot = Int(h) & mask
      while table[slot] != 0 { slot = (slot + 1) & mask }
      table[slot] = UInt64(h) << 32 | UInt64(first + UInt32(index))
    }
    entries.withUnsafeMutableBufferPointer { table in
      storage.withSpan { span in
        let stringEnd = layout.stringStart + layout.stringLength
        for index in offsets.indices {
          // Parsing proved every record and name offset in range.
          let nameOff = span.u32Unchecked(Int(offsets[index]), order)
          // Names below stringBase live in the base (split BTF), done below.
          if nameOff == 0 || nameOff < stringBase { continue }
          let start = layout.stringStart + Int(nameOff - stringBase)
          let h: UInt32
          if essential {
            let count = BTF.lengthNulTerminated(span, start, stringEnd)
            let length = BTF.mayHaveFlavor(span, start, count)
              ? BTF.essentialLength(count: count) { span.byteUnchecked(start + $0) } : count
            h = BTF.hash(span, start, length)
          } else {
            h = BTF.hashNulTerminated(span, start, stringEnd)
          }
          insert(table, h, index)
        }
      }
      // Split BTF: names that live in the base's string table (in split BTF,
      // local offsets below the base's length are base strings).
      guard let base, stringBase > 0 else { return }
      for index in offsets.indices {
        let nameOff = storage.withSpan { $0.u32Unchecked(Int(offsets[index]), order) }
        guard nameOff != 0, nameOff < stringBase else { continue }
        let h: UInt32? = try? base.withNameBytes(Name(offset: nameOff)) { span, start, length in
          let n = essential ? BTF.essentialLength(count: length) { span.byteUnchecked(start + $0) } : length
          return BTF.hash(span, start, n)
        }
        guard let h else { continue }
        insert(table, h, index)
      }
    }
    return NameTable(entries: entries, mask: mask)
  }
}
