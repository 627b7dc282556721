"""Forms of Offer's pages, one module per subject."""
