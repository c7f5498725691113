import ELFReader

/// A whole global data section as one value, the way a generated skeleton
/// keeps `.rodata`/`.data`/`.bss` before load: a struct laid out like the
/// section (`swiftbpf gen skeleton` writes it), read from the section's
/// initial bytes and written back before `load()`.
extension Object {
  /// The initial contents of data section `section` as `T`, whose size must
  /// be the section's.
  public func section<T: BitwiseCopyable>(_ section: String, as type: T.Type) throws(LoadError) -> T {
    let contents = try sectionBytes(section, fitting: T.self)
    return contents.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
  }

  /// Replaces the initial contents of data section `section` with `value`.
  public mutating func setSection<T: BitwiseCopyable>(_ section: String, to value: T) throws(LoadError) {
    _ = try sectionBytes(section, fitting: T.self)
    sectionBytes[section] = withUnsafeBytes(of: value) { Array($0.prefix(MemoryLayout<T>.size)) }
      + [UInt8](repeating: 0, count: max(0, (sectionBytes[section]?.count ?? 0) - MemoryLayout<T>.size))
  }

  private func sectionBytes<T>(_ section: String, fitting type: T.Type) throws(LoadError) -> [UInt8] {
    guard let contents = sectionBytes[section] else {
      throw .notFound(what: "data section", name: section, object: file.name)
    }
    guard contents.count == MemoryLayout<T>.size || contents.count == MemoryLayout<T>.stride else {
      throw .invalidValue(
        name: section, reason: "the section has \(contents.count) bytes, \(T.self) has \(MemoryLayout<T>.size)")
    }
    return contents
  }
}
