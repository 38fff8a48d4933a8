import ERPProtocol
import Foundation

/// The order of a list: `sort=name` ascending, `sort=-createdAt` descending.
struct ListSort: Sendable {
    let field: SortField
    let descending: Bool

    /// The wire form, as the cursor records it.
    var token: String { (descending ? "-" : "") + field.name }

    /// Parses `sort` against the fields the list offers; `relevance` only when searching.
    static func parse(_ text: String?, fields: [SortField], searching: Bool, default defaultToken: String) throws -> ListSort {
        let token = (text?.isEmpty == false ? text! : (searching ? "-relevance" : defaultToken))
        let descending = token.hasPrefix("-")
        let name = descending ? String(token.dropFirst()) : token
        let allowed = fields + (searching ? [.relevance] : [])
        guard let field = allowed.first(where: { $0.name == name }) else {
            let names = allowed.map(\.name).joined(separator: ", ")
            throw ProblemDetails.validation([.invalid("sort", message: "Sort by one of \(names), with - for descending.")])
        }
        return ListSort(field: field, descending: descending)
    }
}

/// What a list cursor holds: the sort it belongs to, the last row's sort key (as PostgreSQL's
/// text of the sort expression) and id.
struct ListCursor: Codable, Sendable {
    var s: String
    var k: String
    @LowercaseUUID var id: UUID

    /// The cursor of `page`, checked against the list's current sort.
    static func decode(_ page: PageRequest, sort: ListSort) throws -> ListCursor? {
        guard let cursor = page.cursor else { return nil }
        let keys = try cursor.decode(ListCursor.self)
        guard keys.s == sort.token else { throw Cursor.invalidProblem }
        return keys
    }
}

/// A text search: the words of `q` (lowercased letters and digits), matched as prefixes of the
/// words of a record.
struct SearchText: Sendable {
    let raw: String
    let words: [String]
    let fuzzy: Bool

    /// Parses `q`; nil when absent or blank. At least one word needs two characters.
    init?(_ text: String?, fuzzy: Bool = false) throws {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= 200 else { throw ProblemDetails.validation([.outOfRange("q", message: "At most 200 characters.")]) }
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var unique: [String] = []
        for word in words where !unique.contains(word) { unique.append(String(word.prefix(100))) }
        guard unique.contains(where: { $0.count >= 2 }) else {
            throw ProblemDetails.validation([.invalid("q", message: "Search for at least one word of two or more letters or digits.")])
        }
        self.raw = text.lowercased()
        self.words = Array(unique.prefix(8))
        self.fuzzy = fuzzy
    }

    /// `acme:* & corp:*` for `to_tsquery('simple', …)` (words hold only letters and digits).
    var prefixQuery: String {
        words.map { "\($0):*" }.joined(separator: " & ")
    }

    /// The smallest string above every string that starts with `word` (byte order).
    static func upperBound(_ word: String) -> String {
        word + "\u{10FFFF}"
    }

    /// Fuzzy matching compares a word with the record words that share its first letter (typos
    /// rarely hit the first letter, and the range keeps the lookup on the index).
    static func firstLetter(_ word: String) -> String {
        String(word.prefix(1))
    }

    /// pg_trgm similarity from which a record word counts as a typo of a search word
    /// (`jon`/`john` 0.29, `smiht`/`smith` 0.33, `globx`/`globex` 0.44).
    static let fuzzyThreshold = 0.25
}
