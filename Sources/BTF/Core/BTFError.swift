/// Everything that can go wrong reading, querying or writing BTF.
///
/// Cases name the byte offset (from the start of the blob) and, where there is
/// one, the type id, so a user can find the bad record with a hex dump or
/// `bpftool btf dump`.
public enum BTFError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A read of `needed` bytes at `offset` runs past the end of the data.
  case truncated(offset: Int, needed: Int)
  /// The first two bytes are not the BTF magic `0xeB9F` in either byte order.
  case badMagic(offset: Int, found: UInt16)
  /// The header's version is not 1.
  case unsupportedVersion(UInt8)
  /// A header field is inconsistent (section past the end, overlapping, misaligned).
  case badHeader(field: String, offset: Int, reason: String)
  /// The string table does not start with an empty string or does not end with NUL.
  case badStringTable(offset: Int, reason: String)
  /// A name offset points past the string table.
  case stringOffsetOutOfRange(typeID: UInt32, offset: Int, stringOffset: UInt32)
  /// A type record refers to a type id that does not exist.
  case typeIDOutOfRange(typeID: UInt32, offset: Int, referenced: UInt32)
  /// A kind number this parser does not know.
  case unknownKind(typeID: UInt32, offset: Int, kind: UInt8)
  /// A type's vlen-sized trailer runs past the type section.
  case vlenPastEnd(typeID: UInt32, offset: Int, vlen: UInt16)
  /// A record breaks the format's rules (bad size, flags, kind of a referenced type).
  case invalidType(typeID: UInt32, offset: Int, reason: String)
  /// A chain of modifiers, typedefs or arrays leads back to itself.
  case referenceLoop(typeID: UInt32, offset: Int)
  /// A DATASEC variable lies outside its section.
  case dataSectionVariableOutOfRange(typeID: UInt32, offset: Int, index: Int)
  /// A type id given to a query does not exist.
  case noSuchType(UInt32)
  /// A query needed another kind (e.g. members of an INT).
  case wrongKind(typeID: UInt32, expected: String, found: String)
  /// The type has no size (void, FUNC, FUNC_PROTO, FWD) or its size overflows.
  case noSize(typeID: UInt32, reason: String)
  /// A struct path component was not found.
  case memberNotFound(path: String, component: String, typeID: UInt32)
  /// No type has this name (and kind).
  case typeNotFound(name: String)
  /// A `.BTF.ext` record size is smaller than the format's record.
  case recordSizeTooSmall(section: String, offset: Int, recordSize: UInt32, minimum: Int)
  /// A `.BTF.ext` field is wrong (header, counts, string offsets).
  case badExtension(section: String, offset: Int, reason: String)
  /// Opening, mapping or reading a file failed.
  case io(path: String, operation: String, errno: Int32)
  /// No kernel BTF in any of the searched places.
  case kernelBTFNotFound(searched: [String])
  /// The found kernel BTF is an ELF file; read its `.BTF` section with ELFReader.
  case kernelBTFIsELF(path: String)
  /// The writer cannot encode something (too many types, sizes past 32 bits).
  case cannotEncode(reason: String)

  /// The message for a user: what is malformed and at which byte offset or type
  /// id. The CLI prints it after `swiftbpf: ` (on one line), and as `message`
  /// in `--json` errors.
  public var description: String {
    switch self {
    case let .truncated(offset, needed):
      return "BTF truncated: need \(needed) bytes at offset \(offset)"
    case let .badMagic(offset, found):
      return "not BTF: magic 0x\(String(found, radix: 16)) at offset \(offset), expected 0xeb9f"
    case let .unsupportedVersion(v):
      return "unsupported BTF version \(v) (only 1 exists)"
    case let .badHeader(field, offset, reason):
      return "bad BTF header field \(field) at offset \(offset): \(reason)"
    case let .badStringTable(offset, reason):
      return "bad BTF string table at offset \(offset): \(reason)"
    case let .stringOffsetOutOfRange(id, offset, so):
      return "type [\(id)] at offset \(offset): name offset \(so) is past the string table"
    case let .typeIDOutOfRange(id, offset, ref):
      return "type [\(id)] at offset \(offset): refers to type [\(ref)], which does not exist"
    case let .unknownKind(id, offset, kind):
      return "type [\(id)] at offset \(offset): unknown kind \(kind)"
    case let .vlenPastEnd(id, offset, vlen):
      return "type [\(id)] at offset \(offset): vlen \(vlen) runs past the type section"
    case let .invalidType(id, offset, reason):
      return "type [\(id)] at offset \(offset): \(reason)"
    case let .referenceLoop(id, offset):
      return "type [\(id)] at offset \(offset): modifier/typedef/array chain loops back to itself"
    case let .dataSectionVariableOutOfRange(id, offset, index):
      return "DATASEC [\(id)] at offset \(offset): variable #\(index) lies outside the section"
    case let .noSuchType(id):
      return "no type [\(id)]"
    case let .wrongKind(id, expected, found):
      return "type [\(id)] is \(found), expected \(expected)"
    case let .noSize(id, reason):
      return "type [\(id)] has no size: \(reason)"
    case let .memberNotFound(path, component, id):
      return "path \(path): no member '\(component)' in type [\(id)]"
    case let .typeNotFound(name):
      return "no BTF type named '\(name)'"
    case let .recordSizeTooSmall(section, offset, size, minimum):
      return ".BTF.ext \(section) at offset \(offset): record size \(size) is smaller than \(minimum)"
    case let .badExtension(section, offset, reason):
      return ".BTF.ext \(section) at offset \(offset): \(reason)"
    case let .io(path, operation, errno):
      return "\(operation) \(path): errno \(errno)"
    case let .kernelBTFNotFound(searched):
      return "kernel BTF not found; looked in: \(searched.joined(separator: ", "))"
    case let .kernelBTFIsELF(path):
      return "kernel BTF at \(path) is an ELF file: read its .BTF section with ELFReader"
    case let .cannotEncode(reason):
      return "cannot encode BTF: \(reason)"
    }
  }
}
