import UAPI

/// Which map types are created with BTF key/value type ids.
enum MapBTFPolicy {
  /// Types created without BTF key/value ids, as libbpf creates them: the
  /// kernel refuses BTF for some (EINVAL for PROG_ARRAY, map-in-map, perf
  /// event arrays), and key-less ones (queue, stack, ring buffers) carry none.
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
