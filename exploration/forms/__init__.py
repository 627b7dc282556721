"""Forms of the app's pages, one module per subject."""
