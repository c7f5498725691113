import ELFReader
import Synchronization
import Syscall
import UAPI

extension LoadedObject.Program {
  /// Runs an attach with the program's descriptor held open for the call.
  private func withAttachScope<R>(
    _ target: @autoclosure () -> String, _ body: (AttachScope) throws(AttachError) -> R
  ) throws(AttachError) -> R {
    try withDescriptor(closed: {
      AttachError.handleClosed(kind: "program", object: name, program: name, target: target())
    }) {
      (fd) throws(AttachError) in try body(AttachScope(fd: fd, program: self))
    }
  }

  /// Attaches to `point`: `program.attach(to: .tracepoint(category: "syscalls", name: "sys_enter_getpid"))`.
  ///
  /// Each kind of hook lives in its own file (`TracepointAttach.swift`,
  /// `UprobeAttach.swift`...); `AttachScope+Attach.swift` dispatches.
  public func attach(to point: AttachPoint) throws(AttachError) -> Link {
    try withAttachScope(point.description) { (scope) throws(AttachError) in try scope.attach(to: point) }
  }

  /// Where the SEC() name says to attach (see `AttachPoint.automatic`).
  public func autoAttachPoint(usdtSpecs: USDTSpecTable? = nil) throws(AttachError) -> AttachPoint? {
    try AttachPoint.automatic(for: section, program: name, usdtSpecs: usdtSpecs)
  }

  /// Attaches where its SEC() name says, as libbpf's skeleton does; nil when
  /// the section is not auto-attachable. `usdtSpecs` is needed for USDT
  /// programs (see `LoadedObject.usdtSpecTable()`).
  public func autoAttach(usdtSpecs: USDTSpecTable? = nil) throws(AttachError) -> Link? {
    guard let point = try autoAttachPoint(usdtSpecs: usdtSpecs) else { return nil }
    return try attach(to: point)
  }
}

extension LoadedObject {
  /// The spec table of this object's `__bpf_usdt_specs` map (from
  /// `<bpf/usdt.bpf.h>`), shared by every USDT attach of the object; nil
  /// when the object has no such map.
  public func usdtSpecTable() -> USDTSpecTable? {
    guard let map = map(named: "__bpf_usdt_specs") else { return nil }
    return USDTSpecTable.shared(for: map)
  }

  /// Auto-attaches every program whose SEC() name carries its target, as
  /// libbpf's skeleton `attach` does; programs of other sections are skipped.
  /// On failure the links made so far are closed and the error thrown.
  public func autoAttach() throws(AttachError) -> [Link] {
    let specs = usdtSpecTable()
    var links: [Link] = []
    for program in programs {
      do throws(AttachError) {
        if let link = try program.autoAttach(usdtSpecs: specs) { links.append(link) }
      } catch {
        for link in links { link.close() }
        throw error
      }
    }
    return links
  }
}

extension USDTSpecTable {
  /// One table per spec map (by kernel map ID), so that every attach
  /// through the same map hands out distinct spec ids.
  static func shared(for map: LoadedObject.Map) -> USDTSpecTable {
    let id = (try? map.info().id) ?? 0
    return registry.withLock { tables in
      if id != 0, let existing = tables[id]?.table { return existing }
      let table = USDTSpecTable(specsMap: map)
      if id != 0 { tables[id] = WeakTable(table: table) }
      tables = tables.filter { $0.value.table != nil }
      return table
    }
  }

  static let registry = Mutex<[UInt32: WeakTable]>([:])

  // @unchecked Sendable: `table` is only read and written while `registry`'s lock is held.
  struct WeakTable: @unchecked Sendable {
    weak var table: USDTSpecTable?
  }
}
