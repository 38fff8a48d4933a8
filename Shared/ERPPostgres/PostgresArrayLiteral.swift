/// PostgreSQL's one-dimensional array text format: `{"a","b \"quoted\"",NULL}`.
enum PostgresArrayLiteral {
    /// Every element is quoted, so commas, braces, spaces and the word NULL stay data.
    static func format(_ elements: [String]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    /// The elements (nil for NULL), or nil when the text is not a one-dimensional array.
    static func parse(_ text: String) -> [String?]? {
        var scalars = Substring(text).unicodeScalars[...]
        // A non-default lower bound is printed as "[0:2]={...}"; the elements are what we want.
        if scalars.first == "[" {
            guard let equals = scalars.firstIndex(of: "=") else { return nil }
            scalars = scalars[scalars.index(after: equals)...]
        }
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        var elements: [String?] = []
        if scalars.allSatisfy({ $0 == " " }) { return elements }
        var iterator = scalars.makeIterator()
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        var escaped = false
        while true {
            guard let scalar = iterator.next() else { break }
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if quoted {
                if scalar == "\"" { quoted = false } else { current.append(scalar) }
            } else if scalar == "\"" {
                quoted = true
                wasQuoted = true
            } else if scalar == "{" || scalar == "}" {
                return nil  // nested: more than one dimension
            } else if scalar == "," {
                elements.append(finish(current, wasQuoted: wasQuoted))
                current = String.UnicodeScalarView()
                wasQuoted = false
            } else {
                current.append(scalar)
            }
        }
        guard !quoted, !escaped else { return nil }
        elements.append(finish(current, wasQuoted: wasQuoted))
        return elements
    }

    private static func finish(_ scalars: String.UnicodeScalarView, wasQuoted: Bool) -> String? {
        let text = String(scalars)
        if wasQuoted { return text }
        let trimmed = text.trimmingSpaces()
        return trimmed.uppercased() == "NULL" ? nil : trimmed
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
