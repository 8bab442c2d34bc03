extension HTTPLoopbackServer {
    /// One request and the connection it came on, handed to a
    /// ``Configuration/route``: the extension point through which the test
    /// support adds its fault-injection routes. The product itself has none.
    public struct Exchange: Sendable {
        public let method: String
        /// The request target as sent, query included.
        public let path: String
        /// The path's components without the query: `/a/b?x` is `["a", "b"]`.
        public let pathComponents: [String]
        public let headers: [String]
        public let body: [UInt8]
        /// Whether the client sent `Connection: close`.
        public let wantsClose: Bool
        /// This request's number on its connection, from 1.
        public let servedOnConnection: Int
        let server: HTTPLoopbackServer
        let fd: Int32

        /// Writes `bytes` to the connection; false when it is gone.
        public func write(_ bytes: [UInt8]) -> Bool {
            self.server.write(bytes, self.fd)
        }

        /// Waits `milliseconds`, or until the server stops.
        public func sleep(milliseconds: Int) {
            self.server.sleepMilliseconds(milliseconds)
        }

        /// Makes the coming close send RST instead of FIN.
        public func resetOnClose() {
            HTTPLoopbackServer.setResetOnClose(self.fd)
        }
    }
}
