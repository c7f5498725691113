import UAPI

/// Writes the Swift declaration of one struct, union or data section from
/// its members and chosen layout.
///
/// What each member becomes:
/// - stored layout, plain member: `public var pid: UInt32  // offset 0`;
/// - bitfield: a computed property over the record's bits (`LayoutBits`);
/// - bytes layout (unions, packed): a computed property loading and storing
///   at the member's offset (`LayoutBytes`);
/// - `char[N]`: also `nameString`, the text up to the first NUL;
/// - zero-size (flexible array): `static let nameOffset` and
///   `static func name(in:)` reading the elements after the fixed part;
/// - anonymous struct or union (C11): `anon0`, and a forwarding property for
///   each property of it, so `record.x` reads as it does in C.
struct RecordWriter {
  let name: String
  let note: String
  let access: String
  let order: ByteOrder
  /// Forwarded and derived accessors, per member index, decided with the names.
  private var derivedNames: [Int: (string: String?, forwards: [(name: String, inner: String, type: String)])] = [:]
  private var flexibleOffsetNames: [Int: String] = [:]
  /// The instance properties this type exposes.
  private(set) var exposed: [(name: String, type: String)] = []
  /// The C members and how Swift reaches them (forwarded ones included).
  private(set) var manifest: [ManifestMember] = []
  /// The manifest of each anonymous member's type, to forward.
  var innerManifests: [String: [ManifestMember]] = [:]

  init(name: String, note: String, access: String, order: ByteOrder) {
    self.name = name
    self.note = note
    self.access = access
    self.order = order
  }

  /// Gives every member its Swift name: C members first, in order, then
  /// the derived accessors, so a derived name never takes a C member's.
  mutating func allocateNames(_ members: inout [LayoutMember]) {
    var names = MemberNameAllocator()
    var anonymous = 0
    for index in members.indices {
      if members[index].cName.isEmpty {
        members[index].name = names.claim("anon\(anonymous)")
        anonymous += 1
      } else {
        members[index].name = names.claim(SwiftNames.memberName(members[index].cName))
      }
    }
    for (index, member) in members.enumerated() where !member.isHidden {
      let bare = MemberNameAllocator.bare(member.name)
      if member.isZeroSize {
        if member.shape.spelling.hasPrefix("InlineArray<0, ") {
          flexibleOffsetNames[index] = names.claim(bare + "Offset")
        }
        continue
      }
      var string: String?
      if member.shape.isCharArray { string = names.claim(bare + "String") }
      var forwards: [(name: String, inner: String, type: String)] = []
      if member.cName.isEmpty {
        for inner in member.shape.exposed {
          forwards.append((names.claim(inner.name), inner.name, inner.type))
        }
      }
      derivedNames[index] = (string, forwards)
    }
  }

