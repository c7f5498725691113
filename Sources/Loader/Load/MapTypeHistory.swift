import UAPI

/// The Linux release that introduced each map type, for "needs Linux X" errors.
enum MapTypeHistory {
  /// Kernel: the release whose `enum bpf_map_type` first had the value.
  static func minimumKernel(_ type: MapType) -> String {
    switch type {
    case .hash, .array: "3.19"
    case .progArray: "4.2"
    case .perfEventArray: "4.3"
    case .percpuHash, .percpuArray, .stackTrace: "4.6"
    case .cgroupArray: "4.8"
    case .lruHash, .lruPercpuHash: "4.10"
    case .lpmTrie: "4.11"
    case .arrayOfMaps, .hashOfMaps: "4.12"
    case .devmap, .sockmap: "4.14"
    case .cpumap: "4.15"
    case .xskmap, .sockhash: "4.18"
    case .cgroupStorage, .reuseportSockarray: "4.19"
    case .percpuCgroupStorage, .queue, .stack: "4.20"
    case .skStorage: "5.2"
    case .devmapHash: "5.4"
    case .structOps: "5.6"
    case .ringbuf: "5.8"
    case .inodeStorage: "5.10"
    case .taskStorage: "5.11"
    case .bloomFilter: "5.16"
    case .userRingbuf: "6.1"
    case .cgrpStorage: "6.2"
    case .arena: "6.9"
    default: "(unknown: a kernel newer than this table)"
    }
  }

  /// Types whose creation refuses BTF key/value ids (the kernel answers EINVAL).
  static func takesNoBTF(_ type: MapType) -> Bool {
    switch type {
    case .perfEventArray, .stackTrace, .arrayOfMaps, .hashOfMaps, .cgroupArray, .progArray, .structOps,
      .queue, .stack, .ringbuf, .userRingbuf:
      true
    default:
      false
    }
  }
}
