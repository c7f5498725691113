import Logging

extension LoadContext {
  /// Logs through the user's logger (`OpenOptions.logger`), the object's
  /// metadata already on it; `map` or `program` name what the record is about.
  func log(_ level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
           map: String? = nil, program: String? = nil) {
    logger.log(level: level, message(), metadata: Self.metadata(map: map, program: program))
  }

  static func metadata(map: String?, program: String?) -> Logger.Metadata? {
    var metadata = Logger.Metadata()
    if let map { metadata[LogMetadataKey.map] = .string(map) }
    if let program { metadata[LogMetadataKey.program] = .string(program) }
    return metadata.isEmpty ? nil : metadata
  }
}
