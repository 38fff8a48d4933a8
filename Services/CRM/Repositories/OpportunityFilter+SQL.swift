extension OpportunityFilter: ListConditions {
    func appendConditions(to sql: inout SQLBuilder) {
        if let status { sql.append(" AND r.status = ?", status.rawValue) }
        if let pipelineID { sql.append(" AND r.pipeline_id = ?", pipelineID) }
        if let stageID { sql.append(" AND r.stage_id = ?", stageID) }
        if let companyID { sql.append(" AND r.company_id = ?", companyID) }
        if let contactID { sql.append(" AND r.contact_id = ?", contactID) }
        if let currency { sql.append(" AND r.currency = ?", currency.rawValue) }
        if let minAmount { sql.append(" AND r.amount_minor >= ?", minAmount) }
        if let maxAmount { sql.append(" AND r.amount_minor <= ?", maxAmount) }
        if let closeFrom { sql.append(" AND r.expected_close_date >= ?", closeFrom) }
        if let closeTo { sql.append(" AND r.expected_close_date <= ?", closeTo) }
    }
}
