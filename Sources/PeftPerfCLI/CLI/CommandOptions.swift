/// A command's options, typed, built from the command table in one place,
/// with everything the command derives from them (deadlines, intervals,
/// windows) already computed.
///
/// Building them runs nothing: no file is opened and no request is sent. The
/// command's `run` starts from them, and the generated range tests build them
/// for every value the table accepts, so that no accepted value can trap in
/// the arithmetic that follows.
protocol CommandOptions: Sendable {
    init(arguments: ParsedArguments, global: GlobalOptions) throws
}
