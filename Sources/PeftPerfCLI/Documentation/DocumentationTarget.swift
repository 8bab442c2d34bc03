/// What `peft-perf __generate` can print, each from the command table alone.
enum DocumentationTarget: String, CaseIterable, Sendable {
    /// The man page's OPTIONS entries, each block between its markers.
    case manOptions = "man-options"
    /// The whole man page, its generated blocks replaced.
    case man
    case bash
    case zsh
    case fish

    /// The committed file that holds this target's output, relative to the
    /// repository root.
    var committedPath: String? {
        switch self {
        case .manOptions: nil
        case .man: "man/peft-perf.1"
        case .bash: "completions/peft-perf.bash"
        case .zsh: "completions/_peft-perf"
        case .fish: "completions/peft-perf.fish"
        }
    }

    /// The generated text. `currentManPage` is the hand-written page whose
    /// blocks ``man`` replaces; the other targets ignore it.
    func generate(currentManPage: String) throws -> String {
        switch self {
        case .manOptions: ManPageGenerator().optionBlocks()
        case .man: try ManPageGenerator().replacingBlocks(in: currentManPage)
        case .bash: BashCompletionGenerator().script()
        case .zsh: ZshCompletionGenerator().script()
        case .fish: FishCompletionGenerator().script()
        }
    }
}
