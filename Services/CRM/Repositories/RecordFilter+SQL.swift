extension RecordFilter: ListConditions {
    func appendConditions(to sql: inout SQLBuilder) {
        if let ownerID { sql.append(" AND r.owner_id = ?", ownerID) }
        if let tag { sql.append(" AND r.tags @> ARRAY[?]::text[]", tag) }
        if let createdFrom { sql.append(" AND r.created_at >= ?", createdFrom) }
        if let createdTo { sql.append(" AND r.created_at < ?", createdTo) }
        if let updatedFrom { sql.append(" AND r.updated_at >= ?", updatedFrom) }
        if let updatedTo { sql.append(" AND r.updated_at < ?", updatedTo) }
    }
}
