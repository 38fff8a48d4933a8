import ERPProtocol
import Foundation
import Mustache

/// Renders and checks Mustache templates. Subject and text render without HTML escaping; the
/// HTML part escapes every `{{variable}}` (use `{{{variable}}}` only for trusted markup).
enum TemplateRenderer {
    static func render(_ content: TemplateContent, variables: [String: JSONValue]) throws -> RenderedMessage {
        let context = TemplateVariables.renderable(.object(variables))
        return RenderedMessage(
            subject: try textTemplate(content.subject).render(context).trimmingCharacters(in: .whitespacesAndNewlines),
            text: try textTemplate(content.text).render(context),
            html: try content.html.map { try MustacheTemplate(string: $0).render(context) }
        )
    }

    /// What is wrong with `content` for an event type whose variables are `declared`: syntax
    /// errors and variables the event does not provide, one issue per field.
    static func problems(in content: TemplateContent, declared: [String: JSONValue]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let parts: [(String, String?, Bool)] = [("subject", content.subject, true), ("text", content.text, true), ("html", content.html, false)]
        for (field, source, plain) in parts {
            guard let source else { continue }
            let template: MustacheTemplate
            do {
                template = plain ? try textTemplate(source) : try MustacheTemplate(string: source)
            } catch let error as MustacheTemplate.ParserError {
                issues.append(.invalid(field, message: "Template syntax error on line \(error.context.lineNumber): \(error.error)."))
                continue
            } catch {
                issues.append(.invalid(field, message: "Template syntax error."))
                continue
            }
            let missing = missingVariables(template, source: source, declared: declared)
            if !missing.isEmpty {
                issues.append(.invalid(
                    field,
                    message: "Unknown variables: \(missing.sorted().joined(separator: ", ")). Available: \(declared.keys.sorted().joined(separator: ", "))."
                ))
            }
        }
        return issues
    }

    private static func textTemplate(_ source: String) throws -> MustacheTemplate {
        try MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + source)
    }

    private static func missingVariables(_ template: MustacheTemplate, source: String, declared: [String: JSONValue]) -> Set<String> {
        let recorder = VariableRecorder(values: TemplateVariables.renderable(.object(declared)) as? [String: Any] ?? [:])
        _ = template.render(recorder)
        var missing = recorder.missing
        // Dotted names resolve below the top level, where the recorder cannot tell a typo from a
        // lookup further up the section stack; check their paths against the sample instead.
        for name in dottedNames(in: source) where !hasPath(name.split(separator: ".").map(String.init), in: .object(declared)) {
            missing.insert(name)
        }
        return missing
    }

    private static func dottedNames(in source: String) -> [String] {
        guard let pattern = try? NSRegularExpression(pattern: #"\{\{\{?\s*[&#^/]?\s*([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)\s*\}?\}\}"#) else { return [] }
        let range = NSRange(source.startIndex..., in: source)
        return pattern.matches(in: source, range: range).compactMap { match in
            Range(match.range(at: 1), in: source).map { String(source[$0]) }
        }
    }

    private static func hasPath(_ path: [String], in value: JSONValue) -> Bool {
        guard let first = path.first else { return true }
        guard case .object(let members) = value, let child = members[first] else { return false }
        return hasPath(Array(path.dropFirst()), in: child)
    }
}

/// The root of a validation render: answers declared names with their sample values and
/// remembers every other top-level name a template asked for.
private final class VariableRecorder: MustacheParent {
    let values: [String: Any]
    private(set) var missing: Set<String> = []

    init(values: [String: Any]) { self.values = values }

    func child(named name: String) -> Any? {
        if let value = values[name] { return value }
        missing.insert(name)
        return nil
    }
}
