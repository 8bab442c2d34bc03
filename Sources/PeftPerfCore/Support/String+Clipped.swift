extension String {
    /// The text as an error message quotes it: its first `limit` characters,
    /// then `…` if there were more, with every character other than printable
    /// ASCII and the space shown as `?`.
    func clipped(to limit: Int) -> String {
        var clipped = ""
        for character in self {
            if clipped.count >= limit { return clipped + "…" }
            clipped.append(character.isASCII && !character.isWhitespace || character == " " ? character : "?")
        }
        return clipped
    }
}
