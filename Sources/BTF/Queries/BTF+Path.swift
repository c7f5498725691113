import UAPI

/// Walking a C access path such as `task_struct.mm.arg_start`.
extension BTF {
  /// Where a path leads: the member's type and its offset inside the last
  /// object reached (after the last pointer that was followed).
  public struct Field: Sendable, Equatable {
    /// The member's declared type (not resolved).
    public var type: TypeID
    /// Offset in bits from the start of the object that holds the member.
    public var bitOffset: Int
    /// Bitfield width, 0 for whole members.
    public var bitfieldSize: Int
    /// The type of the object that holds the member (after dereferences).
    public var container: TypeID
    /// How many pointers the walk followed (`mm` in `task_struct.mm.x`).
    public var dereferences: Int
    /// The offset in whole bytes (rounded down for bitfields).
    public var byteOffset: Int { bitOffset / 8 }
  }

  /// Walks `Type.member.member[index]...`, where the first component names a
  /// struct, union or typedef. Members of anonymous structs and unions are
  /// found as C finds them; pointers are followed and restart the offset.
  public func field(_ path: String) throws(BTFError) -> Field {
    let components = path.split(separator: ".", omittingEmptySubsequences: false)
    guard let first = components.first, !first.isEmpty else {
      throw .memberNotFound(path: path, component: "", typeID: 0)
    }
    let rootName = String(first)
    let root = firstType(named: rootName, kind: .struct) ?? firstType(named: rootName, kind: .union)
      ?? firstType(named: rootName, kind: .typedef)
    guard let root else { throw .typeNotFound(name: rootName) }
    return try field(components.dropFirst().joined(separator: "."), in: root, fullPath: path)
  }

  /// Walks `member.member[index]...` from `root`.
  public func field(_ path: String, in root: TypeID) throws(BTFError) -> Field {
    try field(path, in: root, fullPath: path)
  }

  func field(_ path: String, in root: TypeID, fullPath: String) throws(BTFError) -> Field {
    var current = Field(type: root, bitOffset: 0, bitfieldSize: 0, container: root, dereferences: 0)
    for component in path.split(separator: ".", omittingEmptySubsequences: false) {
      var memberName = Substring(component)
      var indexes = [Int]()
      // `name[3][1]`: array subscripts after the member name.
      if let bracket = component.firstIndex(of: "[") {
        memberName = component[..<bracket]
        var rest = component[bracket...]
        while rest.first == "[" {
          guard let close = rest.firstIndex(of: "]"),
                let value = Int(rest[rest.index(after: rest.startIndex) ..< close]), value >= 0
          else { throw .memberNotFound(path: fullPath, component: String(component), typeID: current.type.rawValue) }
          indexes.append(value)
          rest = rest[rest.index(after: close)...]
        }
        guard rest.isEmpty else {
          throw .memberNotFound(path: fullPath, component: String(component), typeID: current.type.rawValue)
        }
      }
      var object = try resolved(current.type)
      var base = current.bitOffset
      var dereferences = current.dereferences
      // A pointer is followed: the next member is inside the pointee.
      if case .pointer(let pointee) = try self[object] {
        object = try resolved(pointee)
        base = 0
        dereferences += 1
      }
      guard let (member, offset) = try findMember(String(memberName), in: object) else {
        throw .memberNotFound(path: fullPath, component: String(memberName), typeID: object.rawValue)
      }
      let (bitOffset, overflow) = base.addingReportingOverflow(offset)
      guard !overflow else { throw .noSize(typeID: object.rawValue, reason: "offset of \(memberName) overflows") }
      current = Field(type: member.type, bitOffset: bitOffset, bitfieldSize: Int(member.bitfieldSize),
                      container: object, dereferences: dereferences)
      for index in indexes {
        guard case .array(let array) = try resolvedDescriptor(current.type) else {
          throw .wrongKind(typeID: current.type.rawValue, expected: "ARRAY",
                           found: try kind(of: resolved(current.type)).kernelName)
        }
        let elementSize = try size(of: array.element)
        let (elementBits, o1) = elementSize.multipliedReportingOverflow(by: 8)
        let (step, o2) = elementBits.multipliedReportingOverflow(by: index)
        let (bitOffset, o3) = current.bitOffset.addingReportingOverflow(step)
        guard !o1, !o2, !o3 else {
          throw .noSize(typeID: array.element.rawValue, reason: "offset of [\(index)] overflows")
        }
        current.type = array.element
        current.bitOffset = bitOffset
      }
    }
    return current
  }

  /// A member by name, looking into anonymous struct/union members; returns
  /// the member and its bit offset from the start of `composite`.
  public func findMember(_ name: String, in composite: TypeID) throws(BTFError) -> (Member, Int)? {
    var searched = [TypeID: Bool]()
    return try findMember(name, in: composite, depth: 0, searched: &searched)
  }

  /// Each composite is searched once per lookup (`searched`: false while
  /// its search is under way, true once it has missed): whether it holds
  /// `name` does not depend on how it was reached, so a second visit would
  /// miss again. Without this, anonymous members that repeat a type make
  /// the search exponential on a crafted blob. Meeting a composite whose
  /// search is under way means it contains itself by value: a loop.
  func findMember(_ name: String, in composite: TypeID, depth: Int, searched: inout [TypeID: Bool])
    throws(BTFError) -> (Member, Int)?
  {
    guard depth < BTF.maximumNesting, searched[composite] != false else {
      throw .referenceLoop(typeID: composite.rawValue, offset: recordOffset(composite) ?? 0)
    }
    if searched[composite] == true { return nil }
    let kind = try kind(of: composite)
    guard kind == .struct || kind == .union else { return nil }
    searched[composite] = false
    for member in try members(of: composite) {
      if member.name.isAnonymous {
        let inner = try resolved(member.type)
        if let (found, offset) = try findMember(name, in: inner, depth: depth + 1, searched: &searched) {
          let (sum, overflow) = Int(member.bitOffset).addingReportingOverflow(offset)
          guard !overflow else { throw .noSize(typeID: composite.rawValue, reason: "offset of \(name) overflows") }
          return (found, sum)
        }
      } else if self.name(member.name, equals: name) {
        return (member, Int(member.bitOffset))
      }
    }
    searched[composite] = true
    return nil
  }
}
