import CBPFSys

enum CBPFSysBridge {
  /// setresuid(65534) for the calling thread only: its effective capabilities are cleared.
  static func dropThreadToNobody() -> Bool {
    swiftbpf_thread_setresuid(65534, 65534, 65534) == 0
  }
}
