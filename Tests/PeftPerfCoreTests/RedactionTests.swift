import Testing

@testable import PeftPerfCore

@Suite struct RedactionTests {
    @Test(arguments: [
        ("http://user:secret@127.0.0.1:8080/a?b=c", "http://127.0.0.1:8080/a?b=c"),
        ("https://u:p@ss@host/x", "https://host/x"),
        ("http://host/path@weird", "http://host/path@weird"),
        ("http://token@host", "http://host"),
        ("not a url", "not a url"),
        ("http://host?x=a@b", "http://host?x=a@b"),
    ])
    func removesUserInfoOnly(input: String, expected: String) {
        #expect(Redaction.redactURL(input) == expected)
    }

    @Test func redactsSecretHeaders() {
        #expect(Redaction.redactHeader("Authorization: Bearer abc") == "Authorization: [redacted]")
        #expect(Redaction.redactHeader("X-Request-Id: 7") == "X-Request-Id: 7")
    }
}
