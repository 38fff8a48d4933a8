// The event catalogue of ARCHITECTURE.md §3, one namespace per producing service.
// A new event gets a constant here (and in its group's `all`) in the same change that first
// publishes it, so producers and consumers can only name events that exist.

extension EventType {
    /// Events published by erp-auth on `erp.auth.events`.
    public enum Auth {
        /// `erp.auth.organization.created`
        public static let organizationCreated = EventType(catalogue: "erp.auth.organization.created")
        /// `erp.auth.organization.updated`
        public static let organizationUpdated = EventType(catalogue: "erp.auth.organization.updated")
        /// `erp.auth.user.invited`
        public static let userInvited = EventType(catalogue: "erp.auth.user.invited")
        /// `erp.auth.user.created`
        public static let userCreated = EventType(catalogue: "erp.auth.user.created")
        /// `erp.auth.user.deactivated`
        public static let userDeactivated = EventType(catalogue: "erp.auth.user.deactivated")
        /// `erp.auth.user.role_changed`
        public static let userRoleChanged = EventType(catalogue: "erp.auth.user.role_changed")
        /// `erp.auth.password_reset.requested`
        public static let passwordResetRequested = EventType(catalogue: "erp.auth.password_reset.requested")
        /// `erp.auth.session.revoked`
        public static let sessionRevoked = EventType(catalogue: "erp.auth.session.revoked")
        /// `erp.auth.account.locked`
        public static let accountLocked = EventType(catalogue: "erp.auth.account.locked")
        /// `erp.auth.user.updated`
        public static let userUpdated = EventType(catalogue: "erp.auth.user.updated")
        /// `erp.auth.user.reactivated`
        public static let userReactivated = EventType(catalogue: "erp.auth.user.reactivated")
        /// `erp.auth.user.email_verified`
        public static let userEmailVerified = EventType(catalogue: "erp.auth.user.email_verified")
        /// `erp.auth.email_verification.requested`
        public static let emailVerificationRequested = EventType(catalogue: "erp.auth.email_verification.requested")
        /// `erp.auth.password.changed`
        public static let passwordChanged = EventType(catalogue: "erp.auth.password.changed")
        /// `erp.auth.mfa.enabled`
        public static let mfaEnabled = EventType(catalogue: "erp.auth.mfa.enabled")
        /// `erp.auth.mfa.disabled`
        public static let mfaDisabled = EventType(catalogue: "erp.auth.mfa.disabled")
        /// `erp.auth.role.created`
        public static let roleCreated = EventType(catalogue: "erp.auth.role.created")
        /// `erp.auth.role.updated`
        public static let roleUpdated = EventType(catalogue: "erp.auth.role.updated")
        /// `erp.auth.role.deleted`
        public static let roleDeleted = EventType(catalogue: "erp.auth.role.deleted")
        /// `erp.auth.service_account.created`
        public static let serviceAccountCreated = EventType(catalogue: "erp.auth.service_account.created")
        /// `erp.auth.service_account.secret_rotated`
        public static let serviceAccountSecretRotated = EventType(catalogue: "erp.auth.service_account.secret_rotated")
        /// `erp.auth.service_account.deleted`
        public static let serviceAccountDeleted = EventType(catalogue: "erp.auth.service_account.deleted")
        /// `erp.auth.api_key.created`
        public static let apiKeyCreated = EventType(catalogue: "erp.auth.api_key.created")
        /// `erp.auth.api_key.revoked`
        public static let apiKeyRevoked = EventType(catalogue: "erp.auth.api_key.revoked")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            organizationCreated,
            organizationUpdated,
            userInvited,
            userCreated,
            userDeactivated,
            userRoleChanged,
            passwordResetRequested,
            sessionRevoked,
            accountLocked,
            userUpdated,
            userReactivated,
            userEmailVerified,
            emailVerificationRequested,
            passwordChanged,
            mfaEnabled,
            mfaDisabled,
            roleCreated,
            roleUpdated,
            roleDeleted,
            serviceAccountCreated,
            serviceAccountSecretRotated,
            serviceAccountDeleted,
            apiKeyCreated,
            apiKeyRevoked,
        ]
    }

    /// Events published by erp-subscription on `erp.subscription.events`.
    public enum Subscription {
        /// `erp.subscription.subscription.started`
        public static let subscriptionStarted = EventType(catalogue: "erp.subscription.subscription.started")
        /// `erp.subscription.subscription.changed`
        public static let subscriptionChanged = EventType(catalogue: "erp.subscription.subscription.changed")
        /// `erp.subscription.subscription.canceled`
        public static let subscriptionCanceled = EventType(catalogue: "erp.subscription.subscription.canceled")
        /// `erp.subscription.trial.ending`
        public static let trialEnding = EventType(catalogue: "erp.subscription.trial.ending")
        /// `erp.subscription.payment.failed`
        public static let paymentFailed = EventType(catalogue: "erp.subscription.payment.failed")
        /// `erp.subscription.subscription.past_due`
        public static let subscriptionPastDue = EventType(catalogue: "erp.subscription.subscription.past_due")
        /// `erp.subscription.subscription.unpaid`
        public static let subscriptionUnpaid = EventType(catalogue: "erp.subscription.subscription.unpaid")
        /// `erp.subscription.invoice.issued`
        public static let invoiceIssued = EventType(catalogue: "erp.subscription.invoice.issued")
        /// `erp.subscription.entitlements.changed`
        public static let entitlementsChanged = EventType(catalogue: "erp.subscription.entitlements.changed")
        /// `erp.subscription.subscription.activated` (a trial converted, or a past-due or unpaid subscription paid up)
        public static let subscriptionActivated = EventType(catalogue: "erp.subscription.subscription.activated")
        /// `erp.subscription.subscription.cancellation_scheduled`
        public static let cancellationScheduled = EventType(catalogue: "erp.subscription.subscription.cancellation_scheduled")
        /// `erp.subscription.subscription.reactivated` (a scheduled cancellation withdrawn, or a canceled subscription restarted)
        public static let subscriptionReactivated = EventType(catalogue: "erp.subscription.subscription.reactivated")
        /// `erp.subscription.payment.succeeded`
        public static let paymentSucceeded = EventType(catalogue: "erp.subscription.payment.succeeded")
        /// `erp.subscription.invoice.paid`
        public static let invoicePaid = EventType(catalogue: "erp.subscription.invoice.paid")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            subscriptionStarted,
            subscriptionChanged,
            subscriptionCanceled,
            trialEnding,
            paymentFailed,
            subscriptionPastDue,
            subscriptionUnpaid,
            invoiceIssued,
            entitlementsChanged,
            subscriptionActivated,
            cancellationScheduled,
            subscriptionReactivated,
            paymentSucceeded,
            invoicePaid,
        ]
    }

    /// Events published by erp-crm on `erp.crm.events`.
    public enum CRM {
        /// `erp.crm.company.created`
        public static let companyCreated = EventType(catalogue: "erp.crm.company.created")
        /// `erp.crm.company.updated`
        public static let companyUpdated = EventType(catalogue: "erp.crm.company.updated")
        /// `erp.crm.contact.created`
        public static let contactCreated = EventType(catalogue: "erp.crm.contact.created")
        /// `erp.crm.contact.updated`
        public static let contactUpdated = EventType(catalogue: "erp.crm.contact.updated")
        /// `erp.crm.contact.merged`
        public static let contactMerged = EventType(catalogue: "erp.crm.contact.merged")
        /// `erp.crm.lead.created`
        public static let leadCreated = EventType(catalogue: "erp.crm.lead.created")
        /// `erp.crm.lead.scored`
        public static let leadScored = EventType(catalogue: "erp.crm.lead.scored")
        /// `erp.crm.lead.converted`
        public static let leadConverted = EventType(catalogue: "erp.crm.lead.converted")
        /// `erp.crm.opportunity.created`
        public static let opportunityCreated = EventType(catalogue: "erp.crm.opportunity.created")
        /// `erp.crm.opportunity.stage_changed`
        public static let opportunityStageChanged = EventType(catalogue: "erp.crm.opportunity.stage_changed")
        /// `erp.crm.opportunity.won`
        public static let opportunityWon = EventType(catalogue: "erp.crm.opportunity.won")
        /// `erp.crm.opportunity.lost`
        public static let opportunityLost = EventType(catalogue: "erp.crm.opportunity.lost")
        /// `erp.crm.activity.logged`
        public static let activityLogged = EventType(catalogue: "erp.crm.activity.logged")
        // erp-crm's own additions (issue 6), kept together.
        /// `erp.crm.company.deleted` (soft delete; restorable)
        public static let companyDeleted = EventType(catalogue: "erp.crm.company.deleted")
        /// `erp.crm.company.restored`
        public static let companyRestored = EventType(catalogue: "erp.crm.company.restored")
        /// `erp.crm.company.merged` (a duplicate folded into the surviving company)
        public static let companyMerged = EventType(catalogue: "erp.crm.company.merged")
        /// `erp.crm.contact.deleted` (soft delete; restorable)
        public static let contactDeleted = EventType(catalogue: "erp.crm.contact.deleted")
        /// `erp.crm.contact.restored`
        public static let contactRestored = EventType(catalogue: "erp.crm.contact.restored")
        /// `erp.crm.lead.updated`
        public static let leadUpdated = EventType(catalogue: "erp.crm.lead.updated")
        /// `erp.crm.lead.status_changed`
        public static let leadStatusChanged = EventType(catalogue: "erp.crm.lead.status_changed")
        /// `erp.crm.lead.assigned`
        public static let leadAssigned = EventType(catalogue: "erp.crm.lead.assigned")
        /// `erp.crm.lead.deleted`
        public static let leadDeleted = EventType(catalogue: "erp.crm.lead.deleted")
        /// `erp.crm.opportunity.updated`
        public static let opportunityUpdated = EventType(catalogue: "erp.crm.opportunity.updated")
        /// `erp.crm.opportunity.deleted`
        public static let opportunityDeleted = EventType(catalogue: "erp.crm.opportunity.deleted")
        /// `erp.crm.pipeline.created`
        public static let pipelineCreated = EventType(catalogue: "erp.crm.pipeline.created")
        /// `erp.crm.pipeline.updated` (name, default flag or stages changed)
        public static let pipelineUpdated = EventType(catalogue: "erp.crm.pipeline.updated")
        /// `erp.crm.pipeline.deleted`
        public static let pipelineDeleted = EventType(catalogue: "erp.crm.pipeline.deleted")
        /// `erp.crm.activity.updated`
        public static let activityUpdated = EventType(catalogue: "erp.crm.activity.updated")
        /// `erp.crm.activity.completed` (a task marked done)
        public static let activityCompleted = EventType(catalogue: "erp.crm.activity.completed")
        /// `erp.crm.activity.deleted`
        public static let activityDeleted = EventType(catalogue: "erp.crm.activity.deleted")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            companyCreated,
            companyUpdated,
            contactCreated,
            contactUpdated,
            contactMerged,
            leadCreated,
            leadScored,
            leadConverted,
            opportunityCreated,
            opportunityStageChanged,
            opportunityWon,
            opportunityLost,
            activityLogged,
            companyDeleted,
            companyRestored,
            companyMerged,
            contactDeleted,
            contactRestored,
            leadUpdated,
            leadStatusChanged,
            leadAssigned,
            leadDeleted,
            opportunityUpdated,
            opportunityDeleted,
            pipelineCreated,
            pipelineUpdated,
            pipelineDeleted,
            activityUpdated,
            activityCompleted,
            activityDeleted,
        ]
    }

    /// Events published by erp-hrm on `erp.hrm.events`.
    public enum HRM {
        /// `erp.hrm.employee.hired`
        public static let employeeHired = EventType(catalogue: "erp.hrm.employee.hired")
        /// `erp.hrm.employee.updated`
        public static let employeeUpdated = EventType(catalogue: "erp.hrm.employee.updated")
        /// `erp.hrm.employee.left`
        public static let employeeLeft = EventType(catalogue: "erp.hrm.employee.left")
        /// `erp.hrm.leave.requested`
        public static let leaveRequested = EventType(catalogue: "erp.hrm.leave.requested")
        /// `erp.hrm.leave.approved`
        public static let leaveApproved = EventType(catalogue: "erp.hrm.leave.approved")
        /// `erp.hrm.leave.rejected`
        public static let leaveRejected = EventType(catalogue: "erp.hrm.leave.rejected")
        /// `erp.hrm.timesheet.approved`
        public static let timesheetApproved = EventType(catalogue: "erp.hrm.timesheet.approved")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            employeeHired,
            employeeUpdated,
            employeeLeft,
            leaveRequested,
            leaveApproved,
            leaveRejected,
            timesheetApproved,
        ]
    }

    /// Events published by erp-finance on `erp.finance.events`.
    public enum Finance {
        /// `erp.finance.invoice.issued`
        public static let invoiceIssued = EventType(catalogue: "erp.finance.invoice.issued")
        /// `erp.finance.invoice.paid`
        public static let invoicePaid = EventType(catalogue: "erp.finance.invoice.paid")
        /// `erp.finance.invoice.overdue`
        public static let invoiceOverdue = EventType(catalogue: "erp.finance.invoice.overdue")
        /// `erp.finance.payment.received`
        public static let paymentReceived = EventType(catalogue: "erp.finance.payment.received")
        /// `erp.finance.journal.posted`
        public static let journalPosted = EventType(catalogue: "erp.finance.journal.posted")
        /// `erp.finance.period.closed`
        public static let periodClosed = EventType(catalogue: "erp.finance.period.closed")
        /// `erp.finance.budget.exceeded`
        public static let budgetExceeded = EventType(catalogue: "erp.finance.budget.exceeded")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            invoiceIssued,
            invoicePaid,
            invoiceOverdue,
            paymentReceived,
            journalPosted,
            periodClosed,
            budgetExceeded,
        ]
    }

    /// Events published by erp-inventory on `erp.inventory.events`.
    public enum Inventory {
        /// `erp.inventory.product.created`
        public static let productCreated = EventType(catalogue: "erp.inventory.product.created")
        /// `erp.inventory.product.updated`
        public static let productUpdated = EventType(catalogue: "erp.inventory.product.updated")
        /// `erp.inventory.stock.moved`
        public static let stockMoved = EventType(catalogue: "erp.inventory.stock.moved")
        /// `erp.inventory.stock.low`
        public static let stockLow = EventType(catalogue: "erp.inventory.stock.low")
        /// `erp.inventory.purchase_order.approved`
        public static let purchaseOrderApproved = EventType(catalogue: "erp.inventory.purchase_order.approved")
        /// `erp.inventory.purchase_order.received`
        public static let purchaseOrderReceived = EventType(catalogue: "erp.inventory.purchase_order.received")
        /// `erp.inventory.sales_order.confirmed`
        public static let salesOrderConfirmed = EventType(catalogue: "erp.inventory.sales_order.confirmed")
        /// `erp.inventory.sales_order.fulfilled`
        public static let salesOrderFulfilled = EventType(catalogue: "erp.inventory.sales_order.fulfilled")
        /// `erp.inventory.sales_order.canceled`
        public static let salesOrderCanceled = EventType(catalogue: "erp.inventory.sales_order.canceled")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            productCreated,
            productUpdated,
            stockMoved,
            stockLow,
            purchaseOrderApproved,
            purchaseOrderReceived,
            salesOrderConfirmed,
            salesOrderFulfilled,
            salesOrderCanceled,
        ]
    }

    /// Events published by erp-project on `erp.project.events`.
    public enum Project {
        /// `erp.project.project.created`
        public static let projectCreated = EventType(catalogue: "erp.project.project.created")
        /// `erp.project.task.created`
        public static let taskCreated = EventType(catalogue: "erp.project.task.created")
        /// `erp.project.task.assigned`
        public static let taskAssigned = EventType(catalogue: "erp.project.task.assigned")
        /// `erp.project.task.completed`
        public static let taskCompleted = EventType(catalogue: "erp.project.task.completed")
        /// `erp.project.time.approved`
        public static let timeApproved = EventType(catalogue: "erp.project.time.approved")
        /// `erp.project.allocation.conflicted`
        public static let allocationConflicted = EventType(catalogue: "erp.project.allocation.conflicted")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            projectCreated,
            taskCreated,
            taskAssigned,
            taskCompleted,
            timeApproved,
            allocationConflicted,
        ]
    }

    /// Events published by erp-notification on `erp.notification.events`.
    public enum Notification {
        /// `erp.notification.delivery.failed`
        public static let deliveryFailed = EventType(catalogue: "erp.notification.delivery.failed")
        /// `erp.notification.webhook.disabled`
        public static let webhookDisabled = EventType(catalogue: "erp.notification.webhook.disabled")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            deliveryFailed,
            webhookDisabled,
        ]
    }

    /// Events published by erp-file on `erp.file.events`.
    public enum File {
        /// `erp.file.file.uploaded`
        public static let fileUploaded = EventType(catalogue: "erp.file.file.uploaded")
        /// `erp.file.file.deleted`
        public static let fileDeleted = EventType(catalogue: "erp.file.file.deleted")
        /// `erp.file.file.generated`
        public static let fileGenerated = EventType(catalogue: "erp.file.file.generated")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            fileUploaded,
            fileDeleted,
            fileGenerated,
        ]
    }

    /// Events published by erp-ai on `erp.ai.events`.
    public enum AI {
        /// `erp.ai.query.completed`
        public static let queryCompleted = EventType(catalogue: "erp.ai.query.completed")
        /// `erp.ai.score.updated`
        public static let scoreUpdated = EventType(catalogue: "erp.ai.score.updated")
        /// `erp.ai.forecast.updated`
        public static let forecastUpdated = EventType(catalogue: "erp.ai.forecast.updated")
        /// `erp.ai.anomaly.detected`
        public static let anomalyDetected = EventType(catalogue: "erp.ai.anomaly.detected")
        /// `erp.ai.action.executed`
        public static let actionExecuted = EventType(catalogue: "erp.ai.action.executed")
        /// Every event type this service publishes.
        public static let all: [EventType] = [
            queryCompleted,
            scoreUpdated,
            forecastUpdated,
            anomalyDetected,
            actionExecuted,
        ]
    }

    /// Every catalogued event type of the suite.
    public static let catalogue: [EventType] =
        Auth.all + Subscription.all + CRM.all + HRM.all + Finance.all
        + Inventory.all + Project.all + Notification.all + File.all + AI.all
}
