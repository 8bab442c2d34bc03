import Testing

// The db stats end-to-end tests land here once the command table is merged.
