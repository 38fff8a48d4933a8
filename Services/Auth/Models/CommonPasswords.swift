/// The bundled list of the most common passwords (see `CommonPasswords+List.swift`), and the
/// check that also catches the usual decorations: `Password123!` is `password` with digits and
/// a symbol appended, and is refused like it.
enum CommonPasswords {
    static let set: Set<String> = Set(bundledList.split(separator: "\n").map(String.init))

    static func contains(_ password: String) -> Bool {
        let lowered = password.lowercased()
        if set.contains(lowered) { return true }
        let core = Substring(lowered).trimmingSuffix { $0.isNumber || $0.isPunctuation || $0.isSymbol || $0 == " " }
            .trimmingPrefix { $0.isNumber || $0.isPunctuation || $0.isSymbol }
        return !core.isEmpty && set.contains(String(core))
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }

    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        var start = startIndex
        while start < endIndex, predicate(self[start]) { start = index(after: start) }
        return self[start..<endIndex]
    }
}
