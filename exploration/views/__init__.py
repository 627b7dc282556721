"""Browser views of the app, one module per subject."""
