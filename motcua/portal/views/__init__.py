"""The citizen's pages (thin: selectors and services of the domain apps, forms, templates)."""
