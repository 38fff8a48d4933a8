extension CompanyFilter: ListConditions {
    func appendConditions(to sql: inout SQLBuilder) {
        if let industry { sql.append(" AND lower(r.industry) = ?", industry) }
        if let domain { sql.append(" AND r.domain = ?", domain) }
    }
}
