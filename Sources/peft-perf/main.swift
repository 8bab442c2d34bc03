import PeftPerfCLI

// Everything but this call lives in the PeftPerfCLI library, where tests and
// fuzz targets reach it like any other module.
PeftPerf.main()
