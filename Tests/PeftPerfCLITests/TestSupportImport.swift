// The helpers every test target shares (temporary directories, a Pushgateway),
// visible in every file of this target.
@_exported import PeftPerfTestSupport
