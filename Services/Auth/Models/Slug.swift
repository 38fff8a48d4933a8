import ERPProtocol

/// An organization's URL- and login-friendly handle: lowercase letters, digits and single
/// hyphens, 3–50 characters.
enum Slug {
    static func isValid(_ slug: String) -> Bool {
        let scalars = Array(slug.unicodeScalars)
        guard (3...50).contains(scalars.count), scalars.first != "-", scalars.last != "-", !slug.contains("--") else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A slug derived from a display name (`Acme GmbH & Co.` → `acme-gmbh-co`).
    static func derive(from name: String) -> String {
        var result = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.count > 50 { result = String(result.prefix(50)); while result.hasSuffix("-") { result.removeLast() } }
        return result.count >= 3 ? result : "org-" + result
    }
}
