"""Browser views of Agree, one module per subject."""
