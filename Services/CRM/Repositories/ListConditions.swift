/// A typed list filter that knows its SQL: ` AND …` conditions with binds, over the alias `r` of
/// the listed table. The filter types (Models) hold validated values; only this code writes SQL.
protocol ListConditions: Sendable {
    func appendConditions(to sql: inout SQLBuilder)
}
