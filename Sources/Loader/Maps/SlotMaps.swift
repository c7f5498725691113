import Syscall
import UAPI

/// A program array (`BPF_MAP_TYPE_PROG_ARRAY`): the slots `bpf_tail_call`
/// jumps through, each holding a loaded program or nothing.
public struct ProgramArray: Sendable {
  /// The map handle the view writes through.
  public let map: LoadedObject.Map

  /// A view of `map`; throws `wrongType` for other map types and
  /// `sizeMismatch` unless key and value are `u32`s.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard map.type == .progArray else {
      throw .wrongType(map: map.name, type: map.type, use: "ProgramArray serves program arrays")
    }
    guard map.keySize == 4, map.valueSize == 4 else {
      throw .sizeMismatch(map: map.name, part: map.keySize == 4 ? .value : .key, swiftType: "UInt32",
                          swiftSize: 4, mapSize: Int(map.keySize == 4 ? map.valueSize : map.keySize))
    }
    self.map = map
  }

  /// Puts `program` in slot `index`. Kernel: `BPF_MAP_UPDATE_ELEM` with the
  /// program's descriptor as the value (the map then holds the program).
  public func set(_ index: UInt32, to program: LoadedObject.Program) throws(MapError) {
    try program.withDescriptor(closed: { MapError.closed(map: program.name) }) { (programFD) throws(MapError) in
      try SlotWriter(map: map).set(index, descriptor: programFD)
    }
  }

  /// Empties slot `index`; false when it was empty.
  @discardableResult
  public func clear(_ index: UInt32) throws(MapError) -> Bool { try SlotWriter(map: map).clear(index) }
}

/// A map of maps (`BPF_MAP_TYPE_ARRAY_OF_MAPS`, `HASH_OF_MAPS`) with `u32`
/// keys: each slot holds an inner map compatible with the map's template.
public struct MapOfMaps: Sendable {
  /// The map handle the view reads and writes through.
  public let map: LoadedObject.Map

  /// A view of `map`; throws `wrongType` for maps that hold no maps and
  /// `sizeMismatch` when its key is not a `u32`.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard map.type == .arrayOfMaps || map.type == .hashOfMaps else {
      throw .wrongType(map: map.name, type: map.type, use: "MapOfMaps serves array-of-maps and hash-of-maps")
    }
    guard map.keySize == 4 else {
      throw .sizeMismatch(map: map.name, part: .key, swiftType: "UInt32", swiftSize: 4, mapSize: Int(map.keySize))
    }
    self.map = map
  }

  /// Puts `inner` under `key`. Kernel: `BPF_MAP_UPDATE_ELEM` with the inner
  /// map's descriptor as the value (`EINVAL` when it does not match the
  /// outer map's inner template).
  public func set(_ key: UInt32, to inner: LoadedObject.Map) throws(MapError) {
    try inner.withDescriptor(closed: { MapError.closed(map: inner.name) }) { (innerFD) throws(MapError) in
      try SlotWriter(map: map).set(key, descriptor: innerFD)
    }
  }

  /// The kernel id of the inner map under `key`, nil when the slot is empty.
  /// Kernel: a lookup from user space returns the inner map's id.
  public func innerMapID(_ key: UInt32) throws(MapError) -> UInt32? {
    try TypedMap<UInt32, UInt32>(uncheckedFor: map).lookup(key)
  }

  /// Empties `key`; false when it was empty.
  @discardableResult
  public func clear(_ key: UInt32) throws(MapError) -> Bool { try SlotWriter(map: map).clear(key) }
}

/// Writes descriptors into `u32`-keyed slots (program arrays, map of maps).
struct SlotWriter {
  let map: LoadedObject.Map

  func set(_ key: UInt32, descriptor: BorrowedFD) throws(MapError) {
    try TypedMap<UInt32, UInt32>(uncheckedFor: map).update(key, UInt32(bitPattern: descriptor.rawValue))
  }

  func clear(_ key: UInt32) throws(MapError) -> Bool {
    try TypedMap<UInt32, UInt32>(uncheckedFor: map).delete(key)
  }
}

extension TypedMap {
  /// A view for maps whose values are descriptors or ids (no type check:
  /// the callers above checked the map).
  init(uncheckedFor map: LoadedObject.Map) throws(MapError) {
    self.map = map
    key = try ElementLayout(Key.self, mapSize: map.keySize, part: .key, map: map.name)
    value = try ElementLayout(Value.self, mapSize: 4, part: .value, map: map.name)
  }
}
