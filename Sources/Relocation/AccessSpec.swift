import BTF

/// A parsed access string, walked through one BTF (local or target).
///
/// `raw` holds every number of the access string, one per level of nesting,
/// anonymous structs and unions included. `accessors` keeps only the steps
/// that mean something across BTFs: the first (the root indexed as an
/// array, `&p[0]`), each named member, each array subscript, or for enum
/// relocations the enumerator. Matching a target walks the accessors, so
/// anonymous members may sit differently there.
struct AccessSpec: Sendable {
  /// One meaningful step: a member by name, or an index.
  struct Accessor: Sendable {
    /// For a member: the struct/union holding it. For an index: the element
    /// type (modifiers and typedefs skipped). For an enumerator: the enum.
    var type: BTF.TypeID
    var index: Int
    /// Member or enumerator name; nil for array subscripts.
    var name: String?
  }

  /// The record's type (local) or the matched candidate (target).
  var root: BTF.TypeID
  var raw: [Int] = []
  var accessors: [Accessor] = []
  /// Offset of the field from the start of the root object, in bits.
  var bitOffset: Int = 0

  /// Longest access string libbpf accepts; deeper is refused here too.
  static let maximumLength = 64
}

/// Parsing and walking access strings.
extension AccessSpec {
  /// Splits `"0:1:2"` into numbers; rejects empty parts, signs and junk.
  static func parseNumbers(_ text: String, site: RelocationSite) throws(RelocationError) -> [Int] {
    guard !text.isEmpty else { throw .badAccessString(site, access: text, reason: "empty") }
    var numbers = [Int]()
    for part in text.split(separator: ":", omittingEmptySubsequences: false) {
      guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        throw .badAccessString(site, access: text, reason: "\"\(part)\" is not a decimal index")
      }
      guard let value = Int32(part) else {
        throw .badAccessString(site, access: text, reason: "index \(part) is too large")
      }
      numbers.append(Int(value))
      guard numbers.count <= maximumLength else {
        throw .badAccessString(site, access: text, reason: "more than \(maximumLength) levels")
      }
    }
    return numbers
  }

  /// Parses a record against the local BTF: the spec for its kind family.
  ///
  /// Type relocations must say `"0"`; enum relocations name one enumerator
  /// of an ENUM/ENUM64; field relocations walk structs, unions and arrays.
  static func parse(_ record: CORERecord, family: KindFamily, in btf: BTF, site: RelocationSite)
    throws(RelocationError) -> AccessSpec
  {
    let access = record.accessString
    let numbers = try parseNumbers(access, site: site)
    var spec = AccessSpec(root: record.type)
    func bad(_ reason: String) -> RelocationError { .badAccessString(site, access: access, reason: reason) }

    if family == .type {
      guard numbers == [0] else { throw bad("a type relocation's access string must be \"0\"") }
      return spec
    }
    spec.raw = numbers
    let rootID = try call(site) { () throws(BTFError) in try btf.resolved(record.type) }
    let first = numbers[0]
    spec.accessors.append(Accessor(type: rootID, index: first, name: nil))

    if family == .enumValue {
      switch try call(site, { () throws(BTFError) in try btf[rootID] }) {
      case .enum(let e), .enum64(let e):
        return try enumerator(spec, e, numbers, btf, site, bad)
      case let other:
        throw bad("an enum relocation needs an ENUM or ENUM64, found \(other.kind)")
      }
    }

    // Field: the first index treats the root pointer as an array.
    let rootSize = try call(site) { () throws(BTFError) in try btf.size(of: rootID) }
    spec.bitOffset = try scaled(first, rootSize, bad)
    var current = rootID
    for level in 1 ..< numbers.count {
      let index = numbers[level]
      current = try call(site) { () throws(BTFError) in try btf.resolved(current) }
      let descriptor = try call(site) { () throws(BTFError) in try btf[current] }
      switch descriptor {
      case .struct(let c), .union(let c):
        guard index < c.memberCount else {
          throw bad("member \(index) of [\(current.rawValue)] does not exist (\(c.memberCount) members)")
        }
        let member = try call(site) { () throws(BTFError) in try btf.members(of: current)[index] }
        spec.bitOffset = try added(spec.bitOffset, Int(member.bitOffset), bad)
        let name = try call(site) { () throws(BTFError) in try btf.string(of: member.name) }
        if !name.isEmpty { spec.accessors.append(Accessor(type: current, index: index, name: name)) }
        current = member.type
      case .array(let a):
        let element = try call(site) { () throws(BTFError) in try btf.resolved(a.element) }
        let flexible = isFlexible(a, after: spec.accessors.last, in: btf)
        guard flexible || index < Int(a.count) else {
          throw bad("index \(index) is past the end of a \(a.count)-element array")
        }
        spec.accessors.append(Accessor(type: element, index: index, name: nil))
        let size = try call(site) { () throws(BTFError) in try btf.size(of: element) }
        spec.bitOffset = try added(spec.bitOffset, try scaled(index, size, bad), bad)
        current = element
      default:
        throw bad("level \(level) reaches \(descriptor.kind), which has no members or elements")
      }
    }
    return spec
  }

  private static func enumerator(
    _ spec: AccessSpec, _ e: BTF.Enumeration, _ numbers: [Int], _ btf: BTF, _ site: RelocationSite,
    _ bad: (String) -> RelocationError
  ) throws(RelocationError) -> AccessSpec {
    guard numbers.count == 1 else { throw bad("an enum relocation names one enumerator") }
    guard numbers[0] < e.count else { throw bad("enumerator \(numbers[0]) does not exist (\(e.count) values)") }
    var spec = spec
    let item = try call(site) { () throws(BTFError) in try btf.enumerators(of: e.id)[numbers[0]] }
    spec.accessors[0].name = try call(site) { () throws(BTFError) in try btf.string(of: item.name) }
    return spec
  }

  /// `index * size * 8`, refusing overflow.
  static func scaled(_ index: Int, _ size: Int, _ bad: (String) -> RelocationError) throws(RelocationError) -> Int {
    let (bytes, o1) = index.multipliedReportingOverflow(by: size)
    let (bits, o2) = bytes.multipliedReportingOverflow(by: 8)
    guard !o1, !o2 else { throw bad("offset overflows") }
    return bits
  }

  static func added(_ a: Int, _ b: Int, _ bad: (String) -> RelocationError) throws(RelocationError) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    guard !overflow else { throw bad("offset overflows") }
    return sum
  }

  /// A zero-length array that is the last member of its struct may be
  /// indexed past its (zero) length: a C flexible array member.
  static func isFlexible(_ array: BTF.ArrayType, after accessor: Accessor?, in btf: BTF) -> Bool {
    guard array.count == 0, let accessor, accessor.name != nil else { return false }
    guard let descriptor = try? btf[accessor.type] else { return false }
    switch descriptor {
    case .struct(let c), .union(let c): return accessor.index == c.memberCount - 1
    default: return false
    }
  }
}

/// Runs a BTF query, turning its error into a relocation error at `site`.
@inline(__always)
func call<T>(_ site: RelocationSite, _ body: () throws(BTFError) -> T) throws(RelocationError) -> T {
  do { return try body() } catch { throw .btf(site, error) }
}
