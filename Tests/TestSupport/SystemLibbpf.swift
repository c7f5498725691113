import Glibc
import Synchronization

/// The system's libbpf (Debian: 1.1.2), opened with `dlopen` as an
/// independent oracle: what libbpf itself makes of a section name or an
/// object. Nothing links it — the package stays free of libbpf; tests that
/// use it skip when it is missing, and fail then under CI /
/// SWIFTBPF_REQUIRE_KERNEL=1 (`.ci/run` installs libbpf-dev).
// @unchecked Sendable: every stored property is immutable; `handle` is only
// passed to dlsym, which is thread-safe, and is never closed.
public final class SystemLibbpf: @unchecked Sendable {
  public static let shared: SystemLibbpf? = SystemLibbpf()

  typealias TypeByName = @convention(c) (
    UnsafePointer<CChar>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?
  ) -> Int32
  typealias AttachTypeByName = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<UInt32>?) -> Int32
  /// `libbpf_print_fn_t`. Its `va_list` arrives as a pointer on x86_64 (an
  /// array type that decays), which is the only place `rowNames()` runs.
  public typealias PrintFunction = @convention(c) (UInt32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Int32
  typealias SetPrint = @convention(c) (PrintFunction?) -> PrintFunction?
  typealias OpenFile = @convention(c) (UnsafePointer<CChar>?, UnsafeRawPointer?) -> OpaquePointer?
  typealias Close = @convention(c) (OpaquePointer?) -> Void
  typealias Next = @convention(c) (OpaquePointer?, OpaquePointer?) -> OpaquePointer?
  typealias GetString = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
  typealias GetU32 = @convention(c) (OpaquePointer?) -> UInt32
  typealias GetU64 = @convention(c) (OpaquePointer?) -> UInt64
  typealias GetBool = @convention(c) (OpaquePointer?) -> Bool
  typealias GetSize = @convention(c) (OpaquePointer?) -> Int

  private let handle: UnsafeMutableRawPointer
  let typeByName: TypeByName
  let attachTypeByName: AttachTypeByName
  let setPrint: SetPrint

  private init?() {
    guard let handle = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL),
      let a = dlsym(handle, "libbpf_prog_type_by_name"),
      let b = dlsym(handle, "libbpf_attach_type_by_name"),
      let c = dlsym(handle, "libbpf_set_print")
    else { return nil }
    self.handle = handle
    typeByName = unsafeBitCast(a, to: TypeByName.self)
    attachTypeByName = unsafeBitCast(b, to: AttachTypeByName.self)
    setPrint = unsafeBitCast(c, to: SetPrint.self)
  }

  private func function<F>(_ name: String, as type: F.Type) -> F? {
    dlsym(handle, name).map { unsafeBitCast($0, to: type) }
  }

  /// `libbpf_prog_type_by_name`: program type and expected attach type (0 =
  /// none), or nil when libbpf knows no row for the name.
  public func types(of name: String) -> (program: UInt32, attach: UInt32)? {
    var program: UInt32 = 0
    var attach: UInt32 = 0
    return typeByName(name, &program, &attach) == 0 ? (program, attach) : nil
  }

  /// `libbpf_attach_type_by_name`: succeeds only for rows marked attachable.
  public func attachableType(of name: String) -> UInt32? {
    var attach: UInt32 = 0
    return attachTypeByName(name, &attach) == 0 ? attach : nil
  }

  /// libbpf's own list of its rows, as it prints it at debug level when a
  /// name is unknown ("supported section(type) names are: socket kprobe+ ...").
  /// Nil where `va_list` is not a plain pointer (not x86_64).
  public func rowNames() -> [String]? {
    #if arch(x86_64)
    Self.messages.withLock { $0.removeAll() }
    let previous = setPrint { _, format, arguments in
      guard let arguments else { return 0 }
      var buffer = [CChar](repeating: 0, count: 16384)
      _ = vsnprintf(&buffer, buffer.count, format, CVaListPointer(_fromUnsafeMutablePointer: arguments))
      let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      SystemLibbpf.messages.withLock { $0.append(line) }
      return 0
    }
    _ = types(of: "swiftbpf-no-such-section")
    _ = setPrint(previous)
    let marker = "supported section(type) names are:"
    guard let line = Self.messages.withLock({ $0.first(where: { $0.contains(marker) }) }),
      let range = line.range(of: marker)
    else { return [] }
    return line[range.upperBound...].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    #else
    return nil
    #endif
  }

  private static let messages = Mutex<[String]>([])

  // MARK: Objects

  /// A program as `bpf_object__open_file` reads it (before load).
  public struct OpenedProgram: Sendable, Hashable {
    public var name: String
    public var section: String
    public var programType: UInt32
    public var expectedAttachType: UInt32
    public var autoload: Bool
    /// `bpf_program__insn_cnt` before load: the program's own 8-byte slots.
    public var slotCount: Int
  }

  /// A map as `bpf_object__open_file` reads it (before load).
  public struct OpenedMap: Sendable, Hashable {
    public var name: String
    public var type: UInt32
    public var keySize: UInt32
    public var valueSize: UInt32
    public var maxEntries: UInt32
    public var flags: UInt32
    public var mapExtra: UInt64
    /// libbpf's own map for a data section (`.data`, `.rodata`, `.kconfig` ...).
    public var isInternal: Bool
  }

  /// What libbpf makes of the object at `path`, or nil when libbpf refuses
  /// to open it (e.g. legacy `maps` sections, which libbpf 1.x rejects).
  public func open(path: String) -> (programs: [OpenedProgram], maps: [OpenedMap])? {
    guard let openFile = function("bpf_object__open_file", as: OpenFile.self),
      let close = function("bpf_object__close", as: Close.self),
      let nextProgram = function("bpf_object__next_program", as: Next.self),
      let nextMap = function("bpf_object__next_map", as: Next.self),
      let programName = function("bpf_program__name", as: GetString.self),
      let sectionName = function("bpf_program__section_name", as: GetString.self),
      let programType = function("bpf_program__type", as: GetU32.self),
      let attachType = function("bpf_program__expected_attach_type", as: GetU32.self),
      let autoload = function("bpf_program__autoload", as: GetBool.self),
      let insnCount = function("bpf_program__insn_cnt", as: GetSize.self),
      let mapName = function("bpf_map__name", as: GetString.self),
      let mapType = function("bpf_map__type", as: GetU32.self),
      let keySize = function("bpf_map__key_size", as: GetU32.self),
      let valueSize = function("bpf_map__value_size", as: GetU32.self),
      let maxEntries = function("bpf_map__max_entries", as: GetU32.self),
      let mapFlags = function("bpf_map__map_flags", as: GetU32.self),
      let mapExtra = function("bpf_map__map_extra", as: GetU64.self),
      let isInternal = function("bpf_map__is_internal", as: GetBool.self)
    else { return nil }
    // Quiet: libbpf warns on stderr about what it cannot handle.
    let previous = setPrint { _, _, _ in 0 }
    defer { _ = setPrint(previous) }
    guard let object = openFile(path, nil) else { return nil }
    defer { close(object) }
    func string(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
    var programs: [OpenedProgram] = []
    var program = nextProgram(object, nil)
    while let current = program {
      programs.append(OpenedProgram(
        name: string(programName(current)), section: string(sectionName(current)),
        programType: programType(current), expectedAttachType: attachType(current),
        autoload: autoload(current), slotCount: insnCount(current)))
      program = nextProgram(object, current)
    }
    var maps: [OpenedMap] = []
    var map = nextMap(object, nil)
    while let current = map {
      maps.append(OpenedMap(
        name: string(mapName(current)), type: mapType(current), keySize: keySize(current),
        valueSize: valueSize(current), maxEntries: maxEntries(current), flags: mapFlags(current),
        mapExtra: mapExtra(current), isInternal: isInternal(current)))
      map = nextMap(object, current)
    }
    return (programs, maps)
  }
}
