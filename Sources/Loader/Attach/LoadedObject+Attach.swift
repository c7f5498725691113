import ELFReader
import Synchronization
import Syscall
import UAPI

extension LoadedObject.Program {
  /// This program as the attach APIs take it (its SEC() name parsed), or
  /// nil after `close()`.
  public var attachable: AttachableProgram? {
    guard let fd = borrowedFD else { return nil }
    let section = try? ProgramSection.parse(sectionName)
    return AttachableProgram(fd: fd, name: name, type: type, expectedAttachType: expectedAttachType,
                             section: section)
  }

  private func requireAttachable(_ target: String) throws(AttachError) -> AttachableProgram {
    guard let program = attachable else { throw .linkClosed(program: name, target: target) }
    return program
  }

  /// Attaches to `point`: `program.attach(to: .tracepoint(category: "syscalls", name: "sys_enter_getpid"))`.
  public func attach(to point: AttachPoint) throws(AttachError) -> Link {
    try requireAttachable(point.description).attach(to: point)
  }

  /// Attaches where its SEC() name says, as libbpf's skeleton does; nil when
  /// the section is not auto-attachable. `usdtSpecs` is needed for USDT
  /// programs (see `LoadedObject.usdtSpecTable()`).
  public func autoAttach(usdtSpecs: USDTSpecTable? = nil) throws(AttachError) -> Link? {
    try requireAttachable("section '\(sectionName)'").autoAttach(usdtSpecs: usdtSpecs)
  }
}

extension LoadedObject {
  /// The spec table of this object's `__bpf_usdt_specs` map (from
  /// `<bpf/usdt.bpf.h>`), shared by every USDT attach of the object; nil
  /// when the object has no such map.
  public func usdtSpecTable() -> USDTSpecTable? {
    guard let map = map(named: "__bpf_usdt_specs"), let fd = map.borrowedFD else { return nil }
    return USDTSpecTable.shared(for: fd, capacity: map.maxEntries)
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
  static func shared(for map: BorrowedFD, capacity: UInt32) -> USDTSpecTable {
    let id = (try? BPF.mapInfo(map).id) ?? 0
    return registry.withLock { tables in
      if id != 0, let existing = tables[id]?.table { return existing }
      let table = USDTSpecTable(specsMap: map, capacity: capacity)
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
