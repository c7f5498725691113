import BTF
import ELFReader
import UAPI

/// `swiftbpf gen skeleton`: one Swift file that embeds a BPF object and
/// gives it typed phases — the open phase (global data, map settings and
/// program autoload before load) and the loaded phase (typed maps, programs
/// and their attach, live global data, typed ring buffer events) — with the
/// C types it uses declared with their exact layout.
///
/// The output depends only on the object's bytes, its file name and the
/// options, so regenerating an unchanged object gives the same file.
package struct SkeletonGenerator {
  package typealias Access = SwiftTypeGenerator.Options.Access

  package struct Options: Sendable {
    /// The skeleton's type name; nil: the object name in UpperCamelCase
    /// (`bootstrap.bpf.o` → `Bootstrap`).
    package var name: String?
    package var access: Access

    package init(name: String? = nil, access: Access = .public) {
      self.name = name
      self.access = access
    }
  }

  let file: ObjectFile
  let bytes: [UInt8]
  let options: Options
  var types: SwiftTypeGenerator?

  /// Reads the object (`fileName` is only for its name and messages).
  package init(objectBytes: [UInt8], fileName: String, options: Options = .init()) throws(CodegenError) {
    do {
      file = try ObjectFile(bytes: objectBytes, name: fileName)
    } catch {
      throw .object(error)
    }
    bytes = objectBytes
    self.options = options
    if let btfBytes = file.btf {
      do {
        types = SwiftTypeGenerator(btf: try BTF(bytes: btfBytes), options: .init(access: options.access))
      } catch {
        throw .btf(error, context: "\(fileName): its .BTF section")
      }
    }
  }

  /// The whole Swift file.
  package mutating func generate() throws(CodegenError) -> String {
    let model = try makeModel()
    return SkeletonWriter(model: model, access: options.access, declarations: types?.declarations() ?? "",
                          objectLines: Base64.lines(bytes)).render()
  }

  mutating func makeModel() throws(CodegenError) -> SkeletonModel {
    let objectName = SkeletonModel.objectName(fileName: file.name)
    let swiftName = options.name ?? SwiftNames.typeName(objectName.replacingDots())
    var model = SkeletonModel(
      swiftName: swiftName, objectName: objectName,
      fileName: file.name.split(separator: "/").last.map(String.init) ?? file.name)
    var sectionScope = NameScope(reserved: ["object", "maps", "programs", "kconfig", "load", "init"])
    for section in file.dataSections {
      if let described = try describe(section, skeleton: swiftName, scope: &sectionScope) {
        model.sections.append(described)
      }
    }
    var mapScope = NameScope()
    for definition in file.maps {
      model.maps.append(try describe(definition, property: mapScope.member(definition.name)))
    }
    try describeKconfig(into: &model)
    var programScope = NameScope()
    for program in file.programs {
      model.programs.append(.init(
        cName: program.name, property: programScope.member(program.name), sectionName: program.sectionName))
    }
    return model
  }

  /// A `.data`/`.rodata`/`.bss` section with at least one variable user
  /// space can name (`ObjectFile.userVisibleVariables`: not static, not
  /// `__hidden` — the sections the loader maps); nil for others (string
  /// literals, sections of statics such as spin locks, objects without BTF).
  mutating func describe(
    _ section: DataSection, skeleton: String, scope: inout NameScope
  ) throws(CodegenError) -> SkeletonModel.Section? {
    guard section.kind == .data || section.kind == .rodata || section.kind == .bss,
          let btf = types?.btf else { return nil }
    let visible = Dictionary(file.userVisibleVariables(in: section.name, btf: btf).map { ($0.name, $0.type) },
                             uniquingKeysWith: { first, _ in first })
    var variables: [SectionVariableLayout] = []
    for variable in section.variables where variable.binding != .local {
      guard let type = visible[variable.name] else { continue }
      variables.append(.init(name: variable.name, type: type, offset: Int(clamping: variable.offset),
                             size: Int(clamping: variable.size), isStatic: false))
    }
    guard !variables.isEmpty else { return nil }
    let words = SkeletonModel.sectionWords(section.name)
    let layoutType = skeleton + SwiftNames.typeName(words)
    try types?.sectionLayout(swiftName: layoutType, size: Int(clamping: section.size), variables: variables)
    return .init(cName: section.name, property: scope.member(words), layoutType: layoutType,
                 isReadOnly: section.kind == .rodata)
  }

  mutating func describe(_ definition: MapDefinition, property: String) throws(CodegenError) -> SkeletonModel.Map {
    let needs = MapView.needs(definition.type)
    var key: String?
    var value: String?
    if definition.origin != .structOps, types != nil {
      // An anonymous struct as key or value is named after the map (`CountsValue`).
      if needs.key, let id = definition.keyTypeID {
        key = try types?.typeReference(for: id, anonymousName: SwiftNames.typeName(definition.name + "_key"))
      }
      if needs.value, let id = definition.valueTypeID {
        value = try types?.typeReference(for: id, anonymousName: SwiftNames.typeName(definition.name + "_value"))
      }
    }
    var record: String?
    if let declared = definition.recordType, types != nil {
      record = try types?.typeReference(
        for: declared.typeID, anonymousName: SwiftNames.typeName(definition.name + "_record"))
    }
    return .init(cName: definition.name, property: property,
                 view: MapView(type: definition.type, key: key, value: value), recordType: record)
  }
}
