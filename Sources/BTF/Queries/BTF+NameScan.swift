import Synchronization
import UAPI

/// Exact-name lookups by scanning the records, before the index exists.
///
/// Why: building the name index hashes every name (about 1.5 ms on vmlinux),
/// while a program that looks up one or two names (`task_struct` is id 114)
/// is done after a few records when it scans and stops at the first match,
/// and a full scan costs about what one build does. So the first
/// `scanLimit` exact-name lookups of a `BTF` scan and the next one builds
/// the index; a caller doing many lookups pays the build once, early.
/// Essential-name (CO-RE) lookups always use their index: relocations come
/// by the dozen.
extension BTF {
  /// How many exact-name lookups scan before the index is built.
  static var scanLimit: Int { 4 }

  /// Whether this lookup should scan: the index does not exist yet and
  /// fewer than `scanLimit` lookups have scanned. Counting is atomic, so
  /// concurrent lookups agree on who scans; scanning reads only immutable
  /// data, and the index, when built, is built once under its lock.
  func scansInsteadOfIndexing() -> Bool {
    if hasNameIndex { return false }
    return caches.nameScans.add(1, ordering: .relaxed).newValue <= BTF.scanLimit
  }

  /// Appends the local types named `utf8` (of `kind`) in id order, or only
  /// the first with `firstOnly`, by reading every record's name offset.
  func scanNames(
    _ utf8: UnsafeBufferPointer<UInt8>, kind: Kind?, firstOnly: Bool, into result: inout [TypeID]
  ) {
    let order = byteOrder, layout = layout, stringBase = stringBase
    let first = firstLocalID.rawValue
    let offsets = offsets, kinds = kinds
    let base = base
    let count = utf8.count
    storage.withSpan { span in
      let stringEnd = layout.stringStart + layout.stringLength
      for index in offsets.indices {
        // The kinds array is dense: filtering on it first keeps the scan
        // away from most records and their names.
        if let kind, kinds[index] != kind { continue }
        let nameOff = span.u32Unchecked(Int(offsets[index]), order)
        guard nameOff != 0 else { continue }
        let equal: Bool
        if nameOff < stringBase {
          // Split BTF: a name in the base's string table.
          equal = base.map { base in
            (try? base.withNameBytes(Name(offset: nameOff)) { span, start, length in
              BTF.bytes(span, start, length, equal: utf8)
            }) ?? false
          } ?? false
        } else {
          // Parsing proved the offset inside the table, whose last byte is NUL.
          let start = layout.stringStart + Int(nameOff - stringBase)
          equal = stringEnd - start > count && span.byteUnchecked(start + count) == 0
            && BTF.bytes(span, start, count, equal: utf8)
        }
        guard equal else { continue }
        result.append(TypeID(first + UInt32(index)))
        if firstOnly { return }
      }
    }
  }

  /// Whether `length` bytes at `start` spell `utf8`.
  @inline(__always)
  static func bytes(_ span: RawSpan, _ start: Int, _ length: Int, equal utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    guard length == utf8.count else { return false }
    for i in 0 ..< length where span.byteUnchecked(start + i) != utf8[i] { return false }
    return true
  }
}
