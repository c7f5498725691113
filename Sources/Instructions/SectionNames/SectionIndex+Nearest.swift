extension SectionIndex {
  /// The known row name closest to an unknown section name, or nil when none
  /// is close enough to be a useful suggestion.
  ///
  /// Distance is the edit distance, computed where it makes sense for the
  /// row: for a `+` row, between its name and the part before the first `/`
  /// (`kprob/do_exit` is 1 from `kprobe`); for an exact row, the smaller of
  /// the distance of the whole name and that of the parts before `/` plus one
  /// (`xdp/foo` is 1 from `xdp`, `tcx/foo` 1 from `tcx/ingress`). Ties go to
  /// the smaller whole-name distance (`sk_skb/stream_verdic` →
  /// `sk_skb/stream_verdict`, not `sk_skb`), then to a row whose name starts
  /// the input (`uprobes/...` → `uprobe`, not `uprobe.s`), then to the longer
  /// common prefix, then to the table order. A suggestion must be within a third of the input's
  /// length (at least 1); a name far from every row still gets the row it
  /// shares the longest prefix with, if that is 3 characters or more
  /// (`perf` → `perf_event`). A `.s` added to a row without a sleepable form
  /// (`kprobe.s/...`) suggests that row.
  func nearest(to name: Substring) -> String? {
    // Only on the error path: a few hundred short edit distances.
    let headText = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? name
    if headText.hasSuffix(".s"), let row = rows.first(where: { $0.name == headText.dropLast(2) }) {
      return row.name
    }
    let input = Array(name.utf8)
    let inputHead = Array(headText.utf8)
    let hasSlash = inputHead.count < input.count

    var best: (score: Int, startsInput: Int, whole: Int, prefix: Int, index: Int)? = nil
    var longestPrefix: (length: Int, index: Int)? = nil

    for (i, row) in rows.enumerated() {
      let rowName = Array(row.name.utf8)
      var whole = editDistance(input, rowName)
      var score = whole
      switch row.matching {
      case .optionalTarget, .requiredTarget:
        // The target text is free: only the part before '/' counts.
        whole = min(whole, editDistance(inputHead, rowName))
        score = whole
      case .exact:
        if hasSlash || rowName.contains(UInt8(ascii: "/")) {
          let rowHead = Array(rowName.prefix(while: { $0 != UInt8(ascii: "/") }))
          score = min(score, editDistance(inputHead, rowHead) + 1)
        }
      }
      let prefix = commonPrefixLength(input, rowName)
      let startsInput = prefix == rowName.count ? 0 : 1
      let candidate = (score: score, startsInput: startsInput, whole: whole, prefix: prefix, index: i)
      if let current = best {
        if (candidate.score, candidate.whole, candidate.startsInput, -candidate.prefix)
          < (current.score, current.whole, current.startsInput, -current.prefix)
        {
          best = candidate
        }
      } else {
        best = candidate
      }
      if prefix > (longestPrefix?.length ?? 0) { longestPrefix = (prefix, i) }
    }

    if let best, best.score <= max(1, inputHead.count / 3) {
      return rows[best.index].name
    }
    if let longestPrefix, longestPrefix.length >= 3 {
      return rows[longestPrefix.index].name
    }
    return nil
  }
}

/// Levenshtein distance over bytes, two rows of memory.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
      current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}

/// Number of leading bytes two names share.
func commonPrefixLength(_ a: [UInt8], _ b: [UInt8]) -> Int {
  var n = 0
  while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
  return n
}
