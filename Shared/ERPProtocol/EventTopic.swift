/// Kafka topic names: one events topic and one dead-letter topic per producing service.
public enum EventTopic {
    /// The topic a service publishes its domain events to, e.g. `erp.crm.events`.
    public static func events(for service: ServiceName) -> String {
        "erp.\(service.rawValue).events"
    }

    /// The topic an event type is published to (its producing service's events topic).
    public static func events(for type: EventType) -> String {
        events(for: type.service)
    }

    /// Where a consumer in `service` parks events its handler keeps failing on,
    /// e.g. `erp.crm.deadletter`. Named after the consuming service, which owns the failure.
    public static func deadLetter(for service: ServiceName) -> String {
        "erp.\(service.rawValue).deadletter"
    }
}
