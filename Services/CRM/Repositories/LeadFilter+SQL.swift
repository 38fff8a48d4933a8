extension LeadFilter: ListConditions {
    func appendConditions(to sql: inout SQLBuilder) {
        if let status { sql.append(" AND r.status = ?", status.rawValue) }
        if let source { sql.append(" AND r.source = ?", source.rawValue) }
        if let priority { sql.append(" AND r.score_priority = ?", priority.rawValue) }
        if let minScore { sql.append(" AND r.score >= ?", minScore) }
    }
}
