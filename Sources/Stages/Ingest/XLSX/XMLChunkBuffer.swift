import Foundation

/// Holds the tail of an inflated part that ends mid-token until the next chunk completes it.
///
/// Memory stays bounded by the chunk size plus one pending token, whatever the part's length.
struct XMLChunkBuffer {
    private var bytes: [UInt8] = []

    /// Bytes waiting for the rest of their token.
    var pendingCount: Int { bytes.count }

    /// Appends `chunk`, lets `scan` consume complete tokens (it returns how many bytes it used), keeps the rest.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ scan: (UnsafeBufferPointer<UInt8>) throws -> Int) throws {
        bytes.append(contentsOf: chunk)
        let consumed = try bytes.withUnsafeBufferPointer { try scan($0) }
        if consumed == bytes.count {
            bytes.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            bytes.removeSubrange(0..<consumed)
        }
    }

    /// Lets `scan` consume what is left at the end of the part.
    mutating func finish(_ scan: (UnsafeBufferPointer<UInt8>) throws -> Int) throws -> Int {
        let consumed = try bytes.withUnsafeBufferPointer { try scan($0) }
        let left = bytes.count - consumed
        bytes.removeAll()
        return left
    }
}
