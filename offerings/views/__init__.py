"""Browser views of Offer, one module per subject."""
