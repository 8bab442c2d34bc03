extension CommandTable {
    /// Commands that run when named but are left out of help, the command
    /// lists, the completions and the man page: tools for developing
    /// peft-perf itself.
    static let hiddenCommands: [CommandSpec] = [
        CommandSpec(
            ["__generate"],
            abstract: "Print a file generated from the command table: the man page or a shell completion.",
            discussion: """
                man-options prints the man page's OPTIONS entries; man prints the whole
                man page FILE (default man/peft-perf.1) with them replaced; bash, zsh
                and fish print the completion scripts. Write with -o, which replaces the
                file only once it is complete: '> FILE' would empty FILE before it is read.
                """,
            arguments: [
                ArgumentSpec(
                    name: "TARGET", help: "man-options, man [FILE], bash, zsh or fish", optional: false,
                    variadic: true, kind: .choice(DocumentationTarget.allCases.map(\.rawValue)))
            ],
            formats: [.table],
            examples: ["__generate man -o man/peft-perf.1", "__generate bash -o completions/peft-perf.bash"],
            handler: { try PeftPerf.GenerateCommand.run($0) })
    ]
}
