"""The knowledge base: store, embeddings, ingest and search."""
