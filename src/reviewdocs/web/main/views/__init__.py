"""Views by area: ``auth``, ``reviews``, ``batches``, ``register``, ``files``."""
