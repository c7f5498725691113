import Synchronization

/// The links a generated skeleton's `attach()` made, closed by `detach()`
/// or when the skeleton is released: what libbpf's `<name>__attach` and
/// `__detach` keep in the skeleton struct.
public final class SkeletonLinks: Sendable {
  private let links = Mutex<[Link]>([])

  public init() {}

  /// Auto-attaches every program of `object` whose SEC() name carries its
  /// target (`LoadedObject.autoAttach()`), after closing the links of an
  /// earlier call. On failure nothing stays attached.
  public func attach(_ object: LoadedObject) throws(AttachError) {
    detach()
    let made = try object.autoAttach()
    links.withLock { $0 = made }
  }

  /// Keeps `link` (made by hand with `program.attach(to:)`) so `detach()`
  /// closes it with the others.
  public func keep(_ link: Link) {
    links.withLock { $0.append(link) }
  }

  /// The links now attached.
  public var current: [Link] { links.withLock { $0 } }

  /// Closes every link.
  public func detach() {
    let taken = links.withLock { current in
      defer { current = [] }
      return current
    }
    for link in taken { link.close() }
  }

  deinit { detach() }
}
