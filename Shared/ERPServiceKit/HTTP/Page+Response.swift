import ERPProtocol
import Hummingbird

// A list route returns `Page<Item>` directly; it is encoded with the context's wire encoder.
extension Page: ResponseGenerator, ResponseEncodable {}
