"""The book's machinery: plan, warm kernels, staging, provenance, build, bench and serve."""
