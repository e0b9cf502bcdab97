"""The event catalogue, the fields events are built from, the codec and upcasters."""
