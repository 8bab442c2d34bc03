import Testing

@testable import PeftPerfCore

@Suite struct RecordEndpointNormalizerTests {
    @Test(arguments: [
        "GET /api/runs", "GET /api/runs/42", "/users/42/orders/7", "/", "GET /", "/a//b/", "/a/", "POST /x/123/",
        "GET /files/0123456789abcdef0123", "GET /files/0123456789abcde", "/u/123e4567-e89b-12d3-a456-426614174000/x",
        "/u/123e4567-e89b-12d3-a456-42661417400Z", "get /lower", "GET  /two-spaces", " /lead", "/trail ",
        "/q?x=1", "/f#frag", "http://u:p@Host:80/a/1?q", "api/runs/1", "GET http://h/x/2", "/ü/1", "/a:b/1",
        "/CAFE", "/cafe/ABCDEF0123456789", "DELETE /api/runs/99999999999999999999999",
    ])
    func fastPathAgreesWithTheMonitorsNormalizer(input: String) {
        #expect(RecordEndpointNormalizer.normalize(input) == EndpointNormalizer.normalize(input), "\(input)")
    }

    @Test func agreesOnGeneratedInputs() {
        var generator = SplitMix64(seed: 7)
        let pieces = [
            "api", "runs", "42", "0", "ff", "deadbeefdeadbeef", "deadbeefdeadbee", "", "x-y", "A1", "%20", ":", ".",
        ]
        let methods = ["", "GET ", "POST ", "get ", "GET  "]
        for _ in 0..<20_000 {
            var text = methods[Int(generator.next() % UInt64(methods.count))]
            let segments = Int(generator.next() % 5)
            if generator.next() % 10 != 0 { text += "/" }
            for s in 0..<segments {
                if s > 0 { text += "/" }
                text += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            if generator.next() % 7 == 0 { text += "/" }
            #expect(RecordEndpointNormalizer.normalize(text) == EndpointNormalizer.normalize(text), "\(text)")
        }
    }
}