  mutating func write(members: [LayoutMember], layout: CompositeLayout) -> String {
    var lines = ["/// \(note)", "\(access)struct \(name): BitwiseCopyable, Sendable {"]
    var computed: [String] = []
    switch layout {
    case .stored(let fields):
      for field in fields {
        switch field {
        case .member(let index):
          let member = members[index]
          let visibility = member.isHidden ? "private " : access
          lines.append("  \(visibility)var \(member.name): \(member.shape.spelling)  // offset \(member.byteOffset)")
          if !member.isHidden {
            exposed.append((member.name, member.shape.spelling))
            // An anonymous member's own members are listed instead, as C names them.
            if !member.cName.isEmpty {
              manifest.append(ManifestMember(cName: member.cName, swiftName: member.name, role: .stored))
            }
          }
        case .filler(let fieldName, let offset, let unit, let count, let holdsBits):
          let what = holdsBits ? "bitfield storage" : "padding"
          lines.append("  private var \(fieldName): InlineArray<\(count), \(TypeShape.unitSpelling(unit))>"
            + "  // offset \(offset), \(what)")
        }
      }
      for member in members where member.isBitfield {
        computed += bitfield(member)
        exposed.append((member.name, member.shape.spelling))
        manifest.append(ManifestMember(cName: member.cName, swiftName: member.name, role: .bitfield))
      }
    case .bytes(let unit, let count):
      lines.append("  private var _storage: InlineArray<\(count), \(TypeShape.unitSpelling(unit))>")
      for member in members where !member.isZeroSize && !member.isHidden {
        computed += member.isBitfield ? bitfield(member) : bytesMember(member)
        exposed.append((member.name, member.shape.spelling))
        if !member.cName.isEmpty { manifest.append(ManifestMember(cName: member.cName, swiftName: member.name,
                                       role: member.isBitfield ? .bitfield : .computed)) }
      }
    }
    for (index, member) in members.enumerated() {
      if let offsetName = flexibleOffsetNames[index] {
        computed += flexible(member, offsetName: offsetName)
      }
      guard let derived = derivedNames[index] else { continue }
      if let stringName = derived.string {
        computed += [
          "  /// `\(member.cName)` up to its first NUL, as UTF-8.",
          "  \(access)var \(stringName): String {",
          "    get { LayoutString.decode(\(member.name)) }",
          "    set { \(member.name) = LayoutString.encode(newValue) }",
          "  }",
        ]
        exposed.append((stringName, "String"))
      }
      for forward in derived.forwards {
        computed += [
          "  \(access)var \(forward.name): \(forward.type) {  // in \(member.name)",
          "    get { \(member.name).\(forward.inner) }",
          "    set { \(member.name).\(forward.inner) = newValue }",
          "  }",
        ]
        exposed.append((forward.name, forward.type))
        // A forwarded C member keeps its C name (C reaches it directly too).
        if let inner = innerManifests[member.shape.spelling]?.first(where: { $0.swiftName == forward.inner }) {
          manifest.append(ManifestMember(cName: inner.cName, swiftName: forward.name,
                                         role: inner.role == .bitfield ? .bitfield : .computed))
        }
      }
    }
    lines += ["", "  /// Every byte zero, padding included (map keys compare their padding too).",
              "  \(access)init() { self = LayoutBytes.zeroed() }"]
    if !computed.isEmpty { lines += [""] + computed }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  private var orderText: String { order == .big ? ".big" : ".little" }

  private func bitfield(_ member: LayoutMember) -> [String] {
    let position = "bitOffset: \(member.bitOffset), width: \(member.bitWidth), order: \(orderText)"
    let get: String, set: String
    switch member.shape.bitfield {
    case .bool:
      get = "LayoutBits.load(UInt8.self, from: self, \(position)) != 0"
      set = "LayoutBits.store(UInt8(newValue ? 1 : 0), into: &self, \(position))"
    case .enumeration(let enumName, let raw):
      get = "\(enumName)(rawValue: LayoutBits.load(\(raw).self, from: self, \(position)))"
      set = "LayoutBits.store(newValue.rawValue, into: &self, \(position))"
    case .integer(let type):
      get = "LayoutBits.load(\(type).self, from: self, \(position))"
      set = "LayoutBits.store(newValue, into: &self, \(position))"
    case nil:
      let type = member.shape.spelling
      get = "LayoutBits.load(\(type).self, from: self, \(position))"
      set = "LayoutBits.store(newValue, into: &self, \(position))"
    }
    return [
      "  \(access)var \(member.name): \(member.shape.spelling) {  // bits \(member.bitOffset) ..< \(member.bitOffset + member.bitWidth)",
      "    get { \(get) }",
      "    set { \(set) }",
      "  }",
    ]
  }

  private func bytesMember(_ member: LayoutMember) -> [String] {
    [
      "  \(access)var \(member.name): \(member.shape.spelling) {  // offset \(member.byteOffset)",
      "    get { LayoutBytes.load(\(member.shape.spelling).self, from: self, at: \(member.byteOffset)) }",
      "    set { LayoutBytes.store(newValue, into: &self, at: \(member.byteOffset)) }",
      "  }",
    ]
  }

  /// A zero-size member: Swift would put a zero-size stored property at
  /// offset 0, so the offset is stated and the elements read from the record.
  private func flexible(_ member: LayoutMember, offsetName: String) -> [String] {
    let element = Self.elementSpelling(member.shape.spelling)
    return [
      "  /// `\(member.cName)`: no storage (zero-size in C); its elements follow the fixed part of a record.",
      "  \(access)static let \(offsetName) = \(member.byteOffset)",
      "  \(access)static func \(member.name)(in record: RawSpan) -> [\(element)] {",
      "    LayoutTrailing.elements(\(element).self, at: \(offsetName), in: record)",
      "  }",
    ]
  }

  /// `InlineArray<0, T>` → `T` (the element of a zero-length array).
  static func elementSpelling(_ spelling: String) -> String {
    let prefix = "InlineArray<0, "
    guard spelling.hasPrefix(prefix), spelling.hasSuffix(">") else { return spelling }
    return String(spelling.dropFirst(prefix.count).dropLast())
  }
}
