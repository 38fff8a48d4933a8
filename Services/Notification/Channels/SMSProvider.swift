/// Sends a text message; the service talks to any provider through this.
protocol SMSProvider: Sendable {
    func send(to phoneNumber: String, body: String) async -> ChannelOutcome
}
