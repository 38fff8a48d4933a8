import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// CSV import (all rows or none, with a per-row problem report) and CSV export of any filtered list.
struct DataController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/imports/:entity", use: importCSV)
        router.get("/v1/exports/:entity", use: exportCSV)
    }

    struct ImportResult: ResponseCodable, Sendable {
        var entity: String
        var imported: Int
        /// The new records' ids in row order.
        @LowercaseUUIDs var ids: [UUID]
    }

    private static func entity(_ request: Request, _ context: ERPRequestContext) throws -> RecordType {
        guard let name = context.parameters.get("entity"), let type = RecordType(plural: name) else { throw ProblemDetails.notFound() }
        return type
    }

    @Sendable func importCSV(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ImportResult> {
        let type = try Self.entity(request, context)
        try context.require(CRMPermission.dataImport)
        try context.require(CRMPermission.create(type))
        let mediaType = request.headers[.contentType].flatMap(MediaType.init(from:))
        guard let mediaType, mediaType.type == .text || mediaType.type == .application, mediaType.subType == "csv" else {
            throw ProblemDetails.unsupportedMediaType(detail: "Send the file as text/csv.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: dependencies.configuration.importMaxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ProblemDetails.payloadTooLarge(detail: "At most \(dependencies.configuration.importMaxBytes) bytes per import.")
        }
        guard let text = String(validating: Data(buffer: buffer), as: UTF8.self) else {
            throw ProblemDetails.badRequest(detail: "The file is not UTF-8 text.")
        }
        let rows: [[String]]
        do {
            rows = try CSV.parse(text)
        } catch let error as CSV.ParseError {
            throw ImportWorkflow.failure([.invalid("rows.\(error.row)", message: error.description)], rows: 0)
        }
        let maxRows = dependencies.configuration.importMaxRows
        let ids = try await dependencies.write(context) { try await ImportWorkflow($0).run(type, rows: rows, maxRows: maxRows) }
        return EditedResponse(status: .created, response: ImportResult(entity: type.plural, imported: ids.count, ids: ids))
    }

    /// The list `GET /v1/<entity>` would return with the same query (filters, q, sort), every
    /// page of it, as CSV, read in one snapshot.
    @Sendable func exportCSV(_ request: Request, context: ERPRequestContext) async throws -> Response {
        let type = try Self.entity(request, context)
        let tenant = try context.require(CRMPermission.dataExport).tenantID
        try context.require(CRMPermission.read(type))
        let parameters: ListParameters = switch type {
        case .company: try CompanyController.listParameters(request)
        case .contact: try ContactController.listParameters(request)
        case .lead: try LeadController.listParameters(request)
        case .opportunity: try OpportunityController.listParameters(request)
        }
        let maxRows = dependencies.configuration.exportMaxRows
        let csv = try await dependencies.read(tenant) { tx -> String in
            let definitions = try await CustomFieldRepository(tx.connection).all(entity: type)
            let header = RecordCSV.exportHeader(type, definitions: definitions)
            var output = CSV.line(header)
            var after = parameters.after
            var written = 0
            while true {
                let rows = try await Self.page(type, parameters, after: after, limit: 500, tx)
                let kept = rows.prefix(500)
                written += kept.count
                guard written <= maxRows else { throw CRMError.exportTooLarge }
                try await Self.write(Array(kept), type: type, header: header, into: &output, tx)
                guard rows.count > 500, let last = kept.last else { break }
                after = try RecordLister.cursor(last, sort: parameters.sort)
            }
            return output
        }
        let date = CalendarDate(utc: Date()).description
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(type.plural)-\(date).csv\""],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    private static func page(_ type: RecordType, _ parameters: ListParameters, after: ListCursor?, limit: Int, _ tx: CRMTransaction) async throws -> [PostgresRow] {
        let table = switch type {
        case .company: CompanyRepository.table
        case .contact: ContactRepository.table
        case .lead: LeadRepository.table
        case .opportunity: OpportunityRepository.table
        }
        return try await parameters.rows(table, tx.connection, after: after, limit: limit + 1)
    }

    private static func write(_ rows: [PostgresRow], type: RecordType, header: [String], into output: inout String, _ tx: CRMTransaction) async throws {
        switch type {
        case .company:
            for row in rows { output += RecordCSV.row(RecordCSV.values(try CompanyRepository.decode(row)), header: header) }
        case .contact:
            let contacts = try rows.map(ContactRepository.decode)
            let primary = try await ContactRepository(tx.connection).primaryCompanies(contacts.map(\.id))
            for contact in contacts {
                var values = RecordCSV.values(contact)
                if let link = primary[contact.id] {
                    values["companyId"] = link.companyID.lowercased
                    values["companyDomain"] = link.domain ?? ""
                    values["companyRole"] = link.role
                }
                output += RecordCSV.row(values, header: header)
            }
        case .lead:
            for row in rows { output += RecordCSV.row(RecordCSV.values(try LeadRepository.decode(row)), header: header) }
        case .opportunity:
            let opportunities = try rows.map(OpportunityRepository.decode)
            let names = try await OpportunityRepository(tx.connection).referenceNames(opportunities.map(\.id))
            for opportunity in opportunities {
                var values = RecordCSV.values(opportunity)
                if let reference = names[opportunity.id] {
                    values["pipeline"] = reference.pipeline
                    values["stage"] = reference.stage
                    values["companyDomain"] = reference.companyDomain ?? ""
                    values["contactEmail"] = reference.contactEmail ?? ""
                }
                output += RecordCSV.row(values, header: header)
            }
        }
    }
}
