/// One page of a list: `{"items":[…],"nextCursor":"…"}`; `nextCursor` is `null` on the last page.
///
/// `nextCursor` is always written (as `null` when absent) so clients test one member.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    /// The rows of this page, in the list's order.
    public var items: [Item]
    /// Pass as `cursor` to get the next page; `nil` when this is the last page.
    public var nextCursor: Cursor?

    /// A page as given.
    public init(items: [Item], nextCursor: Cursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from rows fetched with `request.fetchLimit` (one extra row): keeps
    /// `request.limit` rows and, if the extra row came back, makes a cursor from the last kept
    /// row's sort keys.
    public init<Keys: Encodable>(
        fetched rows: [Item], request: PageRequest, cursorKeys: (Item) -> Keys
    ) throws {
        let kept = Array(rows.prefix(request.limit))
        self.items = kept
        if rows.count > request.limit, let last = kept.last {
            self.nextCursor = try Cursor(encoding: cursorKeys(last))
        } else {
            self.nextCursor = nil
        }
    }

    /// The same page with its items transformed (e.g. model rows to response DTOs).
    public func map<NewItem: Codable & Sendable>(_ transform: (Item) throws -> NewItem) rethrows -> Page<NewItem> {
        Page<NewItem>(items: try items.map(transform), nextCursor: nextCursor)
    }

    private enum CodingKeys: String, CodingKey {
        case items, nextCursor
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decode([Item].self, forKey: .items)
        nextCursor = try container.decodeIfPresent(Cursor.self, forKey: .nextCursor)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension Page: Equatable where Item: Equatable {}
extension Page: Hashable where Item: Hashable {}
