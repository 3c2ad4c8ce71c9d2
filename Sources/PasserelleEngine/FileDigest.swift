import CLibCrypto
import Foundation
import PasserelleCore

/// SHA-256 of a file, streamed in 1 MiB chunks through OpenSSL's libcrypto (Debian's libssl-dev).
package enum FileDigest {
    /// The lowercase hex SHA-256 and the size of the file at `path`.
    package static func sha256(ofFileAt path: String) throws -> (hex: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StageError(stage: "", message: "cannot open \(path) to compute its digest", fix: "check it exists and is readable")
        }
        defer { try? handle.close() }  // closing a read-only handle cannot lose data
        guard let context = EVP_MD_CTX_new() else {
            throw StageError(stage: "", message: "libcrypto could not allocate a digest context")
        }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        var size: Int64 = 0
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            size += Int64(chunk.count)
            chunk.withUnsafeBytes { buffer in _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return (digest.map { String($0, radix: 16).leftPadded(2) }.joined(), size)
    }

    /// SHA-256 of bytes, hex.
    package static func sha256(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        data.withUnsafeBytes { buffer in
            _ = EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil)
        }
        return digest.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}
