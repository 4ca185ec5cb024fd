"""Framework adapters: each copies raw request pieces into one engine call."""
