/// The lookups a generated skeleton makes, each turning "not there" into
/// an error that names the object and what to do, so the generated code
/// stays a list of names and types.
public enum SkeletonSupport {
  /// The opened object's map `name` (its settings before load).
  public static func map(_ name: String, in object: Object) throws(LoadError) -> Object.Map {
    guard let map = object.map(named: name) else { throw missing("map", name, object.name) }
    return map
  }

  /// The opened object's program `name` (its settings before load).
  public static func program(_ name: String, in object: Object) throws(LoadError) -> Object.Program {
    guard let program = object.program(named: name) else { throw missing("program", name, object.name) }
    return program
  }

  /// The loaded object's map `name`. A map the skeleton knows but the load
  /// did not create (its `autoCreate` was turned off) is an error here: use
  /// `LoadedObject.map(named:)` for maps that may be absent.
  public static func map(_ name: String, in object: LoadedObject) throws(LoadError) -> LoadedObject.Map {
    guard let map = object.map(named: name) else { throw missing("map", name, object.name) }
    return map
  }

  /// A typed view (`TypedMap`, `PerCPUMap`…) of the loaded map `name`.
  public static func view<View>(
    _ name: String, in object: LoadedObject, _ make: (LoadedObject.Map) throws(MapError) -> View
  ) throws(LoadError) -> View {
    let map = try map(name, in: object)
    do throws(MapError) {
      return try make(map)
    } catch {
      throw .typedMap(error)
    }
  }

  /// The loaded data section `section` (`.bss`) as the generated `Layout`.
  public static func section<Layout: BitwiseCopyable>(
    _ section: String, in object: LoadedObject, as layout: Layout.Type
  ) throws(LoadError) -> MappedSection<Layout> {
    guard let map = object.data(section) else { throw missing("data section", section, object.name) }
    return try MappedSection(map, as: layout)
  }

  private static func missing(_ what: String, _ name: String, _ object: String) -> LoadError {
    .notFound(what: what + " (the skeleton expects it: regenerate it from this object, or enable its creation)",
              name: name, object: object)
  }
}
