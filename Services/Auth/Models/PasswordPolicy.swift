import ERPProtocol

/// The password rules, on by default (Keycloak ships new realms without any): a minimum and
/// maximum length, not the email or its local part, not one of the bundled common passwords.
/// An organization may raise the minimum length, never lower it below the suite's.
struct PasswordPolicy: Sendable, Hashable {
    var minimumLength: Int = 12
    /// scrypt hashes whatever it gets; a cap keeps a megabyte "password" from being a DoS.
    var maximumLength: Int = 128
    var rejectCommon: Bool = true

    /// The policy with an organization's stricter minimum applied.
    func raising(minimumLength organizationMinimum: Int?) -> PasswordPolicy {
        var policy = self
        if let organizationMinimum { policy.minimumLength = max(minimumLength, organizationMinimum) }
        return policy
    }

    /// Every rule `password` breaks, reported on `field`; empty when it is acceptable.
    func violations(of password: String, email: String, field: String = "password") -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let length = password.count
        if length < minimumLength {
            issues.append(FieldIssue(field: field, code: "too_short", message: "Use at least \(minimumLength) characters."))
        }
        if length > maximumLength {
            issues.append(FieldIssue(field: field, code: "too_long", message: "Use at most \(maximumLength) characters."))
        }
        let lowered = password.lowercased()
        let emailLower = email.lowercased()
        let localPart = emailLower.split(separator: "@").first.map(String.init) ?? emailLower
        if !emailLower.isEmpty, lowered == emailLower || lowered.contains(emailLower) || (localPart.count >= 3 && lowered.contains(localPart)) {
            issues.append(FieldIssue(field: field, code: "contains_email", message: "The password must not contain your email address."))
        }
        if rejectCommon, CommonPasswords.contains(password) {
            issues.append(FieldIssue(field: field, code: "too_common", message: "This password is too common; choose another."))
        }
        return issues
    }

    func validate(_ password: String, email: String, field: String = "password") throws(ProblemDetails) {
        let issues = violations(of: password, email: email, field: field)
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
    }
}
