"""Text to model. Parsers import only ``linter.model``."""
