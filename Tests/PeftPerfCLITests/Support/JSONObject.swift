import Foundation

/// Parses a command's JSON stdout into a dictionary for assertions.
enum JSONObject {
    static func parse(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dictionary = object as? [String: Any] else {
            throw NotAnObject()
        }
        return dictionary
    }

    struct NotAnObject: Error {}
}
