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
        ("a://u:p@h,b://v:q@k/x", "a://h,b://k/x"),
        ("--url=http://u:p@h x https://t@k", "--url=http://h x https://k"),
        ("http://u:p@h/\u{301}@x", "http://h/\u{301}@x"),
        ("http://u:p\u{301}@h", "http://h"),
    ])
    func removesUserInfoOnly(input: String, expected: String) {
        #expect(Redaction.redactURL(input) == expected)
    }

    @Test func redactsSecretHeaders() {
        #expect(Redaction.redactHeader("Authorization: Bearer abc") == "Authorization: [redacted]")
        #expect(Redaction.redactHeader("X-Request-Id: 7") == "X-Request-Id: 7")
    }
}
