extension ActivityFilter: ListConditions {
    func appendConditions(to sql: inout SQLBuilder) {
        if let recordType { sql.append(" AND r.record_type = ?", recordType.rawValue) }
        if let recordID { sql.append(" AND r.record_id = ?", recordID) }
        if let kind { sql.append(" AND r.kind = ?", kind.rawValue) }
        if let ownerID { sql.append(" AND r.owner_id = ?", ownerID) }
        if let done { sql.append(" AND r.done = ?", done) }
        if let dueBefore { sql.append(" AND r.due_at < ?", dueBefore) }
        if let dueAfter { sql.append(" AND r.due_at >= ?", dueAfter) }
    }
}
