import BTF
import UAPI

/// Decodes a BTF-defined map: the BTF struct behind a `.maps` variable.
///
/// libbpf's `bpf_helpers.h` encodes each attribute in a member's type, not
/// in the section bytes (which are all zero):
/// - `__uint(name, n)` is `int (*name)[n]`: a pointer to an array of `n`;
/// - `__ulong(name, n)` is an anonymous enum member whose one value is `n`;
/// - `__type(name, T)` is `typeof(T) *name`: a pointer to `T`;
/// - `__array(values, T)` is `typeof(T) *values[]`: a zero-length array of
///   pointers, the last member, whose slots `.values = {...}` fills through
///   `R_BPF_64_ABS64` relocations in `.rel.maps`.
struct BTFMapDecoder {
  let btf: BTF
  let file: String

  /// The attributes of one map struct, before sizes are reconciled.
  struct Decoded {
    var definition: MapDefinition
    /// Byte offset of the `values` member, when there is one.
    var valuesOffset: UInt64?
  }

  /// Decodes the struct `typeID` (a VAR's type, modifiers allowed) as map `name`.
  /// `inner` is true for the template behind `__array(values, ...)`.
  func decode(name: String, typeID: BTF.TypeID, base: MapDefinition, inner: Bool = false) throws(ELFError) -> Decoded {
    do {
      return try decodeUnchecked(name: name, typeID: typeID, base: base, inner: inner)
    } catch let error as ELFError {
      throw error
    } catch let error as BTFError {
      throw .badMap(file: file, map: name, reason: "its BTF is malformed: \(error)")
    } catch {
      throw .badMap(file: file, map: name, reason: "\(error)")
    }
  }

  /// `decode` with any error; BTF errors are wrapped by the caller.
  private func decodeUnchecked(name: String, typeID: BTF.TypeID, base: MapDefinition, inner: Bool) throws -> Decoded {
    var definition = base
    var valuesOffset: UInt64? = nil
    var keySize: UInt32? = nil
    var valueSize: UInt32? = nil
    do {
      let structID: BTF.TypeID = try btf.resolved(typeID)
      guard case .struct(let composite) = try btf[structID] else {
        throw ELFError.badMap(file: file, map: name, reason: "its BTF type \(structID) is a \(try btf.kind(of: structID)), expected a struct of __uint/__type/__array members")
      }
      let members = try btf.members(of: composite.id)
      for (position, member) in members.enumerated() {
        let field = try btf.string(of: member.name)
        switch field {
        case "type": definition.type = MapType(rawValue: try integer(member, field, name))
        case "max_entries": definition.maxEntries = try integer(member, field, name)
        case "map_flags": definition.flags = try integer(member, field, name)
        case "numa_node": definition.numaNode = try integer(member, field, name)
        case "key_size": keySize = try integer(member, field, name)
        case "value_size": valueSize = try integer(member, field, name)
        case "pinning":
          let pinning = MapDefinition.Pinning(rawValue: try integer(member, field, name))
          guard pinning == .none || pinning == .byName else {
            throw ELFError.badMap(file: file, map: name, reason: "pinning \(pinning.rawValue) is neither LIBBPF_PIN_NONE (0) nor LIBBPF_PIN_BY_NAME (1)")
          }
          definition.pinning = pinning
        case "map_extra": definition.mapExtra = try wideInteger(member, field, name)
        case "key":
          let (id, size) = try pointee(member, field, name)
          definition.keyTypeID = id
          try agree(&keySize, size, "key", name)
        case "value":
          let (id, size) = try pointee(member, field, name)
          definition.valueTypeID = id
          try agree(&valueSize, size, "value", name)
        case "values":
          guard !inner else {
            throw ELFError.badMap(file: file, map: name, reason: "an inner map template cannot itself have __array(values, ...)")
          }
          guard position == members.count - 1 else {
            throw ELFError.badMap(file: file, map: name, reason: "__array(values, ...) must be the last member")
          }
          valuesOffset = UInt64(member.byteOffset)
          try decodeValues(member, name, into: &definition)
        case "":
          throw ELFError.badMap(file: file, map: name, reason: "has an unnamed member; only __uint/__type/__array members are map attributes")
        default:
          throw ELFError.badMap(file: file, map: name, reason: "unknown attribute '\(field)'")
        }
      }
    }
    if valuesOffset != nil, definition.type == .arrayOfMaps || definition.type == .hashOfMaps || definition.type == .progArray {
      // Slots hold file descriptors: 4 bytes, whatever value type was named.
      try agree(&valueSize, 4, "value", name)
    }
    definition.keySize = keySize ?? 0
    definition.valueSize = valueSize ?? 0
    if definition.type == .ringbuf || definition.type == .userRingbuf {
      try moveRecordType(&definition, name)
    }
    return Decoded(definition: definition, valuesOffset: valuesOffset)
  }

