import Synchronization

/// The links of a generated skeleton: those its `attach()` made and those
/// given to it with `keep(_:)`, closed by `detach()` or when the skeleton is
/// released — what libbpf's `<name>__attach` and `__detach` keep in the
/// skeleton struct.
public final class SkeletonLinks: Sendable {
  private struct Kept {
    var link: Link
    /// Made by `attach(_:)` (a second `attach` replaces these only).
    var automatic: Bool
  }

  private let links = Mutex<[Kept]>([])

  /// No links yet.
  public init() {}

  /// Auto-attaches every program of `object` whose SEC() name carries its
  /// target (`LoadedObject.autoAttach()`), after closing the links an
  /// earlier call made (links given to `keep(_:)` stay). On failure none of
  /// this call's links stay attached.
  public func attach(_ object: LoadedObject) throws(AttachError) {
    close { $0.automatic }
    let made = try object.autoAttach()
    links.withLock { $0 += made.map { Kept(link: $0, automatic: true) } }
  }

  /// Keeps `link` (made by hand with `program.attach(to:)`) so `detach()`
  /// closes it with the others.
  public func keep(_ link: Link) {
    links.withLock { $0.append(Kept(link: link, automatic: false)) }
  }

  /// The links now kept, in the order they were made or given.
  public var current: [Link] { links.withLock { $0.map(\.link) } }

  /// Closes every link.
  public func detach() { close { _ in true } }

  private func close(where chosen: (Kept) -> Bool) {
    let taken = links.withLock { kept in
      let taken = kept.filter(chosen)
      kept.removeAll(where: chosen)
      return taken
    }
    for kept in taken { kept.link.close() }
  }

  deinit { detach() }
}
