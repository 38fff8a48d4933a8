extension ContactFilter: ListConditions {
    func appendConditions(to sql: inout SQLBuilder) {
        if let email { sql.append(" AND r.email = ?", email) }
        if let companyID {
            sql.append(" AND EXISTS (SELECT 1 FROM contact_companies l WHERE l.contact_id = r.id AND l.company_id = ?)", companyID)
        }
    }
}
