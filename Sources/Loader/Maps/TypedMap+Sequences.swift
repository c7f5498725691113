/// Walking a map's keys and entries.
///
/// The walk is the kernel's next-key chain: each step asks for the key after
/// the previous one. When an entry is deleted while the walk is under way
/// (by a program or another thread), the kernel answers the next step of a
/// hash map with its first key again, so the walk restarts and may repeat
/// keys — as with libbpf's `bpf_map_get_next_key` loops. Take
/// `collectKeys()` once to get each key at most once; a walk stops early
/// (without an error) if the map is closed meanwhile or the kernel fails,
/// which the throwing `collectKeys()`/`collectEntries()` report instead.
//
// The sequences and their iterators are `@inlinable` so that they are
// specialized for the caller's `Key` and `Value`: unspecialized, every step
// looked up generic metadata for the closures on the way to the system
// call (`swift_getGenericMetadata` was 14% of a 1M-key walk, which took
// 1.8× libbpf's time).
extension TypedMap {
  /// The keys, in the kernel's order.
  @inlinable public var keys: Keys { Keys(map: self) }

  /// The entries, in the kernel's order; an entry deleted between reading
  /// its key and its value is skipped.
  @inlinable public var entries: Entries { Entries(map: self) }

  /// Every key once (duplicates from a restarted walk dropped), or the error.
  public func collectKeys() throws(MapError) -> [Key] {
    var result: [Key] = []
    var seen = Set<[UInt8]>()
    var previous: Key? = nil
    while let next = try nextKey(after: previous) {
      if seen.insert(Self.bytes(of: next)).inserted { result.append(next) }
      previous = next
    }
    return result
  }

  /// Every entry once, or the error.
  public func collectEntries() throws(MapError) -> [(key: Key, value: Value)] {
    var result: [(key: Key, value: Value)] = []
    for key in try collectKeys() {
      if let value = try lookup(key) { result.append((key, value)) }
    }
    return result
  }

  static func bytes(of key: Key) -> [UInt8] {
    withUnsafeBytes(of: key) { Array($0) }
  }

  /// The keys of `keys`, in the kernel's next-key order.
  public struct Keys: Sequence, Sendable {
    @usableFromInline let map: TypedMap

    @inlinable init(map: TypedMap) { self.map = map }

    @inlinable public func makeIterator() -> Iterator { Iterator(map: map) }

    public struct Iterator: IteratorProtocol {
      @usableFromInline let map: TypedMap
      @usableFromInline var previous: Key? = nil
      @usableFromInline var done = false

      @inlinable init(map: TypedMap) { self.map = map }

      @inlinable public mutating func next() -> Key? {
        guard !done, let key = try? map.nextKey(after: previous) else {
          done = true
          return nil
        }
        previous = key
        return key
      }
    }
  }

  /// The key-value pairs of `entries`, in the kernel's next-key order.
  public struct Entries: Sequence, Sendable {
    @usableFromInline let map: TypedMap

    @inlinable init(map: TypedMap) { self.map = map }

    @inlinable public func makeIterator() -> Iterator { Iterator(keys: Keys.Iterator(map: map), map: map) }

    public struct Iterator: IteratorProtocol {
      @usableFromInline var keys: Keys.Iterator
      @usableFromInline let map: TypedMap

      @inlinable init(keys: Keys.Iterator, map: TypedMap) {
        self.keys = keys
        self.map = map
      }

      @inlinable public mutating func next() -> (key: Key, value: Value)? {
        while let key = keys.next() {
          if let value = try? map.lookup(key) { return (key, value) }
        }
        return nil
      }
    }
  }
}
