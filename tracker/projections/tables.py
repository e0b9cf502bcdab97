"""Read-model tables of the projections (registered on SQLModel.metadata)."""