  /// A ring buffer's `__type(value, T)` names its records' type, not a
  /// value size: the kernel refuses a ring buffer whose key or value size is
  /// not 0 (`ringbuf_map_alloc`), so `T` becomes the definition's record type
  /// and the sizes stay 0. A key, or a value size without a type, has no
  /// meaning there and is refused with the kernel's reason.
  func moveRecordType(_ definition: inout MapDefinition, _ map: String) throws {
    guard definition.keySize == 0, definition.keyTypeID == nil else {
      throw ELFError.badMap(file: file, map: map, reason: "a ring buffer has no key: the kernel needs key size 0 (remove its key/key_size)")
    }
    guard let id = definition.valueTypeID else {
      guard definition.valueSize == 0 else {
        throw ELFError.badMap(file: file, map: map, reason: "a ring buffer's value_size must be 0 (the kernel's rule); declare its record type with __type(value, struct ...) instead")
      }
      return
    }
    definition.recordType = MapDefinition.RecordType(
      typeID: id, name: try cName(of: id), size: Int(definition.valueSize))
    definition.valueTypeID = nil
    definition.valueSize = 0
  }

  /// `struct event`, `union u`, `enum e`, or the bare name (typedefs, integers).
  func cName(of id: BTF.TypeID) throws -> String {
    let name = try btf.nameString(of: id)
    switch try btf[id] {
    case .struct: return name.isEmpty ? "struct (anonymous)" : "struct \(name)"
    case .union: return name.isEmpty ? "union (anonymous)" : "union \(name)"
    case .enum, .enum64: return name.isEmpty ? "enum (anonymous)" : "enum \(name)"
    default: return name.isEmpty ? "type \(id.rawValue)" : name
    }
  }

  /// `__uint(name, n)`: `int (*name)[n]` gives `n`.
  func integer(_ member: BTF.Member, _ field: String, _ map: String) throws -> UInt32 {
    let pointer = try btf.resolved(member.type)
    guard case .pointer(let target) = try btf[pointer], case .array(let array) = try btf[target] else {
      throw ELFError.badMap(file: file, map: map, reason: "attribute '\(field)' is not written __uint(\(field), value) (a pointer to an array)")
    }
    return array.count
  }

  /// `__ulong(name, n)` (an enum with one value) or `__uint(name, n)`.
  func wideInteger(_ member: BTF.Member, _ field: String, _ map: String) throws -> UInt64 {
    let id = try btf.resolved(member.type)
    switch try btf[id] {
    case .enum(let e), .enum64(let e):
      let values = try btf.enumerators(of: e.id)
      guard values.count == 1, let first = values.first else {
        throw ELFError.badMap(file: file, map: map, reason: "attribute '\(field)' written as an enum must have exactly one value")
      }
      return first.unsignedValue
    default:
      return UInt64(try integer(member, field, map))
    }
  }

  /// `__type(name, T)`: the id of `T` and its size.
  func pointee(_ member: BTF.Member, _ field: String, _ map: String) throws -> (BTF.TypeID, UInt32) {
    let pointer = try btf.resolved(member.type)
    guard case .pointer(let target) = try btf[pointer] else {
      throw ELFError.badMap(file: file, map: map, reason: "attribute '\(field)' is not written __type(\(field), T) (a pointer to T)")
    }
    guard let size = UInt32(exactly: try btf.size(of: target)) else {
      throw ELFError.badMap(file: file, map: map, reason: "the size of its \(field) type does not fit in 32 bits")
    }
    return (target, size)
  }

  /// Explicit `key_size`/`value_size` and the size of `key`/`value` must agree.
  func agree(_ current: inout UInt32?, _ size: UInt32, _ what: String, _ map: String) throws(ELFError) {
    if let current, current != size {
      throw .badMap(file: file, map: map, reason: "\(what)_size \(current) conflicts with the \(size)-byte \(what) type")
    }
    current = size
  }

  /// `__array(values, T)`: a map-in-map's inner template, or a program
  /// array's function prototype.
  func decodeValues(_ member: BTF.Member, _ map: String, into definition: inout MapDefinition) throws {
    guard case .array(let array) = try btf[member.type] else {
      throw ELFError.badMap(file: file, map: map, reason: "attribute 'values' is not written __array(values, T) (an array of pointers)")
    }
    let element = try btf.resolved(array.element)
    guard case .pointer(let target) = try btf[element] else {
      throw ELFError.badMap(file: file, map: map, reason: "attribute 'values' is not an array of pointers")
    }
    let pointee = try btf.resolved(target)
    switch try btf[pointee] {
    case .struct:
      var template = MapDefinition(
        name: map + ".inner", origin: .btf, sectionName: definition.sectionName,
        sectionIndex: definition.sectionIndex, offset: definition.offset,
        symbolIndex: definition.symbolIndex, type: .unspec)
      template = try decodeUnchecked(name: template.name, typeID: pointee, base: template, inner: true).definition
      definition.innerMaps = [template]
    case .functionPrototype:
      guard definition.type == .progArray else {
        throw ELFError.badMap(file: file, map: map, reason: "__array(values, <function>) is only valid for BPF_MAP_TYPE_PROG_ARRAY, not \(definition.type)")
      }
    default:
      throw ELFError.badMap(file: file, map: map, reason: "__array(values, T) needs T to be a map struct or a function prototype")
    }
  }
}
