import ERPPostgres
import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: analytics")
struct AnalyticsTests {
    struct RawOpportunity {
        var id: UUID
        var stage: UUID
        var status: String
        var amount: Int64
        var currency: String
        var owner: UUID?
        var createdAt: Date
        var closedAt: Date?
        var closeDate: String?
        var deleted: Bool
    }

    struct RawChange {
        var opportunity: UUID
        var stage: UUID
        var at: Date
        var sequence: Int64
    }

    /// Rounds half away from zero, written out independently of the service's helper.
    static func rounded(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        Int64((Double(numerator) / Double(denominator)).rounded(.toNearestOrAwayFromZero))
    }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        // Timestamps reach Swift as microsecond text and Doubles of seconds since 1970: durations of
        // milliseconds carry a relative error around 1e-6.
        case (let a?, let b?): return abs(a - b) <= max(1e-6, abs(b) * 1e-5)
        default: return false
        }
    }

    @Test("every figure equals a direct calculation over the raw rows of a seeded data set")
    func matchesDirectCalculation() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let pipeline = try await harness.create("/v1/pipelines", tenant, json: """
                {"name":"Analytics","isDefault":true,"stages":[{"name":"Lead-in","probability":10},{"name":"Demo","probability":40},
                 {"name":"Proposal","probability":70},{"name":"Won","kind":"won"},{"name":"Lost","kind":"lost"}]}
                """, as: PipelineResponse.self)
            let leadIn = pipeline.stages[0].id, demo = pipeline.stages[1].id, proposal = pipeline.stages[2].id
            let ownerA = try await harness.member(tenant.id), ownerB = try await harness.member(tenant.id), ownerC = try await harness.member(tenant.id)
            func open(_ owner: UserID, _ amount: Int, _ currency: String = "USD", close: String? = nil) async throws -> UUID {
                try await harness.create("/v1/opportunities", tenant, json: """
                    {"name":"Deal \(amount)","amount":{"amountMinor":\(amount),"currency":"\(currency)"},"ownerId":"\(owner)"\(close.map { #","expectedCloseDate":"\#($0)""# } ?? "")}
                    """, as: OpportunityResponse.self).id
            }
            func move(_ id: UUID, _ stage: UUID) async throws {
                let response = try await harness.send(.post, "/v1/opportunities/\(id.lowercased)/stage", token: tenant.token, json: #"{"stageId":"\#(stage.lowercased)"}"#)
                #expect(response.status == .ok, "\(response.text)")
            }
            func finish(_ id: UUID, won: Bool) async throws {
                let response = try await harness.send(.post, "/v1/opportunities/\(id.lowercased)/\(won ? "won" : "lost")", token: tenant.token, json: #"{"reason":"r"}"#)
                #expect(response.status == .ok, "\(response.text)")
            }
            _ = try await open(ownerA, 10_000, close: "2026-03-15")
            let o2 = try await open(ownerA, 20_000, close: "2026-03-20")
            try await move(o2, demo)
            let o3 = try await open(ownerB, 30_000, close: "2026-04-10")
            try await move(o3, demo); try await move(o3, proposal)
            let o4 = try await open(ownerB, 40_000)
            try await move(o4, demo); try await move(o4, proposal); try await finish(o4, won: true)
            let o5 = try await open(ownerC, 50_000)
            try await move(o5, demo); try await finish(o5, won: false)
            let o6 = try await open(ownerC, 60_000)
            try await finish(o6, won: true)
            let o7 = try await open(ownerA, 70_001)
            try await move(o7, demo); try await move(o7, proposal); try await finish(o7, won: false)
            let o8 = try await open(ownerB, 12_345, close: "2026-04-30")
            try await move(o8, proposal)
            let o9 = try await open(ownerA, 99, "EUR", close: "2026-03-01")
            try await move(o9, demo)
            let o10 = try await open(ownerC, 5_555, close: "2026-03-02")
            #expect(try await harness.send(.delete, "/v1/opportunities/\(o10.lowercased)", token: tenant.token).status == .noContent)
            let o11 = try await open(ownerB, 7_777, close: "2026-05-05")
            try await finish(o11, won: true)
            #expect(try await harness.send(.post, "/v1/opportunities/\(o11.lowercased)/reopen", token: tenant.token, json: #"{"stageId":"\#(demo.lowercased)"}"#).status == .ok)
            _ = try await open(ownerA, 3_333, close: "2026-05-31")

            // The raw rows, read straight from the tables.
            let (opportunities, changes) = try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
                let opportunities = try await connection.query(
                    "SELECT id, stage_id, status, amount_minor, currency, owner_id, created_at, closed_at, expected_close_date::text, deleted_at IS NOT NULL FROM opportunities"
                ).map {
                    RawOpportunity(
                        id: try $0.decode(UUID.self, at: 0), stage: try $0.decode(UUID.self, at: 1), status: try $0.decode(String.self, at: 2),
                        amount: try $0.decode(Int64.self, at: 3), currency: try $0.decode(String.self, at: 4), owner: try $0.decode(UUID?.self, at: 5),
                        createdAt: try $0.decode(Date.self, at: 6), closedAt: try $0.decode(Date?.self, at: 7), closeDate: try $0.decode(String?.self, at: 8),
                        deleted: try $0.decode(Bool.self, at: 9))
                }
                let changes = try await connection.query("SELECT opportunity_id, to_stage_id, changed_at, sequence FROM opportunity_stage_history").map {
                    RawChange(opportunity: try $0.decode(UUID.self, at: 0), stage: try $0.decode(UUID.self, at: 1), at: try $0.decode(Date.self, at: 2),
                              sequence: try $0.decode(Int64.self, at: 3))
                }
                return (opportunities, changes)
            }
            let stages = pipeline.stages
            let probability = Dictionary(uniqueKeysWithValues: stages.map { ($0.id, Int64($0.probability)) })
            let scoped = opportunities.filter { !$0.deleted && $0.currency == "USD" }
            let openRows = scoped.filter { $0.status == "open" }
            let won = scoped.filter { $0.status == "won" }, lost = scoped.filter { $0.status == "lost" }
            var visits: [UUID: [RawChange]] = [:]
            for change in changes { visits[change.opportunity, default: []].append(change) }
            for key in visits.keys { visits[key]!.sort { ($0.at, $0.sequence) < ($1.at, $1.sequence) } }

            let report = try await harness.send(.get, "/v1/analytics/pipeline", token: tenant.token)
            #expect(report.status == .ok, "\(report.text)")
            let pipelineReport = try report.decoded(AnalyticsController.PipelineReport.self)
            #expect(pipelineReport.currency.rawValue == "USD")
            for stage in pipelineReport.stages {
                let here = openRows.filter { $0.stage == stage.stageId }
                #expect(stage.openCount == here.count, "\(stage.name)")
                #expect(stage.value.amountMinor == here.reduce(0) { $0 + $1.amount }, "\(stage.name)")
                #expect(stage.weightedValue.amountMinor == Self.rounded(here.reduce(0) { $0 + $1.amount * probability[$1.stage]! }, 100), "\(stage.name)")
                if stage.kind == .open {
                    let entered = scoped.filter { row in visits[row.id, default: []].contains { $0.stage == stage.stageId } }
                    let advanced = entered.filter { row in
                        visits[row.id, default: []].contains { change in
                            let later = stages.first { $0.id == change.stage }!
                            return (later.kind == .open && later.position > stage.position) || later.kind == .won
                        }
                    }
                    #expect(stage.entered == entered.count, "\(stage.name)")
                    #expect(stage.advanced == advanced.count, "\(stage.name)")
                    #expect(Self.close(stage.conversionRate, entered.isEmpty ? nil : Double(advanced.count) / Double(entered.count)), "\(stage.name)")
                }
                var stays: [Double] = []
                for row in scoped {
                    let history = visits[row.id, default: []]
                    for (current, next) in zip(history, history.dropFirst()) where current.stage == stage.stageId {
                        stays.append(next.at.timeIntervalSince(current.at))
                    }
                }
                #expect(stage.durationSamples == stays.count, "\(stage.name)")
                #expect(Self.close(stage.averageDurationSeconds, stays.isEmpty ? nil : stays.reduce(0, +) / Double(stays.count)), "\(stage.name)")
            }
            #expect(pipelineReport.openCount == openRows.count)
            #expect(pipelineReport.pipelineValue.amountMinor == openRows.reduce(0) { $0 + $1.amount })
            #expect(pipelineReport.won == won.count)
            #expect(pipelineReport.lost == lost.count)
            let winRate = Double(won.count) / Double(won.count + lost.count)
            #expect(Self.close(pipelineReport.winRate, winRate))
            let averageDeal = Self.rounded(won.reduce(0) { $0 + $1.amount }, Int64(won.count))
            #expect(pipelineReport.averageDealSize?.amountMinor == averageDeal)
            let cycleSeconds = won.map { $0.closedAt!.timeIntervalSince($0.createdAt) }.reduce(0, +) / Double(won.count)
            let cycleDays = cycleSeconds / 86_400
            #expect(Self.close(pipelineReport.averageSalesCycleDays.map { $0 * 86_400 }, cycleSeconds))
            let velocity = Double(openRows.count) * Double(averageDeal) * winRate / cycleDays
            let reportedVelocity = Double(pipelineReport.salesVelocity?.amountMinor ?? 0)
            #expect(abs(reportedVelocity - velocity) <= max(1, velocity * 1e-5))
            #expect(won.count == 2 && lost.count == 2 && openRows.count == 6)

            let forecast = try await harness.send(.get, "/v1/analytics/forecast?fromMonth=2026-03&months=3", token: tenant.token)
                .decoded(AnalyticsController.ForecastReport.self)
            #expect(forecast.months.map(\.month) == ["2026-03", "2026-04", "2026-05"])
            for month in forecast.months {
                let due = openRows.filter { $0.closeDate?.hasPrefix(month.month) == true }
                #expect(month.count == due.count, "\(month.month)")
                #expect(month.value.amountMinor == due.reduce(0) { $0 + $1.amount }, "\(month.month)")
                #expect(month.weighted.amountMinor == Self.rounded(due.reduce(0) { $0 + $1.amount * probability[$1.stage]! }, 100), "\(month.month)")
                var historical = 0.0
                for row in due {
                    let throughStage = scoped.filter { other in visits[other.id, default: []].contains { $0.stage == row.stage } }
                    let closed = throughStage.filter { $0.status != "open" }
                    let rate = closed.isEmpty ? Double(probability[row.stage]!) / 100 : Double(closed.filter { $0.status == "won" }.count) / Double(closed.count)
                    historical += Double(row.amount) * rate
                }
                #expect(abs(Double(month.historical.amountMinor) - historical) <= 0.5 + 1e-9, "\(month.month)")
            }

            let board = try await harness.send(.get, "/v1/analytics/leaderboard", token: tenant.token).decoded(AnalyticsController.LeaderboardReport.self)
            for owner in [ownerA, ownerB, ownerC] {
                let mine = scoped.filter { $0.owner == owner.uuid }
                let row = try #require(board.owners.first { $0.ownerId == owner })
                #expect(row.won == mine.filter { $0.status == "won" }.count)
                #expect(row.wonValue.amountMinor == mine.filter { $0.status == "won" }.reduce(0) { $0 + $1.amount })
                #expect(row.lost == mine.filter { $0.status == "lost" }.count)
                #expect(row.openCount == mine.filter { $0.status == "open" }.count)
                #expect(row.openValue.amountMinor == mine.filter { $0.status == "open" }.reduce(0) { $0 + $1.amount })
            }
            #expect(board.owners.map(\.wonValue.amountMinor) == board.owners.map(\.wonValue.amountMinor).sorted(by: >))
            #expect(board.owners.first?.ownerId == ownerC)

            let euro = try await harness.send(.get, "/v1/analytics/pipeline?currency=EUR", token: tenant.token).decoded(AnalyticsController.PipelineReport.self)
            #expect(euro.pipelineValue.amountMinor == 99)
            #expect(euro.winRate == nil)
            let futureWindow = try await harness.send(.get, "/v1/analytics/pipeline?from=2100-01-01T00:00:00Z", token: tenant.token)
                .decoded(AnalyticsController.PipelineReport.self)
            #expect(futureWindow.won == 0)
            #expect(futureWindow.stages.allSatisfy { ($0.entered ?? 0) == 0 })
            #expect(try await harness.send(.get, "/v1/analytics/pipeline", token: tenant.viewerToken).status == .ok)
            let noAnalytics = try harness.token(tenant: tenant.id, permissions: ["crm.opportunity.read"])
            #expect(try await harness.send(.get, "/v1/analytics/pipeline", token: noAnalytics).status == .forbidden)
        }
    }
}
