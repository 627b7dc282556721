"""Browser forms of Agree, one module per subject."""
