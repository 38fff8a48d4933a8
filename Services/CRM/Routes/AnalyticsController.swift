import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Pipeline analytics (docs/crm.md, "Analytics"): value and weighted value by stage, conversion
/// per stage, win rate, average deal size, sales cycle and velocity, stage durations, a monthly
/// forecast (weighted by stage probability and by the stages' historical win rates), and the
/// owner leaderboard. Scope: one pipeline (default: the default one) in one currency (default:
/// the one most of its opportunities use), optionally one owner and a `from`/`to` window.
struct AnalyticsController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/analytics/pipeline", use: pipeline)
        router.get("/v1/analytics/forecast", use: forecast)
        router.get("/v1/analytics/leaderboard", use: leaderboard)
        router.get("/v1/analytics/customers", use: customers)
        router.get("/v1/companies/:id/insights", use: companyInsights)
    }

    struct StageReport: Codable, Sendable {
        @LowercaseUUID var stageId: UUID
        var name: String
        var position: Int
        var probability: Int
        var kind: StageKind
        var openCount: Int
        var value: Money
        var weightedValue: Money
        /// Open stages only: opportunities that entered the stage, and those that went on to a later open stage or won.
        var entered: Int?
        var advanced: Int?
        var conversionRate: Double?
        /// Completed stays in the stage.
        var durationSamples: Int
        var averageDurationSeconds: Double?
    }

    struct PipelineReport: ResponseCodable, Sendable {
        @LowercaseUUID var pipelineId: UUID
        var currency: CurrencyCode
        var stages: [StageReport]
        var openCount: Int
        var pipelineValue: Money
        var weightedValue: Money
        var won: Int
        var lost: Int
        var winRate: Double?
        var averageDealSize: Money?
        var averageSalesCycleDays: Double?
        /// Money per day.
        var salesVelocity: Money?
    }

    struct ForecastMonth: Codable, Sendable {
        /// `YYYY-MM`.
        var month: String
        var count: Int
        var value: Money
        /// Σ amount × current stage probability.
        var weighted: Money
        /// Σ amount × the historical win rate of the opportunity's current stage (won ÷ closed among
        /// the opportunities whose stage history includes it; the stage probability until any closed).
        var historical: Money
    }

    struct ForecastReport: ResponseCodable, Sendable {
        @LowercaseUUID var pipelineId: UUID
        var currency: CurrencyCode
        var months: [ForecastMonth]
    }

    struct OwnerReport: Codable, Sendable {
        var ownerId: UserID?
        var won: Int
        var wonValue: Money
        var lost: Int
        var winRate: Double?
        var openCount: Int
        var openValue: Money
    }

    struct LeaderboardReport: ResponseCodable, Sendable {
        @LowercaseUUID var pipelineId: UUID
        var currency: CurrencyCode
        var owners: [OwnerReport]
    }

    /// Reads `pipelineId`, `currency`, `ownerId`, `from`, `to` and resolves the defaults.
    private func scope(_ request: Request, _ tx: CRMTransaction) async throws -> (AnalyticsRepository.Scope, Pipeline) {
        let query = request.uri.queryParameters
        var issues: [FieldIssue] = []
        func uuid(_ name: String) -> UUID? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let id = UUID(uuidString: text) else { issues.append(.invalid(name, message: "An id.")); return nil }
            return id
        }
        func date(_ name: String) -> Date? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let date = ERPJSON.date(from: text) else { issues.append(.invalid(name, message: "An ISO-8601 timestamp.")); return nil }
            return date
        }
        let pipelineID = uuid("pipelineId"), owner = uuid("ownerId"), from = date("from"), to = date("to")
        var currency: CurrencyCode?
        if let text = query.get("currency"), !text.isEmpty {
            currency = CurrencyCode(text.uppercased())
            if currency == nil { issues.append(.invalid("currency", message: "An ISO 4217 code.")) }
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let pipeline: Pipeline
        if let pipelineID {
            guard let found = try await PipelineRepository(tx.connection).find(pipelineID) else {
                throw ProblemDetails.validation([.invalid("pipelineId", message: "No such pipeline.")])
            }
            pipeline = found
        } else if let found = try await PipelineRepository(tx.connection).defaultPipeline() {
            pipeline = found
        } else {
            throw ProblemDetails.notFound(detail: "There is no pipeline yet.")
        }
        var resolved = currency
        if resolved == nil { resolved = try await AnalyticsRepository(tx.connection).dominantCurrency(pipeline: pipeline.id) }
        let chosen = resolved ?? CurrencyCode("USD")!
        return (AnalyticsRepository.Scope(pipelineID: pipeline.id, currency: chosen, ownerID: owner, from: from, to: to), pipeline)
    }

    @Sendable func pipeline(_ request: Request, context: ERPRequestContext) async throws -> PipelineReport {
        let tenant = try context.require(CRMPermission.analyticsRead).tenantID
        return try await dependencies.read(tenant) { tx in
            let (scope, pipeline) = try await scope(request, tx)
            let repository = AnalyticsRepository(tx.connection)
            let open = try await repository.openByStage(scope)
            let flow = try await repository.flow(scope)
            let durations = try await repository.stageDurations(scope)
            let outcomes = try await repository.outcomes(scope)
            let currency = scope.currency
            let stages = pipeline.stages.map { stage in
                let value = open[stage.id]
                let stageFlow = flow[stage.id]
                return StageReport(
                    stageId: stage.id, name: stage.name, position: stage.position, probability: stage.probability, kind: stage.kind,
                    openCount: value?.count ?? 0, value: Money(amountMinor: value?.valueMinor ?? 0, currency: currency),
                    weightedValue: Money(amountMinor: AnalyticsMath.weighted(value?.weightedNumerator ?? 0), currency: currency),
                    entered: stageFlow?.entered, advanced: stageFlow?.advanced,
                    conversionRate: stageFlow.flatMap { AnalyticsMath.rate($0.advanced, of: $0.entered) },
                    durationSamples: durations[stage.id]?.samples ?? 0, averageDurationSeconds: durations[stage.id]?.averageSeconds)
            }
            let openCount = stages.reduce(0) { $0 + $1.openCount }
            let averageDeal = outcomes.won > 0 ? AnalyticsMath.divideRounded(outcomes.wonValueMinor, by: Int64(outcomes.won)) : nil
            let winRate = AnalyticsMath.rate(outcomes.won, of: outcomes.won + outcomes.lost)
            let cycleDays = outcomes.averageCycleSeconds.map { $0 / 86_400 }
            return PipelineReport(
                pipelineId: pipeline.id, currency: currency, stages: stages, openCount: openCount,
                pipelineValue: Money(amountMinor: stages.reduce(0) { $0 + $1.value.amountMinor }, currency: currency),
                weightedValue: Money(amountMinor: stages.reduce(0) { $0 + $1.weightedValue.amountMinor }, currency: currency),
                won: outcomes.won, lost: outcomes.lost, winRate: winRate, averageDealSize: averageDeal.map { Money(amountMinor: $0, currency: currency) },
                averageSalesCycleDays: cycleDays,
                salesVelocity: AnalyticsMath.velocity(openCount: openCount, averageDeal: averageDeal, winRate: winRate, cycleDays: cycleDays)
                    .map { Money(amountMinor: $0, currency: currency) })
        }
    }

    /// `months` (1–24, default 6) calendar months from `fromMonth` (`YYYY-MM`, default this UTC month).
    @Sendable func forecast(_ request: Request, context: ERPRequestContext) async throws -> ForecastReport {
        let tenant = try context.require(CRMPermission.analyticsRead).tenantID
        let query = request.uri.queryParameters
        let months = Int(query.get("months") ?? "6") ?? 0
        guard (1...24).contains(months) else { throw ProblemDetails.validation([.outOfRange("months", message: "From 1 to 24.")]) }
        var start = CalendarDate(utc: Date())
        if let text = query.get("fromMonth"), !text.isEmpty {
            guard let parsed = CalendarDate(text + "-01") else { throw ProblemDetails.validation([.invalid("fromMonth", message: "YYYY-MM.")]) }
            start = parsed
        }
        let first = CalendarDate(year: start.year, month: start.month, day: 1)!
        let keys = (0..<months).map { offset -> CalendarDate in
            let index = first.month - 1 + offset
            return CalendarDate(year: first.year + index / 12, month: index % 12 + 1, day: 1)!
        }
        let endIndex = first.month - 1 + months
        let end = CalendarDate(year: first.year + endIndex / 12, month: endIndex % 12 + 1, day: 1)!
        return try await dependencies.read(tenant) { tx in
            let (scope, pipeline) = try await scope(request, tx)
            let repository = AnalyticsRepository(tx.connection)
            let rows = try await repository.forecast(scope, start: first, end: end)
            var flowScope = scope
            flowScope.from = nil
            flowScope.to = nil
            let flow = try await repository.flow(flowScope)
            let currency = scope.currency
            let items = keys.map { key -> ForecastMonth in
                let month = rows.filter { $0.month == key.monthKey }
                var historical = 0.0
                for row in month {
                    let stage = pipeline.stage(row.stageID)
                    let rate = flow[row.stageID].flatMap { AnalyticsMath.rate($0.won, of: $0.closed) } ?? Double(stage?.probability ?? 0) / 100
                    historical += Double(row.valueMinor) * rate
                }
                return ForecastMonth(
                    month: key.monthKey, count: month.reduce(0) { $0 + $1.count },
                    value: Money(amountMinor: month.reduce(0) { $0 + $1.valueMinor }, currency: currency),
                    weighted: Money(amountMinor: AnalyticsMath.weighted(month.reduce(0) { $0 + $1.weightedNumerator }), currency: currency),
                    historical: Money(amountMinor: Int64(historical.rounded(.toNearestOrAwayFromZero)), currency: currency))
            }
            return ForecastReport(pipelineId: pipeline.id, currency: currency, months: items)
        }
    }

    /// Owners by won value (then won count, then id), with win rate and open pipeline.
    @Sendable func leaderboard(_ request: Request, context: ERPRequestContext) async throws -> LeaderboardReport {
        let tenant = try context.require(CRMPermission.analyticsRead).tenantID
        return try await dependencies.read(tenant) { tx in
            let (scope, pipeline) = try await scope(request, tx)
            let currency = scope.currency
            let owners = try await AnalyticsRepository(tx.connection).owners(scope).map { row in
                OwnerReport(
                    ownerId: row.ownerID.map(UserID.init), won: row.won, wonValue: Money(amountMinor: row.wonValueMinor, currency: currency), lost: row.lost,
                    winRate: AnalyticsMath.rate(row.won, of: row.won + row.lost), openCount: row.open,
                    openValue: Money(amountMinor: row.openValueMinor, currency: currency))
            }.sorted {
                ($0.wonValue.amountMinor, $0.won, $1.ownerId?.description ?? "") > ($1.wonValue.amountMinor, $1.won, $0.ownerId?.description ?? "")
            }
            return LeaderboardReport(pipelineId: pipeline.id, currency: currency, owners: owners)
        }
    }
}
