import Testing

// End-to-end tests of `peft-perf system` arrive with the lead's CLI.
@Suite struct SystemCommandTests {}
