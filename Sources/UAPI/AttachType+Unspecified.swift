extension AttachType {
  /// No attach type: what a program loaded without an expected attach type
  /// has, and what `BPF_LINK_CREATE` is given for freplace
  /// (`BPF_PROG_TYPE_EXT`), whose attach type the kernel does not check.
  ///
  /// Kernel: no name of its own; 0, the number of the enum's first value
  /// (`BPF_CGROUP_INET_INGRESS`), which `description` therefore prints.
  public static let unspecified = AttachType(rawValue: 0)
}
