import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The tenant's custom field definitions.
struct CustomFieldController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/custom-fields", use: list)
        router.post("/v1/custom-fields", use: create)
        router.patch("/v1/custom-fields/:id", use: update)
        router.delete("/v1/custom-fields/:id", use: delete)
    }

    struct DefinitionResponse: ResponseCodable, Sendable {
        @LowercaseUUID var id: UUID
        var entity: RecordType
        var key: String
        var label: String
        var type: CustomFieldDefinition.FieldType
        var options: [String]
        var required: Bool
        var position: Int
        var version: Int64
        var createdAt: Date
        var updatedAt: Date

        init(_ definition: CustomFieldDefinition) {
            id = definition.id
            entity = definition.entity
            key = definition.key
            label = definition.label
            type = definition.type
            options = definition.options
            required = definition.required
            position = definition.position
            version = definition.version
            createdAt = definition.createdAt
            updatedAt = definition.updatedAt
        }
    }

    struct DefinitionList: ResponseCodable, Sendable {
        var items: [DefinitionResponse]
    }

    struct CreateInput: Decodable, Sendable {
        var entity: RecordType
        var key: String
        var label: String
        var type: CustomFieldDefinition.FieldType
        var options: [String]?
        var required: Bool?
        var position: Int?
    }

    /// Label, options, required and position can change; key, entity and type cannot (stored
    /// values depend on them).
    struct UpdateInput: Decodable, Sendable {
        var label: String?
        var options: [String]?
        var required: Bool?
        var position: Int?
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> DefinitionList {
        let tenant = try context.require(CRMPermission.customFieldRead).tenantID
        var entity: RecordType?
        if let text = request.uri.queryParameters.get("entity"), !text.isEmpty {
            guard let parsed = RecordType(rawValue: text) else {
                throw ProblemDetails.validation([.invalid("entity", message: "company, contact, lead or opportunity.")])
            }
            entity = parsed
        }
        let definitions = try await dependencies.read(tenant) { try await CustomFieldRepository($0.connection).all(entity: entity) }
        return DefinitionList(items: definitions.map(DefinitionResponse.init))
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<DefinitionResponse> {
        try context.require(CRMPermission.customFieldManage)
        let input = try await request.decode(as: CreateInput.self, context: context)
        var validator = FieldValidator()
        if !CustomFieldDefinition.isValidKey(input.key) {
            validator.add(.invalid("key", message: "1–40 lowercase letters, digits or _, starting with a letter."))
        }
        let label = validator.requiredText(input.label, field: "label", maximum: 100)
        let options = Self.validateOptions(input.options ?? [], type: input.type, into: &validator)
        try validator.check()
        let now = Date()
        let definition = CustomFieldDefinition(
            id: UUID(), entity: input.entity, key: input.key, label: label, type: input.type, options: options, required: input.required ?? false,
            position: input.position ?? 0, version: 1, createdAt: now, updatedAt: now
        )
        let inserted = try await dependencies.write(context) { try await CustomFieldRepository($0.connection).insert(definition, tenant: $0.tenant) }
        guard inserted else {
            throw ProblemDetails.validation([.alreadyTaken("key", message: "A \(input.entity.rawValue) field \(input.key) exists.")])
        }
        return EditedResponse(status: .created, headers: .etag(definition.version), response: DefinitionResponse(definition))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<DefinitionResponse> {
        try context.require(CRMPermission.customFieldManage)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let input = try await request.decode(as: UpdateInput.self, context: context)
        let definition = try await dependencies.write(context) { tx -> CustomFieldDefinition in
            let repository = CustomFieldRepository(tx.connection)
            guard var definition = try await repository.find(id) else { throw ProblemDetails.notFound() }
            guard definition.version == version else { throw CRMError.versionMismatch }
            var validator = FieldValidator()
            if let label = input.label { definition.label = validator.requiredText(label, field: "label", maximum: 100) }
            if let options = input.options {
                let validated = Self.validateOptions(options, type: definition.type, into: &validator)
                if !Set(definition.options).isSubset(of: validated) {
                    validator.add(.invalid("options", message: "Options can be added, not removed (stored values use them)."))
                }
                definition.options = validated
            }
            try validator.check()
            definition.required = input.required ?? definition.required
            definition.position = input.position ?? definition.position
            definition.version += 1
            definition.updatedAt = tx.now
            guard try await repository.update(definition, expectedVersion: version) else { throw CRMError.versionMismatch }
            return definition
        }
        return EditedResponse(headers: .etag(definition.version), response: DefinitionResponse(definition))
    }

    /// Removes the definition and its values from every record.
    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.customFieldManage)
        let id = try request.uuidParameter("id", context: context)
        try await dependencies.write(context) { tx in
            let repository = CustomFieldRepository(tx.connection)
            guard let definition = try await repository.find(id) else { throw ProblemDetails.notFound() }
            try await repository.delete(definition)
        }
        return .noContent
    }

    static func validateOptions(_ options: [String], type: CustomFieldDefinition.FieldType, into validator: inout FieldValidator) -> [String] {
        let isChoice = type == .select || type == .multiSelect
        if isChoice, options.isEmpty { validator.add(.required("options", message: "A select field needs options.")) }
        if !isChoice, !options.isEmpty { validator.add(.invalid("options", message: "Only select fields have options.")) }
        if options.count > 200 { validator.add(.outOfRange("options", message: "At most 200 options.")) }
        var result: [String] = []
        for (index, option) in options.enumerated() {
            guard let text = validator.text(option, field: "options.\(index)", maximum: 100) else {
                validator.add(.required("options.\(index)"))
                continue
            }
            if !result.contains(text) { result.append(text) }
        }
        return result
    }
}
