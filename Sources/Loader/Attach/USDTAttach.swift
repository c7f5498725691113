import ELFReader
import Glibc
import Syscall

extension AttachScope {
  /// USDT: every site of `provider:name` in the file, each with its
  /// argument spec stored in the object's `__bpf_usdt_specs` map and its
  /// spec id as the BPF cookie, as libbpf's `usdt.bpf.h` expects.
  ///
  /// A program loaded with `BPF_TRACE_UPROBE_MULTI` gets one uprobe.multi
  /// link (6.6); any other gets one uprobe perf link per site. Semaphores
  /// are counted by the kernel (`ref_ctr_offset`, 5.5); without it, with a
  /// `pid`, they are incremented in `/proc/<pid>/mem` and decremented on close.
  func attachUSDT(path: String, provider: String, name probeName: String, specs: USDTSpecTable, pid: Int32?,
                  cookie: UInt64, point: AttachPoint) throws(AttachError) -> Link {
    let file = try resolveBinary(path, pid: pid, point: point)
    let executable: ExecutableFile
    do { executable = try ExecutableFile.open(path: file) } catch { throw .executable(error, program: name) }
    let sites = executable.usdtProbes(provider: provider, name: probeName)
    guard !sites.isEmpty else {
      let known = Set(executable.usdtProbes.map(\.fullName)).sorted().joined(separator: ", ")
      throw .targetNotFound(program: name, target: point.description,
                            reason: "\(file) has no USDT probe \(provider):\(probeName) (it has: \(known.isEmpty ? "none" : known))")
    }
    var ids: [UInt32] = []
    func releaseAll() { for id in ids { specs.release(id) } }
    var offsets: [UInt64] = [], semaphores: [UInt64] = []
    for site in sites {
      let arguments: [USDTArgument]
      do { arguments = try site.arguments() } catch {
        releaseAll()
        throw .executable(.badUSDTArgument(file: file, probe: site.fullName, argument: error.argument,
                                           reason: error.reason), program: name)
      }
      guard let bytes = USDTSpec.encode(arguments, cookie: cookie) else {
        releaseAll()
        throw .invalidRequest(program: name, target: point.description,
                              reason: "\(arguments.count) arguments, usdt.bpf.h reads at most \(USDTSpec.maximumArguments) of 1, 2, 4 or 8 bytes")
      }
      guard let offset = executable.fileOffset(ofAddress: site.address) else {
        releaseAll()
        throw .executable(.addressNotMapped(file: file, address: site.address), program: name)
      }
      var semaphore: UInt64 = 0
      if site.semaphoreAddress != 0 {
        guard let s = executable.fileOffset(ofAddress: site.semaphoreAddress) else {
          releaseAll()
          throw .executable(.addressNotMapped(file: file, address: site.semaphoreAddress), program: name)
        }
        semaphore = s
      }
      guard let id = specs.allocate() else {
        releaseAll()
        throw .invalidRequest(program: name, target: point.description,
                              reason: "all \(specs.capacity) USDT spec slots are in use (raise BPF_USDT_MAX_SPEC_CNT)")
      }
      ids.append(id)
      do { try specs.store(bytes, at: id) } catch {
        releaseAll()
        throw failure(error, point)
      }
      offsets.append(offset)
      semaphores.append(semaphore)
    }
    let cookies = ids.map { UInt64($0) }
    let table = specs
    let idList = ids
    let link: Link
    do throws(AttachError) {
      if expectedAttachType == .traceUprobeMulti {
        link = try attachUprobeMulti(path: file, offsets: offsets, isReturn: false, pid: pid, cookies: cookies,
                                     referenceCounterOffsets: semaphores.contains { $0 != 0 } ? semaphores : [],
                                     point: point)
      } else {
        let kernelCounts = DynamicPMU.named("uprobe")?.referenceCounterShift != nil
        var parts: [Link] = []
        for (i, offset) in offsets.enumerated() {
          let semaphore = kernelCounts ? semaphores[i] : 0
          let event = try openUprobeEvent(path: file, offset: offset, isReturn: false, pid: pid,
                                          referenceCounterOffset: semaphore, point: point)
          let part = try attachPerfEvent(event, cookie: cookies[i], point: point)
          if !kernelCounts, semaphores[i] != 0 {
            guard let pid else {
              throw AttachError.unavailable(program: name, target: point.description,
                                            reason: "the probe has a semaphore and this kernel's uprobe PMU has no ref_ctr_offset: give a pid")
            }
            try Semaphore.add(1, file: file, fileOffset: semaphores[i], pid: pid, program: name, point: point)
            let fileOffset = semaphores[i], program = name
            part.onClose { try? Semaphore.add(-1, file: file, fileOffset: fileOffset, pid: pid, program: program, point: point) }
          }
          parts.append(part)
        }
        link = parts.count == 1 ? parts[0] : Link(kernel: kernel, program: name, target: point.description, parts: parts)
      }
    } catch {
      releaseAll()
      throw error
    }
    link.onClose { for id in idList { table.release(id) } }
    return link
  }
}

/// USDT semaphores in a running process, for kernels without `ref_ctr_offset`.
enum Semaphore {
  /// Adds `delta` to the `unsigned short` at `fileOffset` of `file` as
  /// mapped in `pid`, through `/proc/<pid>/mem`.
  static func add(_ delta: Int16, file: String, fileOffset: UInt64, pid: Int32, program: String,
                  point: AttachPoint) throws(AttachError) {
    guard let map = BinaryPath.mappings(of: file, pid: pid).first(where: {
      $0.end > $0.start && fileOffset >= $0.offset && fileOffset - $0.offset < $0.end - $0.start
    }) else {
      throw .targetNotFound(program: program, target: point.description,
                            reason: "\(file) is not mapped in process \(pid) at the semaphore's offset")
    }
    let address = map.start + (fileOffset - map.offset)
    let memory = "/proc/\(pid)/mem"
    if case .failure(let error) = SystemFiles.addToUInt16(delta, inFile: memory, at: address) {
      let operation = error.operation == "open" ? "open(\(memory))" : "\(error.operation)(semaphore)"
      throw .system(program: program, target: point.description, operation: operation, errno: error.errno)
    }
  }
}
