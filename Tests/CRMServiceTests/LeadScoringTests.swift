import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: lead scoring")
struct LeadScoringTests {
    /// One row of the worked examples in docs/crm.md.
    struct Example: Sendable, CustomStringConvertible {
        var input: LeadScoringInput
        var points: [Int]
        var total: Int
        var priority: LeadPriority
        var action: String
        var description: String { "\(input)" }
    }

    /// The rows between the scoring-examples markers of docs/crm.md.
    static func documentedExamples() throws -> [Example] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/crm.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        guard let start = text.range(of: "<!-- scoring-examples -->"), let end = text.range(of: "<!-- /scoring-examples -->") else { return [] }
        let rows = text[start.upperBound..<end.lowerBound].split(separator: "\n").dropFirst(2)
        return try rows.map { row in
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            var budget: Money?
            if cells[0] != "—" {
                let parts = cells[0].split(separator: " ")
                let currency = try #require(CurrencyCode(String(parts[0])))
                budget = try Money(parsing: String(parts[1]), currency: currency)
            }
            let input = LeadScoringInput(
                budget: budget, purchaseTimeline: try #require(PurchaseTimeline(rawValue: cells[1])),
                technicalComplexity: try #require(TechnicalComplexity(rawValue: cells[2])), decisionRole: try #require(DecisionRole(rawValue: cells[3])),
                industry: cells[4] == "—" ? nil : cells[4])
            return Example(
                input: input, points: cells[5].split(separator: "/").compactMap { Int($0) }, total: try #require(Int(cells[6])),
                priority: try #require(LeadPriority(rawValue: cells[7])), action: cells[8])
        }
    }

    @Test("the scorer gives the documented points, total, priority and action for every documented example")
    func documentedExamples() throws {
        let examples = try Self.documentedExamples()
        #expect(examples.count == 7)
        let scorer = RuleBasedLeadScorer()
        for example in examples {
            let score = scorer.score(example.input)
            #expect(score.criteria.map(\.name) == ["budget", "timeline", "technical_complexity", "decision_authority", "industry_fit"])
            #expect(score.criteria.map(\.points) == example.points, "\(example)")
            #expect(score.total == example.total, "\(example)")
            #expect(score.priority == example.priority, "\(example)")
            #expect(score.recommendedAction == example.action, "\(example)")
            #expect(score.criteria.allSatisfy { (0...20).contains($0.points) && !$0.reason.isEmpty })
            #expect(score.scorer == "rules-v1")
        }
    }

    @Test("priority bands")
    func priorityBands() {
        #expect([100, 80, 79, 60, 59, 40, 39, 0].map { LeadPriority(score: $0) } == [.immediate, .immediate, .high, .high, .medium, .medium, .low, .low])
    }

    @Test("through the API: scored on create, re-scored (with history and an event) only when an input changes")
    func recomputedWhenInputsChange() async throws {
        let examples = try Self.documentedExamples()
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let first = examples[2], second = examples[1]
            let budget = try String(decoding: ERPJSON.encode(first.input.budget), as: UTF8.self)
            let lead = try await harness.create("/v1/leads", tenant, json: """
                {"lastName":"Scored","source":"web","budget":\(budget),"purchaseTimeline":"\(first.input.purchaseTimeline.rawValue)",
                 "technicalComplexity":"\(first.input.technicalComplexity.rawValue)","decisionRole":"\(first.input.decisionRole.rawValue)",
                 "industry":"\(first.input.industry!)"}
                """, as: LeadResponse.self)
            #expect(lead.score == first.total)
            #expect(lead.priority == first.priority)
            let path = "/v1/leads/\(lead.id.lowercased)"
            let titleOnly = try await harness.send(.patch, path, token: tenant.token, json: #"{"title":"VP"}"#, headers: .ifMatch(lead.version.etag))
            let afterTitle = try titleOnly.decoded(LeadResponse.self)
            #expect(try await harness.send(.get, "\(path)/scores", token: tenant.token).decoded(LeadController.ScoreHistory.self).items.count == 1)

            let newBudget = try String(decoding: ERPJSON.encode(second.input.budget), as: UTF8.self)
            let changed = try await harness.send(.patch, path, token: tenant.token, json: """
                {"budget":\(newBudget),"purchaseTimeline":"\(second.input.purchaseTimeline.rawValue)","technicalComplexity":"\(second.input.technicalComplexity.rawValue)",
                 "decisionRole":"\(second.input.decisionRole.rawValue)","industry":"\(second.input.industry!)"}
                """, headers: .ifMatch(afterTitle.version.etag))
            let rescored = try changed.decoded(LeadResponse.self)
            #expect(rescored.score == second.total)
            #expect(rescored.priority == second.priority)
            let history = try await harness.send(.get, "\(path)/scores", token: tenant.token).decoded(LeadController.ScoreHistory.self).items
            #expect(history.map(\.score) == [second.total, first.total])
            #expect(history.first?.criteria.map(\.points) == second.points)
            #expect(history.first?.recommendedAction == second.action)
            #expect(history.first?.inputs == second.input)
            let events = try await harness.events(EventType.CRM.leadScored, tenant.id, as: LeadScored.self)
            #expect(events.map(\.data.score) == [first.total, second.total])
            #expect(events.last?.data.previousScore == first.total)
            #expect(events.last?.data.criteria.map(\.reason) == history.first?.criteria.map(\.reason))
        }
    }
}
