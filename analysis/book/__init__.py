"""The book's machinery, one module per concern: plan, kernels (warm kernels that execute the
notebooks), staging (sources, jupyter-book, publish), provenance (what the build writes into a
book), files (atomic writes), build (the orchestration), bench and serve."""
